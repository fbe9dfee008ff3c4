"""The activities' sections on lower apps' pages (:mod:`liaison.panels`), registered from
``ActivitiesConfig.ready()``:

- ``station_top``: "记录履职活动" for a signed-in user who may log at the station;
- ``station_page``: the station's recent verified activities (public: type, date, deputies,
  voters received; never a voter's name or phone);
- ``deputy_home``: my recent activities and "log an activity" on ``/me/``.
"""

from __future__ import annotations

from django.urls import reverse

from liaison.panels import Panel, register_panel
from liaison.scope import scope_for

from . import permissions, selectors

HOME_RECENT = 5


def log_button(request, station):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not permissions.may_log_at(user, station):
        return None
    return {"url": f"{reverse('activities:log')}?station={station.code}"}


def recent_activities(request, station):
    activities = selectors.public_recent(station)
    return {"activities": activities} if activities else None


def deputy_home(request, deputy):
    scope = scope_for(request.user)
    activities = list(selectors.mine(deputy.pk, scope.user_id)[:HOME_RECENT])
    return {"activities": activities, "log_url": reverse("activities:log"), "mine_url": reverse("activities:mine")}


def register() -> None:
    register_panel(Panel("activities_log", "activities/panels/log_button.html", log_button, ("station_top",), 10))
    register_panel(
        Panel("activities_recent", "activities/panels/recent.html", recent_activities, ("station_page",), 50)
    )
    register_panel(Panel("activities_mine", "activities/panels/deputy_home.html", deputy_home, ("deputy_home",), 10))
