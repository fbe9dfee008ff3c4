"""The transition tables of the activities app: from which statuses each action may start
and where it leads. The action functions look their transition up here and refuse anything
the table does not allow; the tests walk every pair. ``docs/activities.md`` draws them."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import ActivityStatus as S
from ..models.duty import DutyStatus as D
from ..models.duty import LeaveStatus as L


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    actor: str  # who may take it: "recorder", "staff", "deputy", "system"


def _table(*rows: tuple[str, set[str], str, str]) -> dict[str, Transition]:
    return {action: Transition(action, frozenset(sources), target, actor) for action, sources, target, actor in rows}


ACTIVITY_TRANSITIONS = _table(
    ("update", {S.SUBMITTED}, S.SUBMITTED, "recorder"),
    ("resubmit", {S.RETURNED}, S.SUBMITTED, "recorder"),
    ("verify", {S.SUBMITTED}, S.VERIFIED, "staff"),
    ("return", {S.SUBMITTED}, S.RETURNED, "staff"),
)


# The duty roster (see activities.workflow.duty): a duty is planned until its deputy checks
# in, is excused by an approved leave, or the day passes without either (missed).
DUTY_TRANSITIONS = _table(
    ("check_in", {D.PLANNED}, D.CHECKED_IN, "deputy"),
    ("leave_approve", {D.PLANNED}, D.ON_LEAVE, "staff"),
    ("miss", {D.PLANNED}, D.MISSED, "system"),
)

LEAVE_TRANSITIONS = _table(
    ("approve", {L.PENDING}, L.APPROVED, "staff"),
    ("refuse", {L.PENDING}, L.REFUSED, "staff"),
)
