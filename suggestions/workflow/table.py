"""The transition tables: from which statuses each action may start, where it leads, and
who may take it.

This is the one place that says which status follows which. The action functions in this
package look their transition up here and refuse anything the table does not allow: a status
outside ``sources`` (:class:`~.errors.IllegalTransition`) or an actor without the right the
``actor`` column names (:class:`~.errors.NotAllowed`, decided by
:func:`suggestions.permissions.may_take`). New rows start in the ``*_INITIAL`` status. The
tests call every action from every status and as every role; ``docs/lifecycle.md`` draws the
same tables.

Some rows are never taken on their own: they follow from another action in the same
transaction (:data:`CONSEQUENCES`). Their source status is checked like any other; the right
is that of the action that causes them, and their ``actor`` column names the same role.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models import AssignmentStatus as A
from ..models import OpinionStatus as O
from ..models import SuggestionStatus as S
from ..permissions import Actor


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    actor: Actor  # who may take it (see suggestions.permissions.Actor)


def _table(*rows: tuple[str, set[str], str, Actor]) -> dict[str, Transition]:
    return {action: Transition(action, frozenset(sources), target, actor) for action, sources, target, actor in rows}


OPINION_INITIAL = O.RECEIVED
OPINION_TRANSITIONS = _table(
    ("accept", {O.RECEIVED}, O.ACCEPTED, Actor.RECEIVER),
    ("answer", {O.RECEIVED, O.ACCEPTED}, O.ANSWERED, Actor.RECEIVER),
    ("merge", {O.RECEIVED, O.ACCEPTED}, O.MERGED, Actor.RECEIVER),
    ("decline", {O.RECEIVED, O.ACCEPTED}, O.DECLINED, Actor.RECEIVER),
)

SUGGESTION_INITIAL = S.DRAFT
SUGGESTION_TRANSITIONS = _table(
    ("edit", {S.DRAFT}, S.DRAFT, Actor.WRITER),
    ("submit", {S.DRAFT}, S.SUBMITTED, Actor.WRITER),
    ("accept", {S.SUBMITTED}, S.ACCEPTED, Actor.REVIEWER),
    ("reject", {S.SUBMITTED}, S.REJECTED, Actor.REVIEWER),
    ("join", {S.SUBMITTED, S.ACCEPTED}, S.JOINED, Actor.REVIEWER),
    ("assign", {S.ACCEPTED}, S.ASSIGNED, Actor.REVIEWER),
    ("start_handling", {S.ASSIGNED}, S.IN_PROGRESS, Actor.HANDLER),
    ("lead_returned", {S.ASSIGNED, S.IN_PROGRESS, S.REHANDLING}, S.ACCEPTED, Actor.HANDLER),
    ("reply", {S.IN_PROGRESS, S.REHANDLING}, S.REPLIED, Actor.HANDLER),
    ("rate", {S.REPLIED}, S.RATED, Actor.RATER),
    ("rate_partly", {S.REPLIED}, S.REPLIED, Actor.RATER),
    ("rate_unsatisfied", {S.REPLIED}, S.REHANDLING, Actor.RATER),
    ("close", {S.REPLIED, S.RATED, S.REHANDLING}, S.CLOSED, Actor.REVIEWER),
    ("close_joined", {S.JOINED}, S.CLOSED, Actor.REVIEWER),
)

ASSIGNMENT_INITIAL = A.PENDING
ASSIGNMENT_TRANSITIONS = _table(
    ("accept", {A.PENDING}, A.ACCEPTED, Actor.HANDLER),
    ("return", {A.PENDING, A.ACCEPTED}, A.RETURNED, Actor.HANDLER),
    ("submit_input", {A.ACCEPTED}, A.DONE, Actor.HANDLER),
    ("reply", {A.ACCEPTED}, A.DONE, Actor.HANDLER),
    ("cancel", {A.PENDING, A.ACCEPTED}, A.CANCELLED, Actor.REVIEWER),
    ("cancel_with_lead", {A.PENDING, A.ACCEPTED}, A.CANCELLED, Actor.HANDLER),
    ("rehandle", {A.PENDING}, A.ACCEPTED, Actor.RATER),
)

# Rows that follow from another action: (table name, row) → (table name, row of the cause).
CONSEQUENCES = {
    ("suggestion", "start_handling"): ("assignment", "accept"),
    ("suggestion", "lead_returned"): ("assignment", "return"),
    ("suggestion", "reply"): ("assignment", "reply"),
    ("suggestion", "rate_partly"): ("suggestion", "rate"),
    ("suggestion", "rate_unsatisfied"): ("suggestion", "rate"),
    ("suggestion", "close_joined"): ("suggestion", "close"),
    ("assignment", "cancel_with_lead"): ("assignment", "return"),
    ("assignment", "rehandle"): ("suggestion", "rate"),
}
