"""Reads of the reception days and duty rosters shared by the pages, the panels and the API.

Each returns what a page shows with a fixed number of queries, whatever the number of days,
deputies or stations.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from deputies.models import Deputy, StationAssignment
from liaison import clock
from stations.models import Grid, ReceptionFrequency, Station

from .models import DutyAssignment, DutyStatus, LeaveRequest, LeaveStatus
from .reception import next_reception_days, reception_days
from .rosters import month_bounds


@dataclass
class RosterDay:
    """One reception day (or a day with duties) and who is on duty."""

    day: dt.date
    duties: list[DutyAssignment] = field(default_factory=list)
    is_reception_day: bool = True

    @property
    def on_duty(self) -> list[DutyAssignment]:
        """The duties still standing (not excused by leave)."""
        return [duty for duty in self.duties if duty.status != DutyStatus.ON_LEAVE]


def _duties(station: Station, days) -> dict[dt.date, list[DutyAssignment]]:
    by_day = defaultdict(list)
    rows = (
        DutyAssignment.objects.filter(station=station, day__in=list(days))
        .select_related("deputy")
        .order_by("day", "deputy__name", "deputy_id")
    )
    for duty in rows:
        by_day[duty.day].append(duty)
    return by_day


def coming_roster(station: Station, *, count: int = 3, today: dt.date | None = None) -> list[RosterDay]:
    """The station's next ``count`` reception days with the deputies on duty (公示)."""
    today = today or clock.today()
    days = next_reception_days(station, today, count)
    duties = _duties(station, days) if days else {}
    return [RosterDay(day, duties.get(day, [])) for day in days]


def roster_month(station: Station, month: dt.date) -> list[RosterDay]:
    """The month's reception days, and any other day someone is on duty, with their duties."""
    first, last = month_bounds(month)
    days = set(reception_days(station, month))
    by_day = defaultdict(list)
    rows = (
        DutyAssignment.objects.filter(station=station, day__range=(first, last))
        .select_related("deputy", "station")
        .prefetch_related(Prefetch("leave_requests", queryset=LeaveRequest.objects.filter(status=LeaveStatus.PENDING)))
        .order_by("day", "deputy__name", "deputy_id")
    )
    for duty in rows:
        by_day[duty.day].append(duty)
    return [RosterDay(day, by_day.get(day, []), day in days) for day in sorted(days | set(by_day))]


def stationed_deputies(station: Station) -> list[Deputy]:
    """The serving deputies stationed at ``station``, for the roster's "add" choices."""
    ids = StationAssignment.objects.filter(station=station).values("deputy_id")
    return list(Deputy.objects.active().filter(pk__in=ids).order_by("name", "id"))


def todays_duty(station: Station, deputy_id: int | None, today: dt.date | None = None) -> DutyAssignment | None:
    """The deputy's duty at ``station`` today, if any."""
    if not deputy_id:
        return None
    return DutyAssignment.objects.filter(station=station, deputy_id=deputy_id, day=today or clock.today()).first()


def my_duties(deputy_id: int, *, today: dt.date | None = None, past_days: int = 90):
    """A deputy's duties from ``past_days`` ago on, with their station and leave requests."""
    today = today or clock.today()
    return (
        DutyAssignment.objects.filter(deputy_id=deputy_id, day__gte=today - dt.timedelta(days=past_days))
        .select_related("station")
        .prefetch_related(Prefetch("leave_requests", queryset=LeaveRequest.objects.order_by("-requested_at")))
        .order_by("-day", "station__name")
    )


def missed_duties(user, *, month: dt.date | None = None, today: dt.date | None = None):
    """Missed duties in the user's scope, newest first (optionally of one month)."""
    duties = DutyAssignment.objects.visible_to(user).missed(today).select_related("station", "deputy")
    if month:
        duties = duties.filter(day__range=month_bounds(month))
    return duties.order_by("-day", "station__code", "deputy__name")


def leave_requests_for(user, *, pending_only: bool = True):
    """Leave requests in the user's scope (those awaiting a decision first)."""
    requests = LeaveRequest.objects.visible_to(user).select_related("duty__station", "duty__deputy", "decided_by")
    if pending_only:
        requests = requests.filter(status=LeaveStatus.PENDING)
    return requests.order_by("duty__day", "requested_at")


def rostered_stations(user):
    """The stations with a reception schedule that the user manages, for the roster index."""
    from liaison.scope import scope_for

    stations = Station.objects.managed_by(scope_for(user)).active()
    return (
        stations.filter(~Q(reception_frequency=ReceptionFrequency.NONE) | Q(duties__isnull=False))
        .distinct()
        .order_by("tree_id", "lft")
    )


def station_grids(station: Station) -> list[Grid]:
    """The active grids of ``station`` with their serving leaders (two queries)."""
    leaders = Deputy.objects.active().order_by("name", "id")
    return list(
        Grid.objects.filter(station=station, is_active=True)
        .order_by("code")
        .prefetch_related(Prefetch("leaders", queryset=leaders))
    )
