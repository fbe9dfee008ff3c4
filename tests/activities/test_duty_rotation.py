"""The rotation helper of the duty rosters: fair, at least N a day, busy deputies skipped."""

import datetime as dt
from collections import Counter

from activities.rosters import month_bounds, quarter_start, rotate


def fifteenths(year, months):
    return [dt.date(year, month, 15) for month in months]


def weekly(first, weeks):
    return [first + dt.timedelta(weeks=n) for n in range(weeks)]


def counts(plan, deputies):
    counter = Counter(deputy for _day, deputy in plan.pairs())
    return [counter[deputy] for deputy in deputies]


def test_every_day_gets_the_minimum_and_counts_differ_by_at_most_one():
    deputies = [11, 12, 13, 14, 15]
    days = weekly(dt.date(2026, 4, 1), 5)  # a month of Wednesdays
    plan = rotate(days, deputies, 2)
    assert all(len(plan.added[day]) == 2 for day in days)
    assert max(counts(plan, deputies)) - min(counts(plan, deputies)) <= 1
    assert not plan.short


def test_fair_over_a_quarter_generated_month_by_month():
    deputies = list(range(1, 8))
    window, total_days = Counter(), 0
    for month in (4, 5, 6):
        first = dt.date(2026, month, 1)
        days = [day for day in weekly(dt.date(2026, 4, 1), 14) if day.month == month]
        total_days += len(days)
        plan = rotate(days, deputies, 3, window_counts=window)
        window.update(deputy for _day, deputy in plan.pairs())
        assert first <= min(plan.added)
    assert max(window.values()) - min(window[d] for d in deputies) <= 1
    assert sum(window.values()) == total_days * 3


def test_a_deputy_is_never_twice_on_one_day_and_the_roster_already_there_counts():
    deputies = [1, 2, 3, 4]
    day = dt.date(2026, 5, 15)
    plan = rotate([day], deputies, 3, on_roster={day: {2}})
    assert len(plan.added[day]) == 2
    assert 2 not in plan.added[day]


def test_busy_deputies_are_skipped_and_a_short_day_is_reported():
    deputies = [1, 2, 3]
    day = dt.date(2026, 5, 15)
    plan = rotate([day], deputies, 3, busy={day: {1, 3}})
    assert plan.added[day] == [2]
    assert plan.short == {day: 2}


def test_fewest_duties_go_first_then_the_oldest_last_duty():
    deputies = [1, 2, 3]
    day = dt.date(2026, 6, 15)
    plan = rotate(
        [day],
        deputies,
        1,
        window_counts={1: 2, 2: 1, 3: 1},
        last_duty={2: dt.date(2026, 5, 15), 3: dt.date(2026, 4, 15)},
    )
    assert plan.added[day] == [3]


def test_no_deputies_leaves_every_day_short():
    days = fifteenths(2026, [1, 2])
    plan = rotate(days, [], 2)
    assert plan.count == 0
    assert plan.short == {days[0]: 2, days[1]: 2}


def test_quarter_and_month_bounds():
    assert quarter_start(dt.date(2026, 5, 20)) == dt.date(2026, 4, 1)
    assert quarter_start(dt.date(2026, 12, 31)) == dt.date(2026, 10, 1)
    assert month_bounds(dt.date(2026, 2, 10)) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
