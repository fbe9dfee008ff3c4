"""Which suggestion reminders are due, when the next one is, and the scan that sends them.

Three kinds of items carry a ``next_reminder_at`` column that the workflow recomputes on every
transition (:func:`reschedule`): open assignments (acceptance, reply and co-handler clocks,
escalations, monthly reports), open commitments, and replies waiting for their rating. The
scan reads only the rows whose time has come, in batches locked with SKIP LOCKED, sends what
is due through :func:`liaison.reminders.send_reminders` (once per item, clock and
occurrence), writes an event for each escalation and sets the next time.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import clock
from liaison.bulk import update_column
from liaison.models import ReminderClock as C
from liaison.models import Role, StaffProfile
from liaison.reminders import (
    Reminder,
    Rules,
    ScanResult,
    latest_occurrence,
    next_occurrence,
    office_start,
    send_reminders,
)
from liaison.workdays import WorkCalendar

from .models import (
    OPEN_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Commitment,
    CommitmentStatus,
    Department,
    Feedback,
    Jurisdiction,
    Reply,
    Suggestion,
    SuggestionEvent,
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
            day = first_workday_of_month(today, calendar)
            if day < self.first_day or day > today:
                day = first_workday_of_month(_previous_month(today), calendar)
            if day < self.first_day or day > today:
                return None
            return f"{day:%Y-%m}", day
        found = latest_occurrence(self.first_day, self.repeat_every, today, calendar)
        if found is None:
            return None
        number, day = found
        return (f"{self.occurrence}#{number}" if self.repeat_every else self.occurrence), day

    def following(self, after: dt.date, calendar: WorkCalendar) -> dt.date | None:
        """The first occurrence strictly after ``after`` that still applies."""
        if self.monthly:
            day = first_workday_of_month(after, calendar)
            if day <= after:
                day = first_workday_of_month(_next_month(after), calendar)
            day = max(day, self.first_day)
        else:
            day = next_occurrence(self.first_day, self.repeat_every, after, calendar)
        if day is None or (self.until is not None and day > self.until):
            return None
        return day


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def _previous_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def first_workday_of_month(day: dt.date, calendar: WorkCalendar) -> dt.date:
    return calendar.next_workday(day.replace(day=1))


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
        first = first_workday_of_month(_next_month(assigned_day), calendar)
        plans.append(Plan(C.MONTHLY_REPORT, first, monthly=True))
    return [plan for plan in plans if plan]


def commitment_plans(commitment: Commitment, rules: Rules, calendar: WorkCalendar) -> list[Plan]:
    if commitment.status != CommitmentStatus.OPEN:
        return []
    due = commitment.due_on
    plans = [
        _plan(rules, C.COMMITMENT_DUE_SOON, "", calendar, due, after=False, until=due),
        _plan(rules, C.COMMITMENT_OVERDUE, "", calendar, due, after=True),
    ]
    return [plan for plan in plans if plan]


def reply_plans(reply: Reply, waiting_for_rating: bool, rules: Rules, calendar: WorkCalendar) -> list[Plan]:
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
        if inclusive and plan.latest(after, calendar) and plan.latest(after, calendar)[1] == after:
            days.append(after)
        following = plan.following(after, calendar)
        if following:
            days.append(following)
    return office_start(min(days)) if days else None


# Rescheduling, called by the workflow ------------------------------------------------------


def reschedule(suggestion: Suggestion) -> None:
    """Recompute ``next_reminder_at`` of the suggestion's assignments, commitments and latest
    reply; called by the workflow after every change of the suggestion's handling."""
    rules, calendar, today = Rules(), WorkCalendar(), clock.today()
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
    if suggestion.status != SuggestionStatus.REPLIED:
        return False
    group = 1 + suggestion.joined.count()
    return Feedback.objects.filter(reply=reply).count() < group


# The scan ----------------------------------------------------------------------------------


class Recipients:
    """Who receives what, read in a handful of queries for a whole batch."""

    def __init__(self, department_ids: set[int], township_ids: set[int]):
        contacts = Department.contact_users.through.objects.filter(department_id__in=department_ids)
        self.handlers: dict[int, set[int]] = defaultdict(set)
        for department_id, user_id in contacts.values_list("department_id", "user_id"):
            self.handlers[department_id].add(user_id)
        profiles = StaffProfile.objects.filter(user__is_active=True).filter(
            role=Role.COUNTY_STAFF
        ) | StaffProfile.objects.filter(user__is_active=True, role=Role.TOWNSHIP_STAFF, township_id__in=township_ids)
        self.county: set[int] = set()
        self.leaders: set[int] = set()
        self.township: dict[int, set[int]] = defaultdict(set)
        for user_id, role, township_id, is_leader in profiles.values_list(
            "user_id", "role", "township_id", "is_leader"
        ):
            if role == Role.COUNTY_STAFF:
                self.county.add(user_id)
                if is_leader:
                    self.leaders.add(user_id)
            else:
                self.township[township_id].add(user_id)

    def reviewers(self, suggestion: Suggestion) -> set[int]:
        if suggestion.jurisdiction == Jurisdiction.TOWNSHIP and suggestion.township_id:
            return set(self.township[suggestion.township_id])
        return set(self.county)


def reviewer_ids(suggestion: Suggestion) -> set[int]:
    """The staff who review and supervise ``suggestion``: county staff, or for a township
    suggestion its township's staff."""
    return Recipients(set(), {suggestion.township_id} - {None}).reviewers(suggestion)


def _title(clock: str, suggestion: Suggestion, **extra) -> str:
    texts = {
        C.ACCEPTANCE: _("Please accept suggestion %(number)s (assigned %(assigned)s)"),
        C.DUE_SOON: _("Suggestion %(number)s is due on %(due)s"),
        C.DUE_TODAY: _("Suggestion %(number)s is due today"),
        C.OVERDUE: _("Suggestion %(number)s is overdue since %(due)s"),
        C.ESCALATION_1: _("Escalated: suggestion %(number)s is overdue since %(due)s (%(department)s)"),
        C.ESCALATION_2: _(
            "Escalated to the leadership: suggestion %(number)s is overdue since %(due)s (%(department)s)"
        ),
        C.MONTHLY_REPORT: _("Monthly progress report due for supervised suggestion %(number)s"),
        C.CO_DUE_SOON: _("Co-handler input for suggestion %(number)s is due on %(due)s"),
        C.CO_OVERDUE: _("Co-handler input for suggestion %(number)s is overdue since %(due)s"),
        C.FEEDBACK_DUE: _("Please rate the reply to suggestion %(number)s by %(due)s"),
        C.FEEDBACK_LAPSED: _("Suggestion %(number)s: the reply was not rated by %(due)s"),
        C.COMMITMENT_DUE_SOON: _("A commitment on suggestion %(number)s is due on %(due)s"),
        C.COMMITMENT_OVERDUE: _("A commitment on suggestion %(number)s is overdue since %(due)s"),
        C.MANUAL: _("Reminder from the congress office: suggestion %(number)s"),
    }
    return texts[clock] % {"number": suggestion.number, **extra}


def _locked_batch(queryset, batch: int):
    """Rows of ``queryset`` locked for this scan; rows another worker holds are skipped."""
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True, of=("self",))[:batch]
    return queryset[:batch]


def _due_now(plans: Iterable[Plan], today: dt.date, calendar: WorkCalendar) -> Iterator[tuple[Plan, str]]:
    """The plans with an occurrence due today, each with its occurrence key."""
    for plan in plans:
        found = plan.latest(today, calendar)
        if found is not None:
            yield plan, found[0]


def _assignment_plans(assignment: Assignment, rules, calendar) -> list[Plan]:
    return assignment_plans(assignment, assignment.suggestion.tier, rules, calendar)


def _assignment_reminders(assignments: list[Assignment], today, rules, calendar) -> Iterator[Reminder]:
    recipients = Recipients(
        {a.department_id for a in assignments}, {a.suggestion.township_id for a in assignments} - {None}
    )
    for assignment in assignments:
        suggestion = assignment.suggestion
        for plan, occurrence in _due_now(_assignment_plans(assignment, rules, calendar), today, calendar):
            escalation = plan.clock in (C.ESCALATION_1, C.ESCALATION_2)
            if plan.clock == C.ESCALATION_1:
                to = recipients.reviewers(suggestion) | ({assignment.assigned_by_id} - {None})
            elif plan.clock == C.ESCALATION_2:
                to = set(recipients.leaders) | ({suggestion.supervising_leader_id} - {None})
            else:
                to = set(recipients.handlers[assignment.department_id])
            if escalation:
                link = reverse("admin:suggestions_suggestion_change", args=[suggestion.pk])
            else:
                link = reverse("department:assignment", args=[assignment.pk])
            yield Reminder(
                "assignment",
                assignment.pk,
                plan.clock,
                occurrence,
                to,
                _title(
                    plan.clock,
                    suggestion,
                    due=assignment.due_on,
                    department=assignment.department.name,
                    assigned=timezone.localdate(assignment.assigned_at),
                ),
                suggestion.title,
                link,
                escalation=escalation,
                payload={"suggestion_id": suggestion.pk, "assignment_id": assignment.pk, "status": suggestion.status},
            )


def _load_assignments(queryset):
    return queryset.select_related("suggestion", "department").only(
        "pk",
        "status",
        "role",
        "due_on",
        "assigned_at",
        "assigned_by_id",
        "department_id",
        "department__name",
        "next_reminder_at",
        "midpoint_on",
        "suggestion__id",
        "suggestion__number",
        "suggestion__title",
        "suggestion__tier",
        "suggestion__jurisdiction",
        "suggestion__township_id",
        "suggestion__status",
        "suggestion__supervising_leader_id",
    )


def _commitment_reminders(commitments: list[Commitment], today, rules, calendar) -> Iterator[Reminder]:
    recipients = Recipients({c.reply.assignment.department_id for c in commitments}, set())
    for commitment in commitments:
        for plan, occurrence in _due_now(commitment_plans(commitment, rules, calendar), today, calendar):
            yield Reminder(
                "commitment",
                commitment.pk,
                plan.clock,
                occurrence,
                set(recipients.handlers[commitment.reply.assignment.department_id]),
                _title(plan.clock, commitment.suggestion, due=commitment.due_on),
                commitment.content,
                reverse("department:assignment", args=[commitment.reply.assignment_id]),
            )


def _reply_plans(reply: Reply, rules, calendar) -> list[Plan]:
    return reply_plans(reply, reply.suggestion.status == SuggestionStatus.REPLIED, rules, calendar)


def _reply_reminders(replies: list[Reply], today, rules, calendar) -> Iterator[Reminder]:
    suggestions = {r.suggestion_id for r in replies}
    members = defaultdict(list)  # primary id -> [(suggestion id, lead deputy's user id)]
    group = Suggestion.objects.filter(Q(pk__in=suggestions) | Q(primary_id__in=suggestions))
    for pk, primary_id, user_id in group.values_list("pk", "primary_id", "lead_deputy__user_id"):
        members[primary_id or pk].append((pk, user_id))
    rated = set(Feedback.objects.filter(reply__in=replies).values_list("reply_id", "suggestion_id"))
    recipients = Recipients(set(), {r.suggestion.township_id for r in replies} - {None})
    for reply in replies:
        suggestion = reply.suggestion
        for plan, occurrence in _due_now(_reply_plans(reply, rules, calendar), today, calendar):
            if plan.clock == C.FEEDBACK_DUE:
                to = {user for pk, user in members[suggestion.pk] if (reply.pk, pk) not in rated and user}
                link = reverse("deputy:suggestion", args=[suggestion.pk])
            else:
                to = recipients.reviewers(suggestion)
                link = reverse("admin:suggestions_suggestion_change", args=[suggestion.pk])
            yield Reminder(
                "reply",
                reply.pk,
                plan.clock,
                occurrence,
                to,
                _title(plan.clock, suggestion, due=reply.feedback_due_on),
                suggestion.title,
                link,
            )


@dataclass(frozen=True)
class ItemKind:
    """One kind of item the scan reminds about: how to load a batch, its plans, its reminders."""

    model: type
    load: Callable
    plans: Callable
    reminders: Callable


ITEM_KINDS = (
    ItemKind(Assignment, _load_assignments, _assignment_plans, _assignment_reminders),
    ItemKind(
        Commitment,
        lambda q: q.select_related("suggestion", "reply__assignment"),
        commitment_plans,
        _commitment_reminders,
    ),
    ItemKind(Reply, lambda q: q.select_related("suggestion"), _reply_plans, _reply_reminders),
)


def _scan_batch(kind: ItemKind, now, rules, calendar) -> ScanResult:
    """Send what is due for one locked batch of ``kind``; record escalations; set next times."""
    today = timezone.localdate(now)
    due = kind.model.objects.filter(next_reminder_at__lte=now).order_by("next_reminder_at", "pk")
    with transaction.atomic():
        batch = list(kind.load(_locked_batch(due, settings.REMINDER_BATCH)))
        if not batch:
            return ScanResult()
        sent, _skipped = send_reminders(list(kind.reminders(batch, today, rules, calendar)))
        escalations = [r for r in sent if r.escalation]
        SuggestionEvent.objects.bulk_create(
            [
                SuggestionEvent(
                    suggestion_id=r.payload["suggestion_id"],
                    assignment_id=r.payload["assignment_id"],
                    action="escalate",
                    from_status="",
                    to_status=r.payload["status"],
                    note=r.title,
                )
                for r in escalations
            ]
        )
        next_times = {
            item.pk: next_time(kind.plans(item, rules, calendar), today, calendar, inclusive=False) for item in batch
        }
        update_column(kind.model, "next_reminder_at", next_times)
        return ScanResult(sent=len(sent), escalations=len(escalations), items=len(batch))


def scan_suggestion_reminders(now: dt.datetime, *, rules: Rules, calendar: WorkCalendar) -> ScanResult:
    """Send every suggestion reminder that is due at ``now`` (batch after batch)."""
    result = ScanResult()
    for kind in ITEM_KINDS:
        while True:
            part = _scan_batch(kind, now, rules, calendar)
            result.add(part)
            if part.items < settings.REMINDER_BATCH:
                break
    return result


# Manual reminders ----------------------------------------------------------------------------


def remind_manually(suggestions: Iterable[Suggestion], *, actor, note: str = "") -> int:
    """Staff's 催办 on suggestions: remind the departments of their open assignments now."""
    return remind_assignments(
        Assignment.objects.filter(suggestion__in=list(suggestions), status__in=OPEN_ASSIGNMENT_STATUSES),
        actor=actor,
        note=note,
    )


def remind_assignments(assignments, *, actor, note: str = "") -> int:
    """Remind the handlers of these open assignments now (催办).

    Recorded like the automatic reminders (a log row per assignment and moment, an event on
    the suggestion's trail). Returns the number of assignments reminded.
    """
    moment = clock.now()
    assignments = list(
        assignments.filter(status__in=OPEN_ASSIGNMENT_STATUSES).select_related("suggestion", "department")
    )
    if not assignments:
        return 0
    recipients = Recipients({a.department_id for a in assignments}, set())
    reminders = [
        Reminder(
            "assignment",
            a.pk,
            C.MANUAL,
            moment.isoformat(timespec="seconds"),
            set(recipients.handlers[a.department_id]),
            _title(C.MANUAL, a.suggestion),
            note or a.suggestion.title,
            reverse("department:assignment", args=[a.pk]),
            payload={"suggestion_id": a.suggestion_id, "assignment_id": a.pk, "status": a.suggestion.status},
        )
        for a in assignments
    ]
    with transaction.atomic():
        sent, _skipped = send_reminders(reminders, actor=actor)
        SuggestionEvent.objects.bulk_create(
            [
                SuggestionEvent(
                    suggestion_id=r.payload["suggestion_id"],
                    assignment_id=r.payload["assignment_id"],
                    action="remind",
                    actor=actor,
                    note=note,
                    from_status="",
                    to_status=r.payload["status"],
                )
                for r in sent
            ]
        )
    return len(sent)
