"""Reminder plans of suggestions: which clocks apply to an item in its current state, when
each goes out, and :func:`reschedule`, which the workflow calls on every transition.

Three kinds of items carry a ``next_reminder_at`` column: open assignments (acceptance,
reply and co-handler clocks, escalations, monthly reports), open commitments, and replies
waiting for their rating. A :class:`Plan` is one clock's schedule for one item, built from
the item and the active rules; the dates come from :mod:`liaison.schedule` with one
:class:`~liaison.workdays.WorkCalendar` passed through. The scan
(:mod:`suggestions.reminders.scan`) uses the same plans to decide what is due now.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from liaison import clock
from liaison.models import ReminderClock as C
from liaison.reminders import Rules
from liaison.schedule import (
    first_workday_of_month,
    latest_monthly,
    latest_occurrence,
    next_month,
    next_monthly,
    next_occurrence,
    office_start,
)
from liaison.workdays import WorkCalendar

from ..models import (
    OPEN_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Commitment,
    CommitmentStatus,
    Feedback,
    Reply,
    Suggestion,
    SuggestionStatus,
    Tier,
)


@dataclass(frozen=True)
class Plan:
    """One clock's schedule for one item: first day, repetition, and the last day it applies."""

    clock: str
    first_day: dt.date
    repeat_every: int = 0
    until: dt.date | None = None  # no occurrence after this day
    occurrence: str = ""  # stable part of the occurrence key (the due date it is about)
    monthly: bool = False

    def latest(self, today: dt.date, calendar: WorkCalendar) -> tuple[str, dt.date] | None:
        """The occurrence due on ``today`` (the newest one not after today), if it still applies."""
        if self.until is not None and today > self.until:
            return None
        if self.monthly:
            day = latest_monthly(self.first_day, today, calendar)
            return None if day is None else (f"{day:%Y-%m}", day)
        found = latest_occurrence(self.first_day, self.repeat_every, today, calendar)
        if found is None:
            return None
        number, day = found
        return (f"{self.occurrence}#{number}" if self.repeat_every else self.occurrence), day

    def following(self, after: dt.date, calendar: WorkCalendar) -> dt.date | None:
        """The first occurrence strictly after ``after`` that still applies."""
        if self.monthly:
            day = next_monthly(self.first_day, after, calendar)
        else:
            day = next_occurrence(self.first_day, self.repeat_every, after, calendar)
        if day is None or (self.until is not None and day > self.until):
            return None
        return day


def _plan(
    rules: Rules,
    clock: str,
    tier: str,
    calendar: WorkCalendar,
    anchor: dt.date,
    *,
    after: bool,
    until: dt.date | None = None,
    occurrence: str = "",
) -> Plan | None:
    """A plan for ``clock`` anchored ``offset`` working days before or after ``anchor``."""
    rule = rules.get(clock, tier)
    if rule is None:
        return None
    first = calendar.add_working_days(anchor, rule.offset if after else -rule.offset)
    return Plan(clock, first, rule.repeat_every, until, occurrence or f"{anchor:%Y-%m-%d}")


def assignment_plans(assignment: Assignment, tier: str, rules: Rules, calendar: WorkCalendar) -> list[Plan]:
    """Every reminder clock that applies to an open assignment in its current state."""
    if assignment.status not in OPEN_ASSIGNMENT_STATUSES:
        return []
    due = assignment.due_on
    assigned_day = timezone.localdate(assignment.assigned_at)
    plans = []
    if assignment.status == AssignmentStatus.PENDING:
        plans.append(_plan(rules, C.ACCEPTANCE, tier, calendar, assigned_day, after=True, occurrence="accept"))
    if assignment.role == AssignmentRole.CO:
        plans += [
            _plan(rules, C.CO_DUE_SOON, tier, calendar, due, after=False, until=due),
            _plan(rules, C.CO_OVERDUE, tier, calendar, due, after=True),
        ]
        return [plan for plan in plans if plan]
    plans += [
        _plan(rules, C.DUE_SOON, tier, calendar, due, after=False, until=due),
        _plan(rules, C.OVERDUE, tier, calendar, due, after=True),
        _plan(rules, C.ESCALATION_1, tier, calendar, due, after=True),
        _plan(rules, C.ESCALATION_2, tier, calendar, due, after=True),
    ]
    if rules.get(C.DUE_TODAY, tier) and calendar.is_workday(due):
        plans.append(Plan(C.DUE_TODAY, due, 0, due, f"{due:%Y-%m-%d}"))
    if tier == Tier.SUPERVISED and assignment.status == AssignmentStatus.ACCEPTED and rules.get(C.MONTHLY_REPORT, tier):
        first = first_workday_of_month(next_month(assigned_day), calendar)
        plans.append(Plan(C.MONTHLY_REPORT, first, monthly=True))
    return [plan for plan in plans if plan]


def commitment_plans(commitment: Commitment, rules: Rules, calendar: WorkCalendar) -> list[Plan]:
    """The due-soon and overdue clocks of an open commitment."""
    if commitment.status != CommitmentStatus.OPEN:
        return []
    due = commitment.due_on
    plans = [
        _plan(rules, C.COMMITMENT_DUE_SOON, "", calendar, due, after=False, until=due),
        _plan(rules, C.COMMITMENT_OVERDUE, "", calendar, due, after=True),
    ]
    return [plan for plan in plans if plan]


def reply_plans(reply: Reply, waiting_for_rating: bool, rules: Rules, calendar: WorkCalendar) -> list[Plan]:
    """The rating-window clocks of a reply still waiting for its deputies' rating."""
    if not waiting_for_rating:
        return []
    end = reply.feedback_due_on
    plans = [
        _plan(rules, C.FEEDBACK_DUE, "", calendar, end, after=False, until=end),
        _plan(rules, C.FEEDBACK_LAPSED, "", calendar, end, after=True),
    ]
    return [plan for plan in plans if plan]


def next_time(plans: Iterable[Plan], after: dt.date, calendar: WorkCalendar, *, inclusive: bool) -> dt.datetime | None:
    """When the next reminder of these plans goes out (the start of office hours that day).

    ``inclusive`` counts a reminder due today (the workflow's view: it may not have gone out);
    the scan passes ``False`` since it just sent today's.
    """
    days = []
    for plan in plans:
        if inclusive:
            latest = plan.latest(after, calendar)
            if latest and latest[1] == after:
                days.append(after)
        following = plan.following(after, calendar)
        if following:
            days.append(following)
    return office_start(min(days)) if days else None


# Rescheduling, called by the workflow ------------------------------------------------------


def reschedule(
    suggestion: Suggestion,
    *,
    rules: Rules | None = None,
    calendar: WorkCalendar | None = None,
    today: dt.date | None = None,
) -> None:
    """Recompute ``next_reminder_at`` of the suggestion's assignments, commitments and latest
    reply; called by the workflow after every change of the suggestion's handling.

    ``rules``, ``calendar`` and ``today`` are read once here unless the caller already has
    them; every plan of the suggestion is computed with the same calendar.
    """
    rules = rules if rules is not None else Rules()
    calendar = calendar if calendar is not None else WorkCalendar()
    today = today if today is not None else clock.today()
    tier = suggestion.tier
    assignments = list(suggestion.assignments.all())
    for assignment in assignments:
        assignment.next_reminder_at = next_time(
            assignment_plans(assignment, tier, rules, calendar), today, calendar, inclusive=True
        )
    Assignment.objects.bulk_update(assignments, ["next_reminder_at"])
    commitments = list(suggestion.commitments.all())
    for commitment in commitments:
        commitment.next_reminder_at = next_time(
            commitment_plans(commitment, rules, calendar), today, calendar, inclusive=True
        )
    Commitment.objects.bulk_update(commitments, ["next_reminder_at"])
    replies = list(suggestion.replies.order_by("round"))
    if replies:
        waiting = waiting_for_rating(suggestion, replies[-1])
        for reply in replies:
            plans = reply_plans(reply, waiting and reply is replies[-1], rules, calendar)
            reply.next_reminder_at = next_time(plans, today, calendar, inclusive=True)
        Reply.objects.bulk_update(replies, ["next_reminder_at"])


def waiting_for_rating(suggestion: Suggestion, reply: Reply) -> bool:
    """Whether ``reply`` is the one the suggestion's deputies still have to rate."""
    if suggestion.status != SuggestionStatus.REPLIED:
        return False
    group = 1 + suggestion.joined.count()
    return Feedback.objects.filter(reply=reply).count() < group
