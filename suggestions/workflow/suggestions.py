"""Actions on suggestions: write and submit, review, join, assign, close, publish."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.notifications import notify
from liaison.scope import scope_for
from suggestions.permissions import can_review

from ..deadlines import Deadlines, midpoint
from ..models import (
    OPEN_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Clock,
    CommitmentStatus,
    DepartmentLevel,
    Jurisdiction,
    Suggestion,
    SuggestionCounter,
    SuggestionStatus,
    Tier,
)
from ..recipients import reviewer_ids
from ..reminders import reschedule
from .core import (
    check,
    lock_suggestion,
    move_suggestion,
    now,
    require_text,
    suggestion_event,
    today,
)
from .errors import Invalid, NotAllowed
from .opinions import opinion_merge
from .table import ASSIGNMENT_TRANSITIONS, SUGGESTION_TRANSITIONS


def _require_reviewer(actor, suggestion: Suggestion) -> None:
    if actor is None or not can_review(actor, suggestion):
        raise NotAllowed(_("Only the congress staff in charge may do this."))


def _locked_for_review(suggestion: Suggestion, actor) -> Suggestion:
    """Lock the suggestion, then check the actor's right on its current (locked) state."""
    suggestion = lock_suggestion(suggestion)
    _require_reviewer(actor, suggestion)
    return suggestion


def may_write_for(actor, lead_deputy_id: int, township_id: int | None) -> bool:
    """Whether ``actor`` may write or submit a suggestion led by ``lead_deputy_id`` raised in
    ``township_id``: the deputy, county staff, or the township's staff entering it for them."""
    scope = scope_for(actor)
    return scope.deputy_id == lead_deputy_id or scope.is_county or (township_id in scope.township_ids)


def _require_lead_deputy_or_staff(actor, suggestion: Suggestion) -> None:
    if actor is None or not may_write_for(actor, suggestion.lead_deputy_id, suggestion.township_id):
        raise NotAllowed(_("Only the lead deputy or the congress staff may do this."))


def _check(suggestion: Suggestion, action: str):
    return check(SUGGESTION_TRANSITIONS, action, suggestion.status, suggestion.get_status_display())


def staff_link(suggestion: Suggestion) -> str:
    return reverse("admin:suggestions_suggestion_change", args=[suggestion.pk])


def deputy_link(suggestion: Suggestion) -> str:
    return reverse("deputy:suggestion", args=[suggestion.pk])


def next_number(year: int) -> str:
    """The next suggestion number of ``year`` (``2026-0001`` …), safe under concurrency."""
    counter, _created = SuggestionCounter.objects.select_for_update().get_or_create(year=year)
    SuggestionCounter.objects.filter(year=year).update(last=F("last") + 1)
    counter.refresh_from_db()
    return f"{year}-{counter.last:04d}"


@transaction.atomic
def suggestion_create(
    *,
    actor,
    lead_deputy,
    title: str,
    content: str,
    category,
    station,
    co_signers=(),
    opinions=(),
    jurisdiction: str = Jurisdiction.COUNTY,
    submit: bool = True,
) -> Suggestion:
    """Write a suggestion (from opinions or fresh) and, unless ``submit`` is false, submit it.

    The actor is the lead deputy, or congress staff entering it on the deputy's behalf. The
    source opinions are merged into it, each with its own event.
    """
    if actor is None or not may_write_for(actor, lead_deputy.pk, station.township_id):
        raise NotAllowed(_("A suggestion is written by its lead deputy or entered by the congress staff."))
    title = require_text(title, _("Please give the suggestion a title."))
    content = require_text(content, _("Please write the content of the suggestion."))
    if len(title) > 200:
        raise Invalid(_("The title is too long (at most 200 characters)."))
    suggestion = Suggestion.objects.create(
        title=title,
        content=content,
        category=category,
        lead_deputy=lead_deputy,
        station=station,
        jurisdiction=jurisdiction,
        created_by=actor,
    )
    signers = [deputy for deputy in co_signers if deputy.pk != lead_deputy.pk]
    if signers:
        suggestion.co_signers.set(signers)
    suggestion_event(suggestion, "create", actor, to_status=suggestion.status, is_public=False)
    for opinion in opinions:
        opinion_merge(opinion=opinion, suggestion=suggestion, actor=actor)
    if submit:
        suggestion = suggestion_submit(suggestion=suggestion, actor=actor)
    return suggestion


@transaction.atomic
def suggestion_submit(*, suggestion: Suggestion, actor) -> Suggestion:
    """Send a draft to the congress staff for review; it gets its number now."""
    suggestion = lock_suggestion(suggestion)
    _require_lead_deputy_or_staff(actor, suggestion)
    transition = _check(suggestion, "submit")
    submitted_at = now()
    number = next_number(timezone.localtime(submitted_at).year)
    move_suggestion(suggestion, transition, actor, number=number, submitted_at=submitted_at)
    notify(
        recipients=reviewer_ids(suggestion),
        kind="suggestion_submitted",
        title=_("New suggestion %(number)s awaits review") % {"number": number},
        body=suggestion.title,
        link=staff_link(suggestion),
    )
    return suggestion


@transaction.atomic
def suggestion_accept(
    *, suggestion: Suggestion, actor, tier: str, jurisdiction: str, supervising_leader=None, note: str = ""
) -> Suggestion:
    """Review: accept the suggestion (立案) with its tier and jurisdiction.

    Supervised suggestions need a supervising leader.
    """
    if tier not in Tier.values:
        raise Invalid(_("Please choose the tier."))
    if jurisdiction not in Jurisdiction.values:
        raise Invalid(_("Please choose the jurisdiction."))
    if tier == Tier.SUPERVISED and supervising_leader is None:
        raise Invalid(_("A supervised suggestion needs a supervising leader."))
    suggestion = _locked_for_review(suggestion, actor)
    if jurisdiction == Jurisdiction.TOWNSHIP and not suggestion.township_id:
        raise Invalid(_("This suggestion was raised outside any township; it can only be handled by the county."))
    transition = _check(suggestion, "accept")
    suggestion.jurisdiction = jurisdiction
    _require_reviewer(actor, suggestion)  # a township user may not hand a suggestion to the county
    move_suggestion(
        suggestion,
        transition,
        actor,
        note=note,
        tier=tier,
        jurisdiction=jurisdiction,
        supervising_leader=supervising_leader if tier == Tier.SUPERVISED else None,
        accepted_at=now(),
    )
    return suggestion


@transaction.atomic
def suggestion_reject(*, suggestion: Suggestion, actor, reason: str) -> Suggestion:
    """Review: do not accept the suggestion (不予立案), with the reason the deputy will read."""
    reason = require_text(reason, _("Please give the reason for not accepting it."))
    suggestion = _locked_for_review(suggestion, actor)
    move_suggestion(suggestion, _check(suggestion, "reject"), actor, note=reason, closed_at=now())
    _notify_deputies(suggestion, "suggestion_rejected", _("Suggestion %(number)s was not accepted"), reason)
    return suggestion


@transaction.atomic
def suggestion_join(*, suggestion: Suggestion, primary: Suggestion, actor, note: str = "") -> Suggestion:
    """Join an identical suggestion to ``primary`` (并案): it is handled with the primary,
    and its lead deputy still receives and rates the reply."""
    suggestion = _locked_for_review(suggestion, actor)
    primary = _locked_for_review(primary, actor)
    if primary.pk == suggestion.pk or primary.primary_id:
        raise Invalid(_("Join it to a suggestion that is not itself joined to another."))
    if suggestion.joined.exists():
        raise Invalid(_("Other suggestions are joined to this one; join them to the new primary first."))
    if primary.status in (SuggestionStatus.DRAFT, SuggestionStatus.REJECTED, SuggestionStatus.CLOSED):
        raise Invalid(_("The suggestion to join to is not being handled."))
    note = note or _("Joined to %(number)s") % {"number": primary.number}
    move_suggestion(suggestion, _check(suggestion, "join"), actor, note=note, primary=primary)
    return suggestion


@transaction.atomic
def suggestion_assign(
    *, suggestion: Suggestion, actor, lead, co_handlers=(), mode: str, note: str = ""
) -> list[Assignment]:
    """Assign (交办) to one lead department and optional co-handlers, starting their clocks.

    County suggestions go to county departments, township ones to their township's
    government. The lead's due date follows the tier's rule; co-handlers' the co-input rule.
    """
    from ..models import HandlingMode

    suggestion = _locked_for_review(suggestion, actor)
    transition = _check(suggestion, "assign")
    if mode not in HandlingMode.values:
        raise Invalid(_("Please choose the handling mode."))
    if suggestion.jurisdiction == Jurisdiction.COUNTY and lead.level != DepartmentLevel.COUNTY:
        raise Invalid(_("A county suggestion goes to a county department."))
    if suggestion.jurisdiction == Jurisdiction.TOWNSHIP and lead.township_id != suggestion.township_id:
        raise Invalid(_("A township suggestion goes to its own township's government."))
    co_handlers = [department for department in co_handlers if department.pk != lead.pk]
    deadlines = Deadlines()
    assigned_at = now()
    start = today()
    round_number = suggestion.assignments.order_by("-round").values_list("round", flat=True).first() or 1
    assignments = [
        _new_assignment(
            suggestion,
            lead,
            AssignmentRole.LEAD,
            round_number,
            assigned_at,
            actor,
            deadlines.due_for_tier(suggestion.tier, start),
            start,
        )
    ]
    co_due = deadlines.due(Clock.CO_INPUT, start)
    assignments += [
        _new_assignment(suggestion, department, AssignmentRole.CO, round_number, assigned_at, actor, co_due, start)
        for department in co_handlers
    ]
    names = "、".join(a.department.name for a in assignments)
    move_suggestion(suggestion, transition, actor, note=note or names, handling_mode=mode, assigned_at=assigned_at)
    for assignment in assignments:
        _notify_department(
            assignment,
            "assignment_new",
            _("New assignment: suggestion %(number)s, due %(due)s"),
        )
    reschedule(suggestion)
    return assignments


def _new_assignment(suggestion, department, role, round_number, assigned_at, actor, due_on, start) -> Assignment:
    return Assignment.objects.create(
        suggestion=suggestion,
        department=department,
        role=role,
        round=round_number,
        assigned_at=assigned_at,
        assigned_by=actor,
        due_on=due_on,
        original_due_on=due_on,
        midpoint_on=midpoint(start, due_on),
    )


def _notify_department(assignment: Assignment, kind: str, title: str, body: str = "") -> None:
    suggestion = assignment.suggestion
    notify(
        recipients=assignment.department.contact_users.all(),
        kind=kind,
        title=title % {"number": suggestion.number, "due": assignment.due_on},
        body=body or suggestion.title,
        link=reverse("department:assignment", args=[assignment.pk]),
    )


def _notify_deputies(suggestion: Suggestion, kind: str, title: str, body: str = "") -> None:
    """Tell the lead deputies of the suggestion and of those joined to it."""
    group = [suggestion, *suggestion.joined.select_related("lead_deputy")]
    for member in group:
        user_id = member.lead_deputy.user_id
        if user_id:
            notify(
                recipients=[user_id],
                kind=kind,
                title=title % {"number": member.number},
                body=body or member.title,
                link=deputy_link(member),
            )


@transaction.atomic
def suggestion_close(*, suggestion: Suggestion, actor, note: str = "") -> Suggestion:
    """Close (销号) a handled suggestion, and the suggestions joined to it.

    Refused while a commitment is open or a joined suggestion is still unrated within its
    window. Closing one that was rated unsatisfied, or never rated, needs a note.
    """
    from .feedback import feedback_window_open, latest_reply

    suggestion = _locked_for_review(suggestion, actor)
    if suggestion.primary_id:
        raise Invalid(
            _("This suggestion is joined to %(number)s; close that one.") % {"number": suggestion.primary.number}
        )
    transition = _check(suggestion, "close")
    if suggestion.commitments.filter(status=CommitmentStatus.OPEN).exists():
        raise Invalid(_("Commitments of this suggestion are still open; it can be closed once they are fulfilled."))
    if suggestion.assignments.filter(status__in=OPEN_ASSIGNMENT_STATUSES).exists():
        raise Invalid(_("A department is still handling this suggestion."))
    reply = latest_reply(suggestion)
    group = [suggestion, *suggestion.joined.all()]
    ratings = {f.suggestion_id: f.rating for f in reply.feedback.all()} if reply else {}
    unrated = [member for member in group if member.pk not in ratings]
    if unrated and reply and feedback_window_open(reply) and not note.strip():
        raise Invalid(_("Not every deputy has rated the reply yet; wait, or give a note to close it now."))
    if (unrated or "unsatisfied" in ratings.values()) and not note.strip():
        raise Invalid(_("Closing a suggestion that was not rated satisfied needs a note."))
    closed_at = now()
    for member in group[1:]:
        member = lock_suggestion(member)
        move_suggestion(member, _check(member, "close_joined"), actor, note=note, closed_at=closed_at)
    move_suggestion(suggestion, transition, actor, note=note, closed_at=closed_at)
    reschedule(suggestion)
    _notify_deputies(suggestion, "suggestion_closed", _("Suggestion %(number)s is closed"))
    return suggestion


@transaction.atomic
def suggestion_publish_reply(*, suggestion: Suggestion, actor, publish: bool = True) -> Suggestion:
    """Allow (or stop) showing the reply on the suggestion's public page."""
    suggestion = _locked_for_review(suggestion, actor)
    if publish and not suggestion.replies.exists():
        raise Invalid(_("There is no reply to publish yet."))
    suggestion.reply_published = publish
    suggestion.save(update_fields=["reply_published", "updated_at"])
    suggestion_event(
        suggestion,
        "publish_reply",
        actor,
        to_status=suggestion.status,
        note="" if publish else _("Withdrawn from publication"),
        is_public=False,
    )
    return suggestion


def cancel_open_assignments(suggestion: Suggestion, actor, note: str, exclude=()) -> None:
    """Cancel the suggestion's open assignments (the lead returned it: it will be reassigned)."""
    for assignment in suggestion.assignments.filter(status__in=OPEN_ASSIGNMENT_STATUSES).exclude(pk__in=exclude):
        check(ASSIGNMENT_TRANSITIONS, "cancel", assignment.status, assignment.get_status_display())
        assignment.status = AssignmentStatus.CANCELLED
        assignment.completed_at = now()
        assignment.save(update_fields=["status", "completed_at"])
        suggestion_event(suggestion, "cancel", actor, assignment=assignment, note=note, is_public=False)
