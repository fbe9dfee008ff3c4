"""Actions on suggestions: write, edit and submit, review, join, assign, close, publish."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..deadlines import Deadlines
from ..models import (
    OPEN_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentRole,
    Clock,
    CommitmentStatus,
    DepartmentLevel,
    HandlingMode,
    Jurisdiction,
    Suggestion,
    SuggestionCounter,
    SuggestionStatus,
    Tier,
)
from ..permissions import Actor, may_write_for
from ..reminders import reschedule
from . import notices
from .core import (
    lock_suggestion,
    move_suggestion,
    new_assignment,
    now,
    require_right,
    require_source,
    require_text,
    suggestion_event,
    take,
    today,
)
from .errors import IllegalTransition, Invalid, NotAllowed
from .feedback import feedback_window_open, latest_reply
from .opinions import opinion_merge
from .table import SUGGESTION_INITIAL, SUGGESTION_TRANSITIONS

MAX_TITLE = 200


def _locked_for_review(suggestion: Suggestion, actor, action: str):
    """Lock the suggestion, then check the actor's right to take ``action`` on its current
    (locked) state. Returns the locked suggestion and the transition."""
    suggestion = lock_suggestion(suggestion)
    return suggestion, take(SUGGESTION_TRANSITIONS, action, actor, suggestion)


def next_number(year: int) -> str:
    """The next suggestion number of ``year`` (``2026-0001`` …), safe under concurrency."""
    counter, _created = SuggestionCounter.objects.select_for_update().get_or_create(year=year)
    SuggestionCounter.objects.filter(year=year).update(last=F("last") + 1)
    counter.refresh_from_db()
    return f"{year}-{counter.last:04d}"


def _valid_title_and_content(title: str, content: str) -> tuple[str, str]:
    title = require_text(title, _("Please give the suggestion a title."))
    content = require_text(content, _("Please write the content of the suggestion."))
    if len(title) > MAX_TITLE:
        raise Invalid(_("The title is too long (at most 200 characters)."))
    return title, content


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
    """Write a suggestion (from opinions or fresh) in the table's initial status (a draft)
    and, unless ``submit`` is false, submit it.

    The actor is a writer (:func:`suggestions.permissions.may_write_for`): the lead deputy, or
    congress staff entering it on the deputy's behalf. The source opinions are merged into
    it, each with its own event.
    """
    if actor is None or not may_write_for(actor, lead_deputy.pk, station.township_id):
        raise NotAllowed(_("A suggestion is written by its lead deputy or entered by the congress staff."))
    title, content = _valid_title_and_content(title, content)
    suggestion = Suggestion.objects.create(
        status=SUGGESTION_INITIAL,
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


DRAFT_FIELDS = ("title", "content", "category", "station", "co_signers")


@transaction.atomic
def suggestion_update_draft(*, suggestion: Suggestion, actor, **fields) -> Suggestion:
    """Change a draft's ``title``, ``content``, ``category``, ``station`` or ``co_signers`` in
    place (its status stays *draft*); fields not given keep their value.

    Whoever may submit the draft may edit it (the table's ``edit`` row, actor *writer*): its
    lead deputy, county staff, and the staff of the township where it was raised, also for
    the township of a new station. Writes an internal ``edit`` event naming the changed
    fields; nothing changed, nothing written.
    """
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise TypeError(f"suggestion_update_draft() got unexpected fields: {', '.join(sorted(unknown))}")
    draft = lock_suggestion(suggestion)
    transition = take(SUGGESTION_TRANSITIONS, "edit", actor, draft)
    require_source(transition, draft)
    co_signers = fields.pop("co_signers", None)
    title, content = _valid_title_and_content(fields.pop("title", draft.title), fields.pop("content", draft.content))
    values = {"title": title, "content": content, **fields}
    changed = [name for name, value in values.items() if _differs(draft, name, value)]
    for name in changed:
        setattr(draft, name, values[name])
    if "station" in changed:
        draft.township_id = draft.station.township_id
        require_right(transition.actor, actor, draft)  # staff may not move it out of their township
    if co_signers is not None:
        wanted = {deputy.pk for deputy in co_signers if deputy.pk != draft.lead_deputy_id}
        if wanted != set(draft.co_signers.values_list("pk", flat=True)):
            draft.co_signers.set(wanted)
            changed.append("co_signers")
    if changed:
        draft.save(update_fields=[name for name in changed if name != "co_signers"] + ["township", "updated_at"])
        labels = [str(Suggestion._meta.get_field(name).verbose_name) for name in changed]
        suggestion_event(
            draft, transition.action, actor, from_status=draft.status, note="、".join(labels), is_public=False
        )
    return draft


def _differs(suggestion: Suggestion, name: str, value) -> bool:
    field = Suggestion._meta.get_field(name)
    if field.is_relation:
        return getattr(suggestion, field.attname) != getattr(value, "pk", value)
    return getattr(suggestion, name) != value


@transaction.atomic
def suggestion_submit(*, suggestion: Suggestion, actor) -> Suggestion:
    """Send a draft to the congress staff for review; it gets its number now."""
    suggestion = lock_suggestion(suggestion)
    transition = require_source(take(SUGGESTION_TRANSITIONS, "submit", actor, suggestion), suggestion)
    submitted_at = now()
    number = next_number(timezone.localtime(submitted_at).year)
    move_suggestion(suggestion, transition, actor, number=number, submitted_at=submitted_at)
    notices.suggestion_submitted(suggestion)
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
    suggestion, transition = _locked_for_review(suggestion, actor, "accept")
    if jurisdiction == Jurisdiction.TOWNSHIP and not suggestion.township_id:
        raise Invalid(_("This suggestion was raised outside any township; it can only be handled by the county."))
    require_source(transition, suggestion)
    suggestion.jurisdiction = jurisdiction
    require_right(transition.actor, actor, suggestion)  # a township user may not hand a suggestion to the county
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
    suggestion, transition = _locked_for_review(suggestion, actor, "reject")
    move_suggestion(suggestion, transition, actor, note=reason, closed_at=now())
    notices.suggestion_rejected(suggestion, reason)
    return suggestion


@transaction.atomic
def suggestion_join(*, suggestion: Suggestion, primary: Suggestion, actor, note: str = "") -> Suggestion:
    """Join an identical suggestion to ``primary`` (并案): it is handled with the primary,
    and its lead deputy still receives and rates the reply."""
    suggestion, transition = _locked_for_review(suggestion, actor, "join")
    primary, _transition = _locked_for_review(primary, actor, "join")
    if primary.pk == suggestion.pk or primary.primary_id:
        raise Invalid(_("Join it to a suggestion that is not itself joined to another."))
    require_source(transition, suggestion)
    if suggestion.joined.exists():
        raise Invalid(_("Other suggestions are joined to this one; join them to the new primary first."))
    if primary.status in (SuggestionStatus.DRAFT, SuggestionStatus.REJECTED, SuggestionStatus.CLOSED):
        raise Invalid(_("The suggestion to join to is not being handled."))
    note = note or _("Joined to %(number)s") % {"number": primary.number}
    move_suggestion(suggestion, transition, actor, note=note, primary=primary)
    return suggestion


@transaction.atomic
def suggestion_assign(
    *, suggestion: Suggestion, actor, lead, co_handlers=(), mode: str, note: str = ""
) -> list[Assignment]:
    """Assign (交办) to one lead department and optional co-handlers, starting their clocks.

    County suggestions go to county departments, township ones to their township's
    government. The lead's due date follows the tier's rule; co-handlers' the co-input rule.
    The assignments start in the table's initial status.
    """
    suggestion, transition = _locked_for_review(suggestion, actor, "assign")
    require_source(transition, suggestion)
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
    common = {"round_number": round_number, "start": start, "assigned_by": actor, "assigned_at": assigned_at}
    assignments = [
        new_assignment(
            suggestion, lead, role=AssignmentRole.LEAD, due_on=deadlines.due_for_tier(suggestion.tier, start), **common
        )
    ]
    co_due = deadlines.due(Clock.CO_INPUT, start)
    assignments += [
        new_assignment(suggestion, department, role=AssignmentRole.CO, due_on=co_due, **common)
        for department in co_handlers
    ]
    names = "、".join(a.department.name for a in assignments)
    move_suggestion(suggestion, transition, actor, note=note or names, handling_mode=mode, assigned_at=assigned_at)
    notices.assignments_made(assignments)
    reschedule(suggestion, calendar=deadlines.calendar, today=start)
    return assignments


@transaction.atomic
def suggestion_close(*, suggestion: Suggestion, actor, note: str = "") -> Suggestion:
    """Close (销号) a handled suggestion, and the suggestions joined to it.

    Refused while a commitment is open, a department still handles it, or a joined suggestion
    is still unrated within its window. Closing one that was rated unsatisfied, or never
    rated, needs a note.
    """
    suggestion, transition = _locked_for_review(suggestion, actor, "close")
    if suggestion.primary_id:
        raise IllegalTransition(
            _("This suggestion is joined to %(number)s; close that one.") % {"number": suggestion.primary.number}
        )
    require_source(transition, suggestion)
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
    with_primary = SUGGESTION_TRANSITIONS["close_joined"]
    for member in group[1:]:
        move_suggestion(lock_suggestion(member), with_primary, actor, note=note, closed_at=closed_at)
    move_suggestion(suggestion, transition, actor, note=note, closed_at=closed_at)
    reschedule(suggestion)
    notices.suggestion_closed(suggestion)
    return suggestion


@transaction.atomic
def suggestion_publish_reply(*, suggestion: Suggestion, actor, publish: bool = True) -> Suggestion:
    """Allow (or stop) showing the reply on the suggestion's public page (reviewing staff;
    not a change of status)."""
    suggestion = lock_suggestion(suggestion)
    require_right(Actor.REVIEWER, actor, suggestion)
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
