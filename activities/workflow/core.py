"""Shared mechanics of the activities actions: checking the table, locking, writing events."""

from __future__ import annotations

from django.utils.translation import gettext as _

from liaison import clock
from liaison.statuses import write_status

from ..labels import ACTIVITY_ACTION_LABELS
from ..models import Activity, ActivityEvent
from .errors import IllegalTransition
from .table import Transition


def check(
    table: dict[str, Transition], action: str, status: str, status_label: str, *, refusal: str | None = None
) -> Transition:
    """The transition for ``action`` from ``status``, or :class:`IllegalTransition` with
    ``refusal`` (its ``%(action)s`` and ``%(status)s`` filled in) or the activity's message."""
    transition = table[action]
    if status not in transition.sources:
        refusal = refusal or _("“%(action)s” is not possible now: the activity is “%(status)s”.")
        raise IllegalTransition(
            refusal % {"action": ACTIVITY_ACTION_LABELS.get(action, action), "status": status_label}
        )
    return transition


def lock_activity(activity: Activity) -> Activity:
    """Re-read the activity under a row lock (PostgreSQL; SQLite serialises writers)."""
    return Activity.objects.select_for_update().select_related("station", "activity_type").get(pk=activity.pk)


def activity_event(
    activity: Activity, action: str, actor, *, from_status: str = "", to_status: str = "", note: str = ""
) -> ActivityEvent:
    return ActivityEvent.objects.create(
        at=clock.now(),
        activity=activity,
        action=action,
        from_status=from_status,
        to_status=to_status or activity.status,
        actor=actor if getattr(actor, "pk", None) else None,
        note=note,
    )


def move_activity(activity: Activity, transition: Transition, actor, *, note: str = "", **fields) -> ActivityEvent:
    """Write the new status (and ``fields``) and its event, in the caller's transaction."""
    from_status = write_status(activity, transition.target, **fields)
    return activity_event(
        activity, transition.action, actor, from_status=from_status, to_status=transition.target, note=note
    )
