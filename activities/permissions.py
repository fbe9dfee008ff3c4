"""Who may act on activities and campaigns.

Which rows a user may see is decided by each model's ``visible_to`` (``activities.models``);
this module answers who may *do* something. The workflow, the pages, the admin and the API
all ask here.

Rules (see ``docs/activities.md``):
- a deputy logs activities at the stations they are stationed in (the opinions taken there
  enter that station's queue, which the lifecycle lets only its stationed deputies do);
  staff log for the stations they manage;
- the one who recorded an activity corrects it until it is verified, and after it was
  returned;
- staff who manage the activity's station review it (verify or return): the station's
  liaison officer, the township's staff, county staff.
"""

from __future__ import annotations

from deputies.models import StationAssignment
from liaison.models import Role
from liaison.scope import scope_for
from stations.models import Station

ADMIN_RIGHTS = {
    "activities.activitytype": {Role.COUNTY_STAFF: "vacd", Role.TOWNSHIP_STAFF: "v", Role.STATION_LIAISON: "v"},
    "activities.activity": {Role.COUNTY_STAFF: "vc", Role.TOWNSHIP_STAFF: "vc", Role.STATION_LIAISON: "vc"},
    "activities.campaign": {Role.COUNTY_STAFF: "vacd", Role.TOWNSHIP_STAFF: "v", Role.STATION_LIAISON: "v"},
    "activities.campaignsuggestion": {Role.COUNTY_STAFF: "vacd", Role.TOWNSHIP_STAFF: "vacd"},
    # Duty rosters: rows are added and removed through the workflow (the admin's add page and
    # delete action call it), never edited in place.
    "activities.dutyassignment": {Role.COUNTY_STAFF: "vad", Role.TOWNSHIP_STAFF: "vad", Role.STATION_LIAISON: "vad"},
    "activities.leaverequest": {Role.COUNTY_STAFF: "vc", Role.TOWNSHIP_STAFF: "vc", Role.STATION_LIAISON: "vc"},
    "activities.dutyevent": {Role.COUNTY_STAFF: "v", Role.TOWNSHIP_STAFF: "v", Role.STATION_LIAISON: "v"},
}


def is_staff_for(user, station: Station) -> bool:
    """Whether the user manages ``station`` as congress staff or its liaison officer."""
    scope = scope_for(user)
    if scope.is_county:
        return True
    if station.township_id and station.township_id in scope.township_ids:
        return True
    return any(
        tree_id == station.tree_id and lft <= station.lft and station.rght <= rght
        for _id, tree_id, lft, rght in scope.liaison_station_ranges
    )


def is_stationed(user, station: Station) -> bool:
    """Whether the user is a deputy stationed in ``station``."""
    deputy_id = scope_for(user).deputy_id
    return bool(deputy_id) and StationAssignment.objects.filter(deputy_id=deputy_id, station=station).exists()


def may_log_at(user, station: Station) -> bool:
    """Log an activity at ``station``: its stationed deputies and the staff who manage it."""
    if user is None or not station.is_active:
        return False
    return is_stationed(user, station) or is_staff_for(user, station)


def may_correct(user, activity) -> bool:
    """Correct (and resubmit) an activity: whoever recorded it, until it is verified."""
    return user is not None and activity.is_editable and activity.recorded_by_id == getattr(user, "pk", None)


def may_review(user, activity) -> bool:
    """Verify or return an activity: the staff who manage its station."""
    return user is not None and scope_for(user).can_use_admin and is_staff_for(user, activity.station)


def may_tag_suggestions(user) -> bool:
    """Tag suggestions with a campaign: county and township staff."""
    scope = scope_for(user)
    return scope.is_county or bool(scope.township_ids)


def may_manage_roster(user, station: Station) -> bool:
    """Build and change ``station``'s duty roster, decide leave requests: the staff who
    manage the station (its liaison officer, its township's staff, county staff)."""
    return user is not None and scope_for(user).can_use_admin and is_staff_for(user, station)
