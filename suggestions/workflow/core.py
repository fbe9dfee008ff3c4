"""Shared mechanics of the actions: the actor's right and the source status of a transition,
locking rows, creating rows in their initial status, moving them and writing events."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison import clock
from liaison.statuses import write_status

from ..deadlines import midpoint
from ..labels import ACTION_LABELS
from ..models import Assignment, Opinion, OpinionEvent, Suggestion, SuggestionEvent
from ..permissions import Actor, may
from .errors import IllegalTransition, Invalid, NotAllowed
from .table import ASSIGNMENT_INITIAL, Transition


def now() -> dt.datetime:
    return clock.now()


def today() -> dt.date:
    return clock.today()


REFUSALS = {
    Actor.WRITER: gettext_lazy("Only the lead deputy or the congress staff may do this."),
    Actor.REVIEWER: gettext_lazy("Only the congress staff in charge may do this."),
    Actor.HANDLER: gettext_lazy("Only the handlers of %(department)s may do this."),
    Actor.RATER: gettext_lazy("Only the lead deputy rates the reply."),
    Actor.RECEIVER: gettext_lazy("You may not act on this opinion."),
}


def require_right(right: Actor, actor, obj) -> None:
    """Refuse (:class:`NotAllowed`) unless ``actor`` holds ``right`` on ``obj`` (see
    :func:`suggestions.permissions.may`: a suggestion, an assignment or an opinion)."""
    if not may(actor, right, obj):
        message = REFUSALS[right]
        if right == Actor.HANDLER:
            message = message % {"department": obj.department}
        raise NotAllowed(str(message))


def take(table: dict[str, Transition], action: str, actor, obj) -> Transition:
    """The row of ``action``, once ``actor`` is found to hold the right its ``actor`` column
    names on ``obj``; :class:`NotAllowed` otherwise."""
    transition = table[action]
    require_right(transition.actor, actor, obj)
    return transition


def require_source(transition: Transition, item) -> Transition:
    """Refuse (:class:`IllegalTransition`) unless ``item``'s status is one the transition
    starts from."""
    if item.status not in transition.sources:
        raise IllegalTransition(
            _("“%(action)s” is not possible now: the item is “%(status)s”.")
            % {"action": ACTION_LABELS.get(transition.action, transition.action), "status": item.get_status_display()}
        )
    return transition


def lock_suggestion(suggestion: Suggestion) -> Suggestion:
    """Re-read the suggestion under a row lock (PostgreSQL; SQLite serialises writers)."""
    return Suggestion.objects.select_for_update().get(pk=suggestion.pk)


def lock_assignment(assignment: Assignment) -> tuple[Suggestion, Assignment]:
    """Lock the suggestion, then the assignment: always in this order, to avoid deadlocks."""
    suggestion = Suggestion.objects.select_for_update().get(pk=assignment.suggestion_id)
    locked = Assignment.objects.select_for_update().select_related("department").get(pk=assignment.pk)
    return suggestion, locked


def lock_opinion(opinion: Opinion) -> Opinion:
    return Opinion.objects.select_for_update().get(pk=opinion.pk)


def suggestion_event(
    suggestion: Suggestion,
    action: str,
    actor,
    *,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    assignment: Assignment | None = None,
    is_public: bool = True,
) -> SuggestionEvent:
    return SuggestionEvent.objects.create(
        at=now(),
        suggestion=suggestion,
        assignment=assignment,
        action=action,
        from_status=from_status,
        to_status=to_status or suggestion.status,
        actor=actor if getattr(actor, "pk", None) else None,
        note=note,
        is_public=is_public,
    )


def move_suggestion(
    suggestion: Suggestion,
    transition: Transition,
    actor,
    *,
    note: str = "",
    assignment: Assignment | None = None,
    **fields,
) -> SuggestionEvent:
    """Check the source status, write the new status (and ``fields``) and its event, in the
    caller's transaction."""
    require_source(transition, suggestion)
    from_status = write_status(suggestion, transition.target, **fields)
    return suggestion_event(
        suggestion,
        transition.action,
        actor,
        from_status=from_status,
        to_status=transition.target,
        note=note,
        assignment=assignment,
    )


def move_opinion(opinion: Opinion, transition: Transition, actor, *, note: str = "", **fields) -> OpinionEvent:
    """Check the source status, write the new status (and ``fields``) and its event."""
    require_source(transition, opinion)
    from_status = write_status(opinion, transition.target, **fields)
    return OpinionEvent.objects.create(
        at=now(),
        opinion=opinion,
        action=transition.action,
        from_status=from_status,
        to_status=transition.target,
        actor=actor if getattr(actor, "pk", None) else None,
        note=note,
    )


def move_assignment(assignment: Assignment, transition: Transition, **fields) -> None:
    """Check the source status and write the new status (and ``fields``); the event goes on
    the suggestion's trail, written by the caller."""
    require_source(transition, assignment)
    write_status(assignment, transition.target, **fields)


def new_assignment(
    suggestion: Suggestion,
    department,
    *,
    role: str,
    round_number: int,
    start: dt.date,
    due_on: dt.date,
    assigned_by=None,
    assigned_at: dt.datetime | None = None,
) -> Assignment:
    """An assignment in the table's initial status, its clock started on ``start``."""
    return Assignment.objects.create(
        suggestion=suggestion,
        department=department,
        role=role,
        status=ASSIGNMENT_INITIAL,
        round=round_number,
        assigned_at=assigned_at or now(),
        assigned_by=assigned_by,
        due_on=due_on,
        original_due_on=due_on,
        midpoint_on=midpoint(start, due_on),
    )


def require_text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise Invalid(message)
    return value
