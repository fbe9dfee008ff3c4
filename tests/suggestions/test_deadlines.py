"""Deadline arithmetic: calendar and working days, Chinese holidays, make-up workdays,
admin overrides and years the calendar package does not know."""

import datetime as dt
import logging

import pytest

from liaison.models import CalendarOverride
from liaison.workdays import WorkCalendar, add_months
from suggestions.deadlines import Deadlines, midpoint
from suggestions.models import Clock, DeadlineRule, Tier

D = dt.date


@pytest.fixture
def deadlines(db):
    return Deadlines()


def test_immediate_tier_skips_national_day_and_counts_the_make_up_saturday(deadlines):
    # Tue 30 Sep 2025 + 5 working days: 1–8 Oct off; Thu 9, Fri 10, Sat 11 (调休), Mon 13, Tue 14.
    assert deadlines.due_for_tier(Tier.IMMEDIATE, D(2025, 9, 30)) == D(2025, 10, 14)


def test_immediate_tier_counts_the_make_up_sunday_before_national_day(deadlines):
    # Fri 26 Sep 2025 + 5: Sun 28 Sep is a working day; then Mon 29, Tue 30, Thu 9 Oct, Fri 10 Oct.
    assert deadlines.due_for_tier(Tier.IMMEDIATE, D(2025, 9, 26)) == D(2025, 10, 10)


def test_immediate_tier_across_spring_festival_2026(deadlines):
    # Fri 13 Feb 2026 + 5: Sat 14 (调休), then 16–23 off, Tue 24, Wed 25, Thu 26, Fri 27.
    assert deadlines.due_for_tier(Tier.IMMEDIATE, D(2026, 2, 13)) == D(2026, 2, 27)


def test_fast_tier_is_thirty_calendar_days_even_over_holidays(deadlines):
    assert deadlines.due_for_tier(Tier.FAST, D(2025, 9, 30)) == D(2025, 10, 30)


def test_supervised_tier_is_three_months_capped_at_six(deadlines):
    assert deadlines.due_for_tier(Tier.SUPERVISED, D(2026, 1, 31)) == D(2026, 4, 30)
    assert deadlines.extension_cap(Clock.SUPERVISED, D(2026, 1, 31)) == D(2026, 7, 31)


def test_extension_without_a_cap_may_double_the_time(deadlines):
    assert deadlines.extension_cap(Clock.FAST, D(2026, 3, 1)) == D(2026, 3, 1) + dt.timedelta(days=60)


def test_rules_edited_in_the_admin_are_used(db):
    DeadlineRule.objects.filter(clock=Clock.IMMEDIATE).update(amount=3)
    assert Deadlines().due_for_tier(Tier.IMMEDIATE, D(2026, 3, 2)) == D(2026, 3, 5)


def test_unknown_year_falls_back_to_monday_to_friday_with_a_warning(db, caplog):
    calendar = WorkCalendar()
    with caplog.at_level(logging.WARNING, logger="liaison.workdays"):
        due = Deadlines(calendar=calendar).due_for_tier(Tier.IMMEDIATE, D(2031, 1, 30))
    assert due == D(2031, 2, 6)  # Thu + 5 working days, weekends only
    assert calendar.unknown_years == {2031}
    assert "2031" in caplog.text


def test_overrides_fill_in_an_unknown_year(db):
    CalendarOverride.objects.create(day=D(2031, 2, 3), is_workday=False, note="春节")
    CalendarOverride.objects.create(day=D(2031, 2, 1), is_workday=True, note="调休")
    calendar = WorkCalendar()
    assert Deadlines(calendar=calendar).due_for_tier(Tier.IMMEDIATE, D(2031, 1, 30)) == D(2031, 2, 6)
    assert calendar.unknown_years == set()


def test_override_wins_over_the_package(db):
    CalendarOverride.objects.create(day=D(2026, 3, 3), is_workday=False, note="本县防汛停工")
    assert Deadlines().due_for_tier(Tier.IMMEDIATE, D(2026, 3, 2)) == D(2026, 3, 10)


def test_working_days_left_and_overdue():
    calendar = WorkCalendar(overrides={})
    assert calendar.working_days_until(D(2025, 9, 30), D(2025, 10, 10)) == 2
    assert calendar.working_days_until(D(2025, 10, 14), D(2025, 10, 9)) == -4  # 10, 11 (调休), 13, 14
    assert calendar.working_days_until(D(2026, 3, 2), D(2026, 3, 2)) == 0


def test_warning_window_and_midpoint(deadlines):
    assert deadlines.warning_from(D(2025, 9, 30)) == D(2025, 10, 11)  # the make-up Saturday counts
    assert midpoint(D(2026, 3, 1), D(2026, 3, 31)) == D(2026, 3, 16)


def test_add_months_clamps_to_month_end():
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2025, 11, 30), 3) == D(2026, 2, 28)
