"""The suggestion reminder scan, and manual reminders (催办).

:func:`scan_suggestion_reminders` is registered with :mod:`liaison.reminders` by
``SuggestionsConfig.ready()``. For each kind of reminded item (open assignments, open
commitments, replies waiting for their rating) it reads only the rows whose
``next_reminder_at`` has come, in batches locked with SKIP LOCKED, works out what is due
from their plans (:mod:`suggestions.reminders.plans`), sends it through
:func:`liaison.reminders.send_reminders` (once per item, clock and occurrence), writes an
event for each escalation and sets the next time.

:func:`remind_manually` and :func:`remind_assignments` send staff's reminders now, through
the same path and with the same titles, recorded like the automatic ones.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import clock
from liaison.bulk import update_column
from liaison.models import ReminderClock as C
from liaison.reminders import Reminder, Rules, ScanResult, lock_for_scan, send_reminders
from liaison.workdays import WorkCalendar

from ..models import (
    OPEN_ASSIGNMENT_STATUSES,
    Assignment,
    Commitment,
    Feedback,
    Reply,
    Suggestion,
    SuggestionEvent,
    SuggestionStatus,
)
from ..recipients import Recipients
from .plans import Plan, assignment_plans, commitment_plans, next_time, reply_plans


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
        batch = list(kind.load(lock_for_scan(due, settings.REMINDER_BATCH)))
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
