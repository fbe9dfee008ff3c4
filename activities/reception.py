"""Reception days: which days a station receives voters, and the reminder the working day
before to the deputies on duty and the liaison officer.

A station's schedule (monthly day, weekly weekday, or set dates — ``stations.ReceptionDate``)
yields its reception days: :func:`reception_days` for one station and month, and
:func:`stations_receiving_on` in SQL for the reminder scan, so that it reads only the
stations concerned.

The reminder goes to the deputies on the duty roster for that day (those on leave left
out) when the station has a roster for it, and to the serving deputies stationed there
otherwise. :func:`scan_reception_days` is registered with :mod:`liaison.reminders` by
``ActivitiesConfig.ready()``.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.models import StationAssignment
from liaison.models import ReminderClock
from liaison.reminders import Reminder, Rules, ScanResult, lock_for_scan, send_reminders
from liaison.workdays import WorkCalendar
from stations.models import ReceptionDate, ReceptionFrequency, Station

from .models import DutyAssignment, DutyStatus
from .rosters import month_bounds


def reception_days_announced(today: dt.date, offset: int, calendar: WorkCalendar) -> list[dt.date]:
    """The reception days whose reminder goes out ``today``: every day after ``today`` whose
    ``offset``-th working day before is ``today`` (a Friday announces Saturday to Monday)."""
    if not calendar.is_workday(today):
        return []
    days, day = [], today + dt.timedelta(days=1)
    while calendar.add_working_days(day, -offset) <= today:
        if calendar.add_working_days(day, -offset) == today:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def stations_receiving_on(days: list[dt.date]):
    """Active stations whose schedule has a reception on one of ``days`` (a monthly day past
    the month's end falls on its last day)."""
    condition = Q(pk__in=[])
    for day in days:
        last_day = month_calendar.monthrange(day.year, day.month)[1]
        monthly_days = {day.day} | (set(range(day.day + 1, 32)) if day.day == last_day else set())
        condition |= Q(reception_frequency=ReceptionFrequency.MONTHLY, reception_day__in=monthly_days)
        condition |= Q(reception_frequency=ReceptionFrequency.WEEKLY, reception_day=day.isoweekday())
    dated = ReceptionDate.objects.filter(day__in=days).values("station_id")
    condition |= Q(reception_frequency=ReceptionFrequency.DATES, pk__in=dated)
    return Station.objects.filter(condition, is_active=True)


def receives_on(station: Station, day: dt.date, set_dates: set[dt.date] = frozenset()) -> bool:
    """Whether ``station``'s schedule has a reception on ``day`` (``set_dates``: its set dates)."""
    if station.reception_frequency == ReceptionFrequency.WEEKLY:
        return station.reception_day == day.isoweekday()
    if station.reception_frequency == ReceptionFrequency.MONTHLY and station.reception_day:
        last_day = month_calendar.monthrange(day.year, day.month)[1]
        return min(station.reception_day, last_day) == day.day
    if station.reception_frequency == ReceptionFrequency.DATES:
        return day in set_dates
    return False


def reception_days(station: Station, month: dt.date) -> list[dt.date]:
    """The reception days of ``station`` in ``month``'s month, in order (one query for a
    station on set dates, none otherwise)."""
    return reception_days_between(station, *month_bounds(month))


def reception_days_between(station: Station, first: dt.date, last: dt.date) -> list[dt.date]:
    """The reception days of ``station`` from ``first`` to ``last`` inclusive."""
    if station.reception_frequency == ReceptionFrequency.DATES:
        return list(
            ReceptionDate.objects.filter(station=station, day__range=(first, last))
            .order_by("day")
            .values_list("day", flat=True)
        )
    if station.reception_frequency not in (ReceptionFrequency.WEEKLY, ReceptionFrequency.MONTHLY):
        return []
    days, day = [], first
    while day <= last:
        if receives_on(station, day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def next_reception_days(station: Station, today: dt.date, count: int = 3) -> list[dt.date]:
    """The next ``count`` reception days from ``today`` on (within a year)."""
    if station.reception_frequency == ReceptionFrequency.DATES:
        return list(
            ReceptionDate.objects.filter(station=station, day__gte=today)
            .order_by("day")
            .values_list("day", flat=True)[:count]
        )
    days, first = [], today
    while len(days) < count and first <= today + dt.timedelta(days=366):
        last = min(first + dt.timedelta(days=62), today + dt.timedelta(days=366))
        days += reception_days_between(station, first, last)
        first = last + dt.timedelta(days=1)
        if station.reception_frequency == ReceptionFrequency.NONE:
            break
    return days[:count]


def _reception_day_of(station: Station, days: list[dt.date], set_dates: set[dt.date]) -> dt.date:
    for day in days:
        if receives_on(station, day, set_dates):
            return day
    raise ValueError(station.pk)


def _recipients(stations: list[Station], days: list[dt.date]) -> dict[tuple[int, dt.date], set[int]]:
    """The deputies' accounts to remind per (station, day): those on the roster when the
    station has one for the day (not those on leave), else the stationed serving deputies."""
    recipients: dict[tuple[int, dt.date], set[int]] = defaultdict(set)
    rostered: set[tuple[int, dt.date]] = set()
    duties = DutyAssignment.objects.filter(station__in=stations, day__in=days).values_list(
        "station_id", "day", "status", "deputy__user_id", "deputy__is_active"
    )
    for station_id, day, status, user_id, is_active in duties:
        rostered.add((station_id, day))
        if user_id and is_active and status != DutyStatus.ON_LEAVE:
            recipients[(station_id, day)].add(user_id)
    stationed = defaultdict(set)
    for station_id, user_id in StationAssignment.objects.filter(
        station__in=stations, deputy__is_active=True, deputy__user__isnull=False
    ).values_list("station_id", "deputy__user_id"):
        stationed[station_id].add(user_id)
    for station in stations:
        for day in days:
            if (station.pk, day) not in rostered:
                recipients[(station.pk, day)] = stationed[station.pk]
    return recipients


def scan_reception_days(now: dt.datetime, *, rules: Rules, calendar: WorkCalendar) -> ScanResult:
    """Remind the stations whose reception day is announced at ``now`` (once per station and day)."""
    rule = rules.get(ReminderClock.RECEPTION_DAY)
    if rule is None:
        return ScanResult()
    days = reception_days_announced(timezone.localdate(now), rule.offset, calendar)
    if not days:
        return ScanResult()
    with transaction.atomic():
        # The stations are locked like the suggestion scan's items: two scans at once skip
        # each other's stations instead of both writing the same reminder log rows.
        stations = list(lock_for_scan(stations_receiving_on(days)))
        if not stations:
            return ScanResult()
        return _remind_stations(stations, days)


def _remind_stations(stations: list[Station], days: list[dt.date]) -> ScanResult:
    """The reminders of the locked ``stations`` for the reception days ``days``."""
    set_dates = defaultdict(set)
    dated = [station.pk for station in stations if station.reception_frequency == ReceptionFrequency.DATES]
    if dated:
        for station_id, day in ReceptionDate.objects.filter(station__in=dated, day__in=days).values_list(
            "station_id", "day"
        ):
            set_dates[station_id].add(day)
    recipients = _recipients(stations, days)
    reminders = []
    for station in stations:
        day = _reception_day_of(station, days, set_dates[station.pk])
        to = recipients[(station.pk, day)] | ({station.liaison_officer_id} - {None})
        reminders.append(
            Reminder(
                "station",
                station.pk,
                ReminderClock.RECEPTION_DAY,
                f"{day:%Y-%m-%d}",
                to,
                _("Reception day at %(station)s on %(day)s") % {"station": station.name, "day": f"{day:%Y-%m-%d}"},
                station.reception_schedule_display(),
                reverse("stations:detail", args=[station.code]),
            )
        )
    sent, _skipped = send_reminders(reminders)
    return ScanResult(sent=len(sent), items=len(stations))
