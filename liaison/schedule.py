"""Scheduling maths for reminders: when the occurrences of a repeating reminder fall, and
office hours.

Pure functions of dates and a :class:`~liaison.workdays.WorkCalendar` (no queries of their
own): an occurrence series starts on a first day and repeats every *n* working days
(:func:`latest_occurrence`, :func:`next_occurrence`), or falls on the first working day of
each month (:func:`latest_monthly`, :func:`next_monthly`). Reminders go out at the start of
office hours (:func:`office_start`) and only within them on working days
(:func:`in_office_hours`), per ``OFFICE_HOURS_START`` and ``OFFICE_HOURS_END``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from .workdays import WorkCalendar

# Office hours ------------------------------------------------------------------------------


def _time(text: str) -> dt.time:
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))


def office_start(day: dt.date) -> dt.datetime:
    """The moment reminders of ``day`` go out: the start of office hours, Asia/Shanghai."""
    return timezone.make_aware(dt.datetime.combine(day, _time(settings.OFFICE_HOURS_START)))


def in_office_hours(moment: dt.datetime, calendar: WorkCalendar) -> bool:
    """Whether ``moment`` falls on a working day between the start and the end of office hours."""
    local = timezone.localtime(moment)
    start, end = _time(settings.OFFICE_HOURS_START), _time(settings.OFFICE_HOURS_END)
    return calendar.is_workday(local.date()) and start <= local.time() < end


# Occurrences every n working days ----------------------------------------------------------


def latest_occurrence(first_day: dt.date, repeat_every: int, today: dt.date, calendar: WorkCalendar):
    """The last occurrence on or before ``today`` of a reminder first due on ``first_day`` and
    repeated every ``repeat_every`` working days: ``(number, day)``, or ``None`` if not yet due."""
    if first_day > today:
        return None
    if not repeat_every:
        return 0, first_day
    number, day = 0, first_day
    while True:
        following = calendar.add_working_days(day, repeat_every)
        if following > today:
            return number, day
        number, day = number + 1, following


def next_occurrence(first_day: dt.date, repeat_every: int, after: dt.date, calendar: WorkCalendar) -> dt.date | None:
    """The first occurrence strictly after ``after``."""
    if first_day > after:
        return first_day
    if not repeat_every:
        return None
    day = first_day
    while day <= after:
        day = calendar.add_working_days(day, repeat_every)
    return day


# Monthly occurrences: the first working day of each month ----------------------------------


def next_month(day: dt.date) -> dt.date:
    """The first day of the month after ``day``'s."""
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def previous_month(day: dt.date) -> dt.date:
    """The first day of the month before ``day``'s."""
    return (day.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def first_workday_of_month(day: dt.date, calendar: WorkCalendar) -> dt.date:
    """The first working day of ``day``'s month."""
    return calendar.next_workday(day.replace(day=1))


def latest_monthly(first_day: dt.date, today: dt.date, calendar: WorkCalendar) -> dt.date | None:
    """The last first-working-day-of-a-month on or before ``today`` and not before
    ``first_day`` (this month's or last month's), or ``None``."""
    day = first_workday_of_month(today, calendar)
    if day < first_day or day > today:
        day = first_workday_of_month(previous_month(today), calendar)
    if day < first_day or day > today:
        return None
    return day


def next_monthly(first_day: dt.date, after: dt.date, calendar: WorkCalendar) -> dt.date:
    """The first first-working-day-of-a-month strictly after ``after``, and not before
    ``first_day``."""
    day = first_workday_of_month(after, calendar)
    if day <= after:
        day = first_workday_of_month(next_month(after), calendar)
    return max(day, first_day)
