"""The transition tables: from which statuses each action may start and where it leads.

This is the one place that says which status follows which. The action functions in this
package look their transition up here and refuse anything the table does not allow; the
tests walk every pair. ``docs/lifecycle.md`` draws the same tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models import AssignmentStatus as A
from ..models import OpinionStatus as O
from ..models import SuggestionStatus as S


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    actor: str  # who may take it: "staff", "deputy", "handler", "public", "system"


def _table(*rows: tuple[str, set[str], str, str]) -> dict[str, Transition]:
    return {action: Transition(action, frozenset(sources), target, actor) for action, sources, target, actor in rows}


OPINION_TRANSITIONS = _table(
    ("accept", {O.RECEIVED}, O.ACCEPTED, "staff_or_deputy"),
    ("answer", {O.RECEIVED, O.ACCEPTED}, O.ANSWERED, "staff_or_deputy"),
    ("merge", {O.RECEIVED, O.ACCEPTED}, O.MERGED, "staff_or_deputy"),
    ("decline", {O.RECEIVED, O.ACCEPTED}, O.DECLINED, "staff_or_deputy"),
)

SUGGESTION_TRANSITIONS = _table(
    ("submit", {S.DRAFT}, S.SUBMITTED, "deputy"),
    ("accept", {S.SUBMITTED}, S.ACCEPTED, "staff"),
    ("reject", {S.SUBMITTED}, S.REJECTED, "staff"),
    ("join", {S.SUBMITTED, S.ACCEPTED}, S.JOINED, "staff"),
    ("assign", {S.ACCEPTED}, S.ASSIGNED, "staff"),
    ("start_handling", {S.ASSIGNED}, S.IN_PROGRESS, "handler"),
    ("lead_returned", {S.ASSIGNED, S.IN_PROGRESS}, S.ACCEPTED, "handler"),
    ("reply", {S.IN_PROGRESS, S.REHANDLING}, S.REPLIED, "handler"),
    ("rate_partly", {S.REPLIED}, S.REPLIED, "deputy"),
    ("rate", {S.REPLIED}, S.RATED, "deputy"),
    ("rate_unsatisfied", {S.REPLIED, S.RATED}, S.REHANDLING, "deputy"),
    ("close", {S.REPLIED, S.RATED, S.REHANDLING}, S.CLOSED, "staff"),
    ("close_joined", {S.JOINED}, S.CLOSED, "staff"),
)

ASSIGNMENT_TRANSITIONS = _table(
    ("accept", {A.PENDING}, A.ACCEPTED, "handler"),
    ("return", {A.PENDING, A.ACCEPTED}, A.RETURNED, "handler"),
    ("submit_input", {A.ACCEPTED}, A.DONE, "handler"),
    ("reply", {A.ACCEPTED}, A.DONE, "handler"),
    ("cancel", {A.PENDING, A.ACCEPTED}, A.CANCELLED, "staff"),
)
