"""The rotation helper of the duty rosters: who is on duty on each reception day.

Pure functions, no database: :func:`rotate` takes the days, the deputies and what is already
known (duties earlier in the fairness window, duties already on the roster, deputies busy
elsewhere or on leave) and returns the plan. :mod:`activities.workflow.duty` reads those
inputs from the database and writes the plan.

The rule (documented in ``docs/reception-days.md``):

- each day gets at least ``per_day`` deputies (the station's "deputies on duty per reception
  day"), counting those already on the roster that day;
- a deputy busy that day (on duty at another station, or on leave) is skipped;
- among the free deputies, those with the fewest duties in the fairness window (the quarter
  so far, this month's plan included) go first; ties go to the deputy whose last duty is
  oldest, then to the fewest duties in the year, then to the order of the list (stable);
- when fewer deputies are free than needed, everyone free is put on duty and the day is
  reported as short.

With no one busy, the counts over the window then differ by at most one (a greedy pick of
the least-loaded is the round robin).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field


@dataclass
class RosterPlan:
    """The deputies to add on each day, and the days that stay short of ``per_day``."""

    added: dict[dt.date, list[int]] = field(default_factory=dict)
    short: dict[dt.date, int] = field(default_factory=dict)  # day → deputies missing

    def pairs(self) -> list[tuple[dt.date, int]]:
        return [(day, deputy) for day, deputies in sorted(self.added.items()) for deputy in deputies]

    @property
    def count(self) -> int:
        return sum(len(deputies) for deputies in self.added.values())


def rotate(
    days: Iterable[dt.date],
    deputies: Sequence[int],
    per_day: int,
    *,
    window_counts: Mapping[int, int] | None = None,
    year_counts: Mapping[int, int] | None = None,
    last_duty: Mapping[int, dt.date] | None = None,
    on_roster: Mapping[dt.date, Iterable[int]] | None = None,
    busy: Mapping[dt.date, Iterable[int]] | None = None,
) -> RosterPlan:
    """Plan the duties of ``days`` over ``deputies`` (ids, in a stable order); see the module."""
    window = {deputy: (window_counts or {}).get(deputy, 0) for deputy in deputies}
    year = {deputy: (year_counts or {}).get(deputy, 0) for deputy in deputies}
    last = {deputy: (last_duty or {}).get(deputy, dt.date.min) for deputy in deputies}
    order = {deputy: index for index, deputy in enumerate(deputies)}
    plan = RosterPlan()
    for day in sorted(set(days)):
        present = set((on_roster or {}).get(day, ()))
        unavailable = present | set((busy or {}).get(day, ()))
        needed = per_day - len(present)
        if needed <= 0:
            continue
        free = sorted(
            (deputy for deputy in deputies if deputy not in unavailable),
            key=lambda deputy: (window[deputy], last[deputy], year[deputy], order[deputy]),
        )
        chosen = free[:needed]
        for deputy in chosen:
            window[deputy] += 1
            year[deputy] += 1
            last[deputy] = day
        if chosen:
            plan.added[day] = chosen
        if len(chosen) < needed:
            plan.short[day] = needed - len(chosen)
    return plan


def quarter_start(day: dt.date) -> dt.date:
    """The first day of ``day``'s quarter (the fairness window)."""
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of ``month``'s month."""
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)
