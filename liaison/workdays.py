"""Chinese working days: statutory holidays off, make-up workdays (调休) on.

Sources, in order: the admin's :class:`liaison.models.CalendarOverride` rows, then the
``chinesecalendar`` package for the years it knows, then plain Monday–Friday for any other
year — with a logged warning and the year listed in :attr:`WorkCalendar.unknown_years`, so
that pages can tell staff to enter the year's holidays. Never an exception for next year.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
import logging

import chinese_calendar

logger = logging.getLogger(__name__)


def package_knows(year: int) -> bool:
    """Whether ``chinesecalendar`` has the holiday arrangement of ``year``."""
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


class WorkCalendar:
    """Answers "is this a working day" and counts working days.

    Build one per request or task run: overrides are read once per year asked about. Pass
    ``overrides`` (``{date: is_workday}``) to use it without the database.
    """

    def __init__(self, overrides: dict[dt.date, bool] | None = None):
        self._overrides: dict[dt.date, bool] = dict(overrides or {})
        self._loaded_years: set[int] = set() if overrides is None else {-1}
        self._years_with_overrides: set[int] = {day.year for day in self._overrides}
        self._from_database = overrides is None
        self._answers: dict[dt.date, bool] = {}
        self.unknown_years: set[int] = set()

    def _load_year(self, year: int) -> None:
        if not self._from_database or year in self._loaded_years:
            return
        from .models import CalendarOverride

        rows = CalendarOverride.objects.filter(day__year=year).values_list("day", "is_workday")
        for day, is_workday in rows:
            self._overrides[day] = is_workday
            self._years_with_overrides.add(year)
        self._loaded_years.add(year)

    def is_workday(self, day: dt.date) -> bool:
        answer = self._answers.get(day)
        if answer is None:
            answer = self._answers[day] = self._is_workday(day)
        return answer

    def _is_workday(self, day: dt.date) -> bool:
        self._load_year(day.year)
        if day in self._overrides:
            return self._overrides[day]
        if package_knows(day.year):
            return chinese_calendar.is_workday(day)
        if day.year not in self._years_with_overrides and day.year not in self.unknown_years:
            self.unknown_years.add(day.year)
            logger.warning(
                "No holiday calendar for %s: counting Monday to Friday as working days. "
                "Enter the year's holidays and make-up workdays as calendar overrides.",
                day.year,
            )
        return day.weekday() < 5

    def add_working_days(self, start: dt.date, count: int) -> dt.date:
        """The date ``count`` working days after ``start`` (``start`` itself not counted)."""
        day = start
        remaining = count
        step = dt.timedelta(days=1 if count >= 0 else -1)
        while remaining:
            day += step
            if self.is_workday(day):
                remaining -= 1 if count > 0 else -1
        return day

    def next_workday(self, day: dt.date) -> dt.date:
        """``day`` if it is a working day, else the first working day after it."""
        while not self.is_workday(day):
            day += dt.timedelta(days=1)
        return day

    def working_days_until(self, today: dt.date, due: dt.date) -> int:
        """Working days left from ``today`` to ``due`` (0 on the due date; negative when overdue).

        Counts the working days after ``today`` up to and including ``due``; when overdue,
        minus the working days after ``due`` up to and including ``today``.
        """
        if due >= today:
            return sum(1 for n in range(1, (due - today).days + 1) if self.is_workday(today + dt.timedelta(n)))
        return -sum(1 for n in range(1, (today - due).days + 1) if self.is_workday(due + dt.timedelta(n)))


def add_months(start: dt.date, months: int) -> dt.date:
    """Same day ``months`` later, clamped to the month's end (31 Jan + 1 month → 28/29 Feb)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(start.day, month_calendar.monthrange(year, month)[1]))
