"""The duty roster's panels on the pages of lower apps (see :mod:`liaison.panels`):

- ``station_top``: "签到" for the deputy on duty at this station today (one tap);
- ``station_page`` and ``station_poster``: the next reception days and who is on duty (公示);
- ``station_page``: the station's grids and their leaders (网格长);
- ``deputy_home``: the deputy's coming duties.

Each context function reads a fixed number of rows and returns ``None`` to hide its panel.
Only names of deputies are shown publicly (no phones).
"""

from __future__ import annotations

from django.utils import timezone

from liaison import clock
from liaison.panels import Panel, register_panel
from liaison.scope import scope_for
from stations.models import ReceptionFrequency

from ..models import DutyStatus
from ..selectors_duty import coming_roster, my_duties, station_grids, todays_duty

SHOWN_DAYS = 3


def check_in_panel(request, station):
    """The check-in button, only for a deputy on duty at ``station`` today."""
    deputy_id = scope_for(request.user).deputy_id
    duty = todays_duty(station, deputy_id)
    if duty is None:
        return None
    checked_in_at = timezone.localtime(duty.checked_in_at) if duty.checked_in_at else None
    return {"duty": duty, "checked_in_at": checked_in_at, "can_check_in": duty.status == DutyStatus.PLANNED}


def schedule_panel(request, station):
    """The next reception days and the deputies on duty; hidden without a schedule."""
    if station.reception_frequency == ReceptionFrequency.NONE:
        return None
    days = coming_roster(station, count=SHOWN_DAYS)
    if not days:
        return None
    return {"days": days}


def grids_panel(request, station):
    grids = station_grids(station)
    return {"grids": grids} if grids else None


def my_duties_panel(request, deputy):
    today = clock.today()
    duties = [d for d in my_duties(deputy.pk, today=today, past_days=0) if d.status == DutyStatus.PLANNED]
    duties.sort(key=lambda d: d.day)
    return {"duties": duties[:5], "today": today} if duties else None


def register_duty_panels() -> None:
    register_panel(
        Panel("duty_check_in", "activities/panels/check_in.html", check_in_panel, places=("station_top",), order=5)
    )
    register_panel(
        Panel(
            "duty_schedule",
            "activities/panels/duty_schedule.html",
            schedule_panel,
            places=("station_page", "station_poster"),
            order=20,
        )
    )
    register_panel(Panel("station_grids", "activities/panels/grids.html", grids_panel, order=40))
    register_panel(
        Panel("my_duties", "activities/panels/my_duties.html", my_duties_panel, places=("deputy_home",), order=20)
    )
