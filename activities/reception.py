"""Reception-day reminders: the working day before a station's reception day, the deputies
stationed there and its liaison officer get a reminder.

There is no duty roster yet (it comes with the activities issue), so "the deputies on duty"
are the serving deputies stationed at the station. Which stations receive visitors on a given
day follows from their schedule in SQL, so the scan reads only the stations concerned.

:func:`scan_reception_days` is registered with :mod:`liaison.reminders` by
``ActivitiesConfig.ready()``.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from collections import defaultdict

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.models import StationAssignment
from liaison.models import ReminderClock
from liaison.reminders import Reminder, Rules, ScanResult, send_reminders
from liaison.workdays import WorkCalendar
from stations.models import ReceptionFrequency, Station


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
    return Station.objects.filter(condition, is_active=True)


def _reception_day_of(station: Station, days: list[dt.date]) -> dt.date:
    for day in days:
        last_day = month_calendar.monthrange(day.year, day.month)[1]
        if station.reception_frequency == ReceptionFrequency.WEEKLY and station.reception_day == day.isoweekday():
            return day
        if station.reception_frequency == ReceptionFrequency.MONTHLY and (
            station.reception_day == day.day or (day.day == last_day and station.reception_day > last_day)
        ):
            return day
    raise ValueError(station.pk)


def scan_reception_days(now: dt.datetime, *, rules: Rules, calendar: WorkCalendar) -> ScanResult:
    """Remind the stations whose reception day is announced at ``now`` (once per station and day)."""
    rule = rules.get(ReminderClock.RECEPTION_DAY)
    if rule is None:
        return ScanResult()
    days = reception_days_announced(timezone.localdate(now), rule.offset, calendar)
    if not days:
        return ScanResult()
    stations = list(stations_receiving_on(days))
    if not stations:
        return ScanResult()
    deputies = defaultdict(set)
    stationed = StationAssignment.objects.filter(
        station__in=stations, deputy__is_active=True, deputy__user__isnull=False
    ).values_list("station_id", "deputy__user_id")
    for station_id, user_id in stationed:
        deputies[station_id].add(user_id)
    reminders = []
    for station in stations:
        day = _reception_day_of(station, days)
        to = deputies[station.pk] | ({station.liaison_officer_id} - {None})
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
