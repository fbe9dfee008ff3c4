"""Due dates from the admin's deadline rules, in calendar or Chinese working days."""

from __future__ import annotations

import datetime as dt

from liaison.workdays import WorkCalendar, add_months

from .models import Clock, DeadlineRule, TimeUnit
from .models.rules import DEFAULT_RULES, TIER_CLOCKS


def add_period(start: dt.date, amount: int, unit: str, calendar: WorkCalendar) -> dt.date:
    """``start`` plus ``amount`` of ``unit`` (working days skip holidays and count 调休 days)."""
    if unit == TimeUnit.WORKING_DAYS:
        return calendar.add_working_days(start, amount)
    if unit == TimeUnit.MONTHS:
        return add_months(start, amount)
    return start + dt.timedelta(days=amount)


class Deadlines:
    """The deadline rules, read once, and the calendar to count with.

    One instance per request or task: ``Deadlines().due(Clock.FAST, assigned_on)``.
    """

    def __init__(self, calendar: WorkCalendar | None = None, rules: dict | None = None):
        self.calendar = calendar or WorkCalendar()
        if rules is None:
            rules = {
                rule.clock: (rule.amount, rule.unit, rule.max_amount, rule.max_unit)
                for rule in DeadlineRule.objects.all()
            }
        self.rules = {**DEFAULT_RULES, **rules}

    def due(self, clock: str, start: dt.date) -> dt.date:
        amount, unit, _cap, _cap_unit = self.rules[clock]
        return add_period(start, amount, unit, self.calendar)

    def due_for_tier(self, tier: str, start: dt.date) -> dt.date:
        return self.due(TIER_CLOCKS[tier], start)

    def extension_cap(self, clock: str, start: dt.date) -> dt.date:
        """The latest due date an extension may grant, counted from the clock's start."""
        amount, unit, cap, cap_unit = self.rules[clock]
        if cap:
            return add_period(start, cap, cap_unit or unit, self.calendar)
        return add_period(start, 2 * amount, unit, self.calendar)

    def warning_from(self, today: dt.date) -> dt.date:
        """Due dates on or before this day are in the yellow warning window."""
        return self.due(Clock.WARNING_WINDOW, today)

    def working_days_left(self, today: dt.date, due: dt.date) -> int:
        return self.calendar.working_days_until(today, due)


def midpoint(start: dt.date, due: dt.date) -> dt.date:
    """The day half of the time from ``start`` to ``due`` has passed."""
    return start + dt.timedelta(days=(due - start).days // 2)
