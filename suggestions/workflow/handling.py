"""Actions of the handling departments, and the staff's decisions on extensions."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..deadlines import Deadlines, midpoint
from ..models import (
    OPEN_ASSIGNMENT_STATUSES,
    TIER_CLOCKS,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Clock,
    Commitment,
    CommitmentStatus,
    ContactMethod,
    ContactRecord,
    ExtensionRequest,
    ExtensionStatus,
    ProgressKind,
    ProgressLog,
    Reply,
    Suggestion,
)
from ..permissions import Actor, may, may_fulfil
from ..reminders import reschedule
from . import notices
from .core import (
    lock_assignment,
    move_assignment,
    move_suggestion,
    now,
    require_right,
    require_source,
    require_text,
    suggestion_event,
    take,
    today,
)
from .errors import Invalid, NotAllowed
from .table import ASSIGNMENT_TRANSITIONS, SUGGESTION_TRANSITIONS


def _take(action: str, actor, assignment: Assignment):
    """The assignment table's row of ``action``, once the actor's right is checked (a handler's
    on the assignment, the reviewing staff's on its suggestion)."""
    transition = ASSIGNMENT_TRANSITIONS[action]
    target = assignment.suggestion if transition.actor == Actor.REVIEWER else assignment
    return take(ASSIGNMENT_TRANSITIONS, action, actor, target)


def _require_open(assignment: Assignment) -> None:
    if assignment.status != AssignmentStatus.ACCEPTED:
        raise Invalid(
            _("Accept the assignment first; it is “%(status)s”.") % {"status": assignment.get_status_display()}
        )


@transaction.atomic
def assignment_accept(*, assignment: Assignment, actor) -> Assignment:
    """The department takes the order (接单). Two handlers accepting at once: one wins, the
    other is refused, because both lock the suggestion row first. The lead's acceptance starts
    the suggestion's handling."""
    transition = _take("accept", actor, assignment)
    suggestion, assignment = lock_assignment(assignment)
    move_assignment(assignment, transition, accepted_at=now())
    start_handling = SUGGESTION_TRANSITIONS["start_handling"]
    if assignment.is_lead and suggestion.status in start_handling.sources:
        move_suggestion(suggestion, start_handling, actor, assignment=assignment)
    else:
        suggestion_event(suggestion, "accept_assignment", actor, assignment=assignment)
    notices.assignment_accepted(suggestion, assignment)
    reschedule(suggestion)
    return assignment


@transaction.atomic
def assignment_return(*, assignment: Assignment, actor, reason: str) -> Assignment:
    """Return a suggestion outside the department's remit (退回), within the return window.

    When the lead returns it, the round's other assignments are cancelled and the suggestion
    goes back to the staff for reassignment; the clock restarts when they reassign it.
    """
    transition = _take("return", actor, assignment)
    reason = require_text(reason, _("Please give the reason for returning it."))
    suggestion, assignment = lock_assignment(assignment)
    deadlines = Deadlines()
    start = today()
    window_end = deadlines.due(Clock.RETURN_WINDOW, timezone.localdate(assignment.assigned_at))
    if start > window_end:
        raise Invalid(
            _("The window to return it ended on %(date)s; ask the congress staff instead.") % {"date": window_end}
        )
    move_assignment(assignment, transition, return_reason=reason, completed_at=now())
    if assignment.is_lead:
        _cancel_with_lead(suggestion, assignment, actor)
        move_suggestion(suggestion, SUGGESTION_TRANSITIONS["lead_returned"], actor, assignment=assignment, note=reason)
    else:
        suggestion_event(suggestion, "return", actor, assignment=assignment, note=reason)
    notices.assignment_returned(suggestion, assignment, reason)
    reschedule(suggestion, calendar=deadlines.calendar, today=start)
    return assignment


def _cancel_with_lead(suggestion: Suggestion, lead: Assignment, actor) -> None:
    """Cancel the suggestion's other open assignments: the lead returned it, and the staff
    will assign it afresh."""
    transition = ASSIGNMENT_TRANSITIONS["cancel_with_lead"]
    note = _("The lead department returned the suggestion.")
    others = suggestion.assignments.select_for_update().filter(status__in=OPEN_ASSIGNMENT_STATUSES).exclude(pk=lead.pk)
    for assignment in others:
        move_assignment(assignment, transition, completed_at=now())
        suggestion_event(suggestion, transition.action, actor, assignment=assignment, note=note, is_public=False)


@transaction.atomic
def assignment_log_contact(*, assignment: Assignment, actor, contacted_on: dt.date, method: str, note: str = ""):
    """Record a contact with the deputy (a face-to-face meeting counts for the meeting rate)."""
    require_right(Actor.HANDLER, actor, assignment)
    if method not in ContactMethod.values:
        raise Invalid(_("Please choose how the deputy was contacted."))
    if contacted_on > today():
        raise Invalid(_("The date of the contact cannot be in the future."))
    suggestion, assignment = lock_assignment(assignment)
    _require_open(assignment)
    assigned_on = timezone.localtime(assignment.assigned_at).date()
    if contacted_on < assigned_on:
        # an earlier date would count a meeting that happened before the order existed
        raise Invalid(
            _("The date of the contact cannot be before the assignment (%(day)s).") % {"day": f"{assigned_on:%Y-%m-%d}"}
        )
    record = ContactRecord.objects.create(
        assignment=assignment, contacted_on=contacted_on, method=method, note=note.strip(), created_by=actor
    )
    suggestion_event(
        suggestion,
        "contact",
        actor,
        assignment=assignment,
        note=f"{record.get_method_display()} {contacted_on:%Y-%m-%d}",
    )
    return record


@transaction.atomic
def assignment_log_progress(
    *, assignment: Assignment, actor, text: str, file=None, kind: str = ProgressKind.PROGRESS
) -> ProgressLog:
    """Log handling progress (text and an optional file)."""
    require_right(Actor.HANDLER, actor, assignment)
    text = require_text(text, _("Please describe the progress."))
    suggestion, assignment = lock_assignment(assignment)
    _require_open(assignment)
    log = ProgressLog.objects.create(assignment=assignment, kind=kind, text=text, file=file or "", created_by=actor)
    assignment.last_progress_at = log.created_at
    assignment.save(update_fields=["last_progress_at"])
    suggestion_event(
        suggestion,
        "report" if kind == ProgressKind.SUPERVISION_REPORT else "progress",
        actor,
        assignment=assignment,
        note=text,
    )
    return log


@transaction.atomic
def assignment_submit_input(*, assignment: Assignment, actor, text: str, file=None) -> Assignment:
    """A co-handler gives its part to the lead department, which completes its assignment."""
    transition = _take("submit_input", actor, assignment)
    if assignment.role != AssignmentRole.CO:
        raise Invalid(_("Only a co-handler gives input to the lead department; the lead replies."))
    text = require_text(text, _("Please write the co-handler's input."))
    suggestion, assignment = lock_assignment(assignment)
    move_assignment(assignment, transition, completed_at=now(), last_progress_at=now())
    ProgressLog.objects.create(
        assignment=assignment, kind=ProgressKind.CO_INPUT, text=text, file=file or "", created_by=actor
    )
    suggestion_event(suggestion, "submit_input", actor, assignment=assignment, note=text)
    lead = (
        suggestion.assignments.filter(
            role=AssignmentRole.LEAD, status__in=[AssignmentStatus.PENDING, AssignmentStatus.ACCEPTED]
        )
        .select_related("department")
        .first()
    )
    if lead:
        notices.co_input_arrived(lead, assignment)
    reschedule(suggestion)
    return assignment


@transaction.atomic
def assignment_reply(*, assignment: Assignment, actor, result_class, content: str, file=None, commitments=()) -> Reply:
    """The lead department's formal reply (答复) with its result class.

    Needs every co-handler's input first. A result class that creates commitments (B) needs
    at least one commitment, each ``(text, due_on)`` with a future due date.
    """
    transition = _take("reply", actor, assignment)
    if assignment.role != AssignmentRole.LEAD:
        raise Invalid(_("Only the lead department replies; a co-handler gives its input to the lead."))
    content = require_text(content, _("Please write the reply."))
    suggestion, assignment = lock_assignment(assignment)
    require_source(transition, assignment)
    waiting = suggestion.assignments.filter(
        role=AssignmentRole.CO, round=assignment.round, status__in=[AssignmentStatus.PENDING, AssignmentStatus.ACCEPTED]
    ).select_related("department")
    if waiting:
        names = "、".join(str(a.department) for a in waiting)
        raise Invalid(_("Waiting for the co-handlers' input: %(names)s.") % {"names": names})
    commitments = [(text.strip(), due) for text, due in commitments if text and text.strip()]
    if result_class.creates_commitments and not commitments:
        raise Invalid(_("A “%(result)s” reply must list what is promised and by when.") % {"result": result_class})
    for _text, due_on in commitments:
        if due_on is None or due_on <= today():
            raise Invalid(_("Each commitment needs a due date in the future."))
    replied_at = now()
    deadlines = Deadlines()
    move_assignment(assignment, transition, completed_at=replied_at)
    reply = Reply.objects.create(
        suggestion=suggestion,
        assignment=assignment,
        round=assignment.round,
        result_class=result_class,
        content=content,
        file=file or "",
        replied_by=actor,
        replied_at=replied_at,
        on_time=timezone.localdate(replied_at) <= assignment.due_on,
        feedback_due_on=deadlines.due(Clock.FEEDBACK_WINDOW, timezone.localdate(replied_at)),
    )
    Commitment.objects.bulk_create(
        [Commitment(suggestion=suggestion, reply=reply, content=text[:300], due_on=due) for text, due in commitments]
    )
    move_suggestion(suggestion, SUGGESTION_TRANSITIONS["reply"], actor, assignment=assignment, note=f"{result_class}")
    notices.reply_posted(suggestion, content)
    reschedule(suggestion, calendar=deadlines.calendar, today=timezone.localdate(replied_at))
    return reply


@transaction.atomic
def extension_request(*, assignment: Assignment, actor, requested_due_on: dt.date, reason: str) -> ExtensionRequest:
    """A department asks for more time (延期), within the rule's cap."""
    require_right(Actor.HANDLER, actor, assignment)
    reason = require_text(reason, _("Please give the reason for the extension."))
    suggestion, assignment = lock_assignment(assignment)
    if not assignment.is_open:
        raise Invalid(_("This assignment is finished."))
    if requested_due_on <= assignment.due_on:
        raise Invalid(_("Ask for a date after the current due date %(due)s.") % {"due": assignment.due_on})
    cap = extension_cap(suggestion, assignment)
    if requested_due_on > cap:
        raise Invalid(_("The rules allow an extension to %(cap)s at the latest.") % {"cap": cap})
    if assignment.extension_requests.filter(status=ExtensionStatus.PENDING).exists():
        raise Invalid(_("An extension request is already waiting for a decision."))
    request = ExtensionRequest.objects.create(
        assignment=assignment, requested_due_on=requested_due_on, reason=reason, requested_by=actor
    )
    suggestion_event(
        suggestion,
        "request_extension",
        actor,
        assignment=assignment,
        note=f"{requested_due_on:%Y-%m-%d} {reason}",
        is_public=False,
    )
    notices.extension_requested(suggestion, request)
    return request


def extension_cap(suggestion: Suggestion, assignment: Assignment, deadlines: Deadlines | None = None) -> dt.date:
    """The latest due date the rules allow for this assignment, counted from its assignment."""
    deadlines = deadlines or Deadlines()
    if assignment.role == AssignmentRole.CO:
        clock = Clock.CO_INPUT
    elif assignment.round > 1:
        clock = Clock.REHANDLING
    else:
        clock = TIER_CLOCKS[suggestion.tier]
    return deadlines.extension_cap(clock, timezone.localdate(assignment.assigned_at))


@transaction.atomic
def extension_decide(
    *, request: ExtensionRequest, actor, approve: bool, due_on: dt.date | None = None, note: str = ""
) -> ExtensionRequest:
    """Staff approve (with a new due date, capped by the rule) or refuse (with a reason)."""
    assignment = request.assignment
    if not may(actor, Actor.REVIEWER, assignment.suggestion):
        raise NotAllowed(_("Only the congress staff in charge may decide on extensions."))
    suggestion, assignment = lock_assignment(assignment)
    deadlines = Deadlines()
    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ExtensionStatus.PENDING:
        raise Invalid(_("This request was already decided."))
    if approve:
        granted = due_on or request.requested_due_on
        cap = extension_cap(suggestion, assignment, deadlines)
        if granted > cap:
            raise Invalid(_("The rules allow an extension to %(cap)s at the latest.") % {"cap": cap})
        if granted <= assignment.due_on:
            raise Invalid(_("The new due date must be after the current one, %(due)s.") % {"due": assignment.due_on})
        start = timezone.localdate(assignment.assigned_at)
        assignment.due_on = granted
        assignment.midpoint_on = midpoint(start, granted)
        assignment.save(update_fields=["due_on", "midpoint_on"])
        request.status, request.granted_due_on = ExtensionStatus.APPROVED, granted
        action, event_note = "approve_extension", f"{granted:%Y-%m-%d} {note}".strip()
    else:
        note = require_text(note, _("Please give the reason for refusing."))
        request.status = ExtensionStatus.REFUSED
        action, event_note = "refuse_extension", note
    request.decided_by, request.decided_at, request.decision_note = actor, now(), note
    request.save(update_fields=["status", "granted_due_on", "decided_by", "decided_at", "decision_note"])
    suggestion_event(suggestion, action, actor, assignment=assignment, note=event_note)
    notices.extension_decided(assignment, action, event_note)
    reschedule(suggestion, calendar=deadlines.calendar)
    return request


@transaction.atomic
def commitment_fulfil(*, commitment: Commitment, actor, note: str) -> Commitment:
    """Mark a commitment fulfilled, by the lead department's handler or the staff."""
    reply_assignment = commitment.reply.assignment
    if actor is None or not may_fulfil(actor, commitment):
        raise NotAllowed(_("Only the lead department or the congress staff may do this."))
    note = require_text(note, _("Please say how the commitment was fulfilled."))
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if commitment.status != CommitmentStatus.OPEN:
        raise Invalid(_("This commitment is already fulfilled."))
    commitment.status, commitment.fulfilled_at, commitment.fulfilled_note = CommitmentStatus.FULFILLED, now(), note
    commitment.save(update_fields=["status", "fulfilled_at", "fulfilled_note"])
    suggestion_event(
        commitment.suggestion,
        "fulfil_commitment",
        actor,
        assignment=reply_assignment,
        note=f"{commitment.content}: {note}",
    )
    reschedule(commitment.suggestion)
    return commitment


@transaction.atomic
def assignment_cancel(*, assignment: Assignment, actor, reason: str) -> Assignment:
    """Staff withdraw a co-handler's assignment (e.g. no input is needed after all)."""
    transition = _take("cancel", actor, assignment)
    if assignment.is_lead:
        raise Invalid(_("The lead assignment cannot be withdrawn; the lead department returns it instead."))
    reason = require_text(reason, _("Please give the reason."))
    suggestion, assignment = lock_assignment(assignment)
    move_assignment(assignment, transition, completed_at=now())
    suggestion_event(suggestion, transition.action, actor, assignment=assignment, note=reason, is_public=False)
    reschedule(suggestion)
    return assignment
