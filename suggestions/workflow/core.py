"""Shared mechanics of the actions: checking the table, locking rows, writing events."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from liaison import clock

from ..labels import ACTION_LABELS
from ..models import Assignment, Opinion, OpinionEvent, Suggestion, SuggestionEvent
from .errors import IllegalTransition
from .table import Transition


def now() -> dt.datetime:
    return clock.now()


def today() -> dt.date:
    return clock.today()


def check(table: dict[str, Transition], action: str, status: str, status_label: str) -> Transition:
    """The transition for ``action`` from ``status``, or :class:`IllegalTransition`."""
    transition = table[action]
    if status not in transition.sources:
        raise IllegalTransition(
            _("“%(action)s” is not possible now: the item is “%(status)s”.")
            % {"action": ACTION_LABELS.get(action, action), "status": status_label}
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
    action: str | None = None,
    **fields,
) -> SuggestionEvent:
    """Write the new status (and ``fields``) and its event, in the caller's transaction."""
    from_status = suggestion.status
    suggestion.status = transition.target
    for name, value in fields.items():
        setattr(suggestion, name, value)
    suggestion.save(update_fields=["status", "updated_at", *fields])
    return suggestion_event(
        suggestion,
        action or transition.action,
        actor,
        from_status=from_status,
        to_status=transition.target,
        note=note,
        assignment=assignment,
    )


def move_opinion(opinion: Opinion, transition: Transition, actor, *, note: str = "", **fields) -> OpinionEvent:
    from_status = opinion.status
    opinion.status = transition.target
    for name, value in fields.items():
        setattr(opinion, name, value)
    opinion.save(update_fields=["status", "updated_at", *fields])
    return OpinionEvent.objects.create(
        at=now(),
        opinion=opinion,
        action=transition.action,
        from_status=from_status,
        to_status=transition.target,
        actor=actor if getattr(actor, "pk", None) else None,
        note=note,
    )


def require_text(value: str, message: str) -> str:
    from .errors import Invalid

    value = (value or "").strip()
    if not value:
        raise Invalid(message)
    return value
