"""The workflow obeys its transition table: every action from every status, as every role.

These tests call the actions, not the table, and state what each action should do on their
own (as ``docs/lifecycle.md`` does): from which statuses, to which, by whom. An action
succeeds from exactly its statuses, leaving the object in its target, and raises
``IllegalTransition`` (changing nothing) from every other status. It succeeds for exactly its
roles and raises ``NotAllowed`` for every other one. The table must say the same (its
``actor`` column included), and the rows that follow from another action (``CONSEQUENCES``)
are reached through their cause. A change to the table, to an action or to a right that the
others do not follow fails here.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from suggestions import workflow
from suggestions.models import (
    AssignmentRole,
    AssignmentStatus,
    HandlingMode,
    Jurisdiction,
    Opinion,
    OpinionEvent,
    OpinionStatus,
    Suggestion,
    SuggestionEvent,
    SuggestionStatus,
    Tier,
)
from suggestions.models import AssignmentStatus as A
from suggestions.models import OpinionStatus as O
from suggestions.models import SuggestionStatus as S
from suggestions.permissions import Actor
from suggestions.workflow import IllegalTransition, Invalid, NotAllowed
from suggestions.workflow.table import (
    ASSIGNMENT_INITIAL,
    ASSIGNMENT_TRANSITIONS,
    CONSEQUENCES,
    OPINION_INITIAL,
    OPINION_TRANSITIONS,
    SUGGESTION_INITIAL,
    SUGGESTION_TRANSITIONS,
)
from tests import factories as f

TABLES = {"suggestion": SUGGESTION_TRANSITIONS, "assignment": ASSIGNMENT_TRANSITIONS, "opinion": OPINION_TRANSITIONS}
ROLES = ["anonymous", "superuser", "county", "township", "liaison", "deputy", "handler", "co_handler"]

# Who may act on the cast's objects: a county suggestion raised in township A by the cast's
# deputy, its lead assignment to the handler's department and a co-handler's assignment to
# the co-handler's, and an opinion received by the deputy at a station of township A.
WRITERS = {"superuser", "county", "township", "deputy"}  # the lead deputy, or staff for them
REVIEWERS = {"superuser", "county"}  # reviewing staff of a county suggestion
RATERS = {"superuser", "county", "deputy"}  # the lead deputy, or reviewing staff (paper form)
RECEIVERS = {"superuser", "county", "township", "liaison", "deputy"}  # whoever sees the opinion
ROLES_OF_ACTOR = {Actor.WRITER: WRITERS, Actor.REVIEWER: REVIEWERS, Actor.RATER: RATERS, Actor.RECEIVER: RECEIVERS}


# Objects in each status, through the workflow only
# ------------------------------------------------------------------------------


def reread(obj):
    return type(obj).objects.get(pk=obj.pk)


def joined(walk, cast):
    primary = walk("accepted")
    follower = walk("submitted", title="东门村道路修缮")
    return workflow.suggestion_join(suggestion=follower, primary=primary, actor=cast["county"])


def suggestion_in(status, walk, cast):
    return joined(walk, cast) if status == SuggestionStatus.JOINED else reread(walk(status))


def co_assignment_in(status, walk, cast):
    co = walk("assigned", co=True).assignments.get(role=AssignmentRole.CO)
    handler = cast["co_handler"]
    if status == AssignmentStatus.RETURNED:
        return workflow.assignment_return(assignment=co, actor=handler, reason="不属于本单位职责")
    if status == AssignmentStatus.CANCELLED:
        return workflow.assignment_cancel(assignment=co, actor=cast["county"], reason="无需协办")
    if status in (AssignmentStatus.ACCEPTED, AssignmentStatus.DONE):
        co = workflow.assignment_accept(assignment=co, actor=handler)
    if status == AssignmentStatus.DONE:
        co = workflow.assignment_submit_input(assignment=co, actor=handler, text="资金已安排")
    return co


def lead_assignment_in(status, walk, cast):
    """A lead assignment in ``status`` (a lead is never cancelled: it is returned instead)."""
    walked = {
        AssignmentStatus.PENDING: "assigned",
        AssignmentStatus.ACCEPTED: "in_progress",
        AssignmentStatus.DONE: "replied",
        AssignmentStatus.RETURNED: "assigned",
    }
    lead = walk(walked[status]).assignments.get(role=AssignmentRole.LEAD)
    if status == AssignmentStatus.RETURNED:
        lead = workflow.assignment_return(assignment=lead, actor=cast["handler"], reason="不属于本单位职责")
    return lead


def opinion_in(status, walk, cast):
    if status == OpinionStatus.MERGED:
        return walk("draft").source_opinions.get()
    opinion = walk.opinion()
    actor = cast["deputy"]
    if status == OpinionStatus.ACCEPTED:
        return workflow.opinion_accept(opinion=opinion, actor=actor)
    if status == OpinionStatus.ANSWERED:
        return workflow.opinion_answer(opinion=opinion, actor=actor, answer="已当场解释政策")
    if status == OpinionStatus.DECLINED:
        return workflow.opinion_decline(opinion=opinion, actor=actor, reason="不属于人大职权")
    return opinion


@dataclass(frozen=True)
class Kind:
    table: str
    statuses: tuple[str, ...]
    make: Callable
    handler: str = ""  # the role holding the handler right on this object


SUGGESTION = Kind("suggestion", tuple(SuggestionStatus.values), suggestion_in)
CO = Kind("assignment", tuple(AssignmentStatus.values), co_assignment_in, handler="co_handler")
LEAD = Kind(
    "assignment",
    tuple(s for s in AssignmentStatus.values if s != AssignmentStatus.CANCELLED),
    lead_assignment_in,
    "handler",
)
OPINION = Kind("opinion", tuple(OpinionStatus.values), opinion_in)


# The actions, each with the row it takes and a call with valid input
# ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One action as ``docs/lifecycle.md`` states it, independently of the table: from which
    statuses, to which, by whom; and a call with valid input."""

    action: str  # the workflow function
    kind: Kind
    row: str  # the row of the table it takes
    sources: set[str]
    target: str
    roles: set[str]
    call: Callable[[Any, Any, dict, Any], Any]  # (object, actor, cast, walk)


def _rate(o, a, c, w):
    return workflow.feedback_rate(suggestion=o, actor=a, rating="satisfied")


CASES = [
    Case(
        "suggestion_update_draft",
        SUGGESTION,
        "edit",
        {S.DRAFT},
        S.DRAFT,
        WRITERS,
        lambda o, a, c, w: workflow.suggestion_update_draft(suggestion=o, actor=a, title="修缮东门村主干道"),
    ),
    Case(
        "suggestion_submit",
        SUGGESTION,
        "submit",
        {S.DRAFT},
        S.SUBMITTED,
        WRITERS,
        lambda o, a, c, w: workflow.suggestion_submit(suggestion=o, actor=a),
    ),
    Case(
        "suggestion_accept",
        SUGGESTION,
        "accept",
        {S.SUBMITTED},
        S.ACCEPTED,
        REVIEWERS,
        lambda o, a, c, w: workflow.suggestion_accept(
            suggestion=o, actor=a, tier=Tier.FAST, jurisdiction=Jurisdiction.COUNTY
        ),
    ),
    Case(
        "suggestion_reject",
        SUGGESTION,
        "reject",
        {S.SUBMITTED},
        S.REJECTED,
        REVIEWERS,
        lambda o, a, c, w: workflow.suggestion_reject(suggestion=o, actor=a, reason="不属于代表建议范围"),
    ),
    Case(
        "suggestion_join",
        SUGGESTION,
        "join",
        {S.SUBMITTED, S.ACCEPTED},
        S.JOINED,
        REVIEWERS,
        lambda o, a, c, w: workflow.suggestion_join(
            suggestion=o, primary=w("accepted", title="修缮东门村主干道"), actor=a
        ),
    ),
    Case(
        "suggestion_assign",
        SUGGESTION,
        "assign",
        {S.ACCEPTED},
        S.ASSIGNED,
        REVIEWERS,
        lambda o, a, c, w: workflow.suggestion_assign(
            suggestion=o, actor=a, lead=c["dept"], mode=HandlingMode.TAKE_AND_DO
        ),
    ),
    Case(
        "suggestion_close",
        SUGGESTION,
        "close",
        {S.REPLIED, S.RATED, S.REHANDLING},
        S.CLOSED,
        REVIEWERS,
        lambda o, a, c, w: workflow.suggestion_close(suggestion=o, actor=a, note="经主任会议研究，予以销号"),
    ),
    Case("feedback_rate", SUGGESTION, "rate", {S.REPLIED}, S.RATED, RATERS, _rate),
    Case(
        "opinion_accept",
        OPINION,
        "accept",
        {O.RECEIVED},
        O.ACCEPTED,
        RECEIVERS,
        lambda o, a, c, w: workflow.opinion_accept(opinion=o, actor=a),
    ),
    Case(
        "opinion_answer",
        OPINION,
        "answer",
        {O.RECEIVED, O.ACCEPTED},
        O.ANSWERED,
        RECEIVERS,
        lambda o, a, c, w: workflow.opinion_answer(opinion=o, actor=a, answer="已当场解释政策"),
    ),
    Case(
        "opinion_decline",
        OPINION,
        "decline",
        {O.RECEIVED, O.ACCEPTED},
        O.DECLINED,
        RECEIVERS,
        lambda o, a, c, w: workflow.opinion_decline(opinion=o, actor=a, reason="不属于人大职权"),
    ),
    Case(
        "opinion_merge",
        OPINION,
        "merge",
        {O.RECEIVED, O.ACCEPTED},
        O.MERGED,
        RECEIVERS,
        lambda o, a, c, w: workflow.opinion_merge(opinion=o, suggestion=w("draft"), actor=a),
    ),
    Case(
        "assignment_accept",
        CO,
        "accept",
        {A.PENDING},
        A.ACCEPTED,
        {"co_handler"},
        lambda o, a, c, w: workflow.assignment_accept(assignment=o, actor=a),
    ),
    Case(
        "assignment_return",
        CO,
        "return",
        {A.PENDING, A.ACCEPTED},
        A.RETURNED,
        {"co_handler"},
        lambda o, a, c, w: workflow.assignment_return(assignment=o, actor=a, reason="不属于本单位职责"),
    ),
    Case(
        "assignment_submit_input",
        CO,
        "submit_input",
        {A.ACCEPTED},
        A.DONE,
        {"co_handler"},
        lambda o, a, c, w: workflow.assignment_submit_input(assignment=o, actor=a, text="资金已安排"),
    ),
    Case(
        "assignment_cancel",
        CO,
        "cancel",
        {A.PENDING, A.ACCEPTED},
        A.CANCELLED,
        REVIEWERS,
        lambda o, a, c, w: workflow.assignment_cancel(assignment=o, actor=a, reason="无需协办"),
    ),
    Case(
        "assignment_reply",
        LEAD,
        "reply",
        {A.ACCEPTED},
        A.DONE,
        {"handler"},
        lambda o, a, c, w: workflow.assignment_reply(
            assignment=o, actor=a, result_class=f.result_class("A"), content="已完成道路修缮。"
        ),
    ),
]

# Pairs the table allows but the action refuses for a rule of its own, with the refusal.
REFUSED_BY_RULE = {
    # Re-handling always has the department's open assignment: the suggestion is closed once
    # it replies (no workflow path reaches re-handling without one).
    ("suggestion_close", SuggestionStatus.REHANDLING): Invalid,
}

PAIRS = [(case, status) for case in CASES for status in case.kind.statuses]


def actor_of(cast, role):
    return cast.get(role)


def trail_length(obj) -> int:
    """The number of events on the object's trail (an assignment's are its suggestion's)."""
    if isinstance(obj, Opinion):
        return OpinionEvent.objects.filter(opinion=obj).count()
    return SuggestionEvent.objects.filter(suggestion_id=getattr(obj, "suggestion_id", obj.pk)).count()


@pytest.mark.parametrize(("case", "status"), PAIRS, ids=[f"{c.action}-{s}" for c, s in PAIRS])
def test_each_action_starts_only_from_its_statuses(walk, cast, case, status):
    obj = case.kind.make(status, walk, cast)
    assert obj.status == status
    actor = actor_of(cast, sorted(case.roles)[0])
    refusal = REFUSED_BY_RULE.get((case.action, status))
    if status in case.sources and refusal is None:
        case.call(obj, actor, cast, walk)
        assert reread(obj).status == case.target
        return
    before = trail_length(obj)
    with pytest.raises(refusal or IllegalTransition):
        case.call(obj, actor, cast, walk)
    assert reread(obj).status == status
    assert trail_length(obj) == before


@pytest.mark.parametrize("case", CASES, ids=[c.action for c in CASES])
def test_each_action_is_taken_only_by_its_roles(walk, cast, case):
    status = sorted(case.sources - {s for a, s in REFUSED_BY_RULE if a == case.action})[0]
    outcomes = {}
    obj = case.kind.make(status, walk, cast)
    for role in ROLES:
        try:
            case.call(obj, actor_of(cast, role), cast, walk)
        except NotAllowed:
            outcomes[role] = "refused"
        else:
            outcomes[role] = "done"
            obj = case.kind.make(status, walk, cast)
    assert outcomes == {role: "done" if role in case.roles else "refused" for role in ROLES}


@pytest.mark.parametrize("case", CASES, ids=[c.action for c in CASES])
def test_the_table_says_what_the_lifecycle_says(case):
    transition = TABLES[case.kind.table][case.row]
    assert (transition.sources, transition.target) == (case.sources, case.target)
    roles = {case.kind.handler} if transition.actor == Actor.HANDLER else ROLES_OF_ACTOR[transition.actor]
    assert roles == case.roles


def test_every_row_is_taken_by_an_action_or_follows_from_one():
    taken = {(case.kind.table, case.row) for case in CASES}
    rows = {(name, action) for name, table in TABLES.items() for action in table}
    assert rows - taken == set(CONSEQUENCES)
    for (name, action), (cause_table, cause) in CONSEQUENCES.items():
        assert (cause_table, cause) in taken
        assert TABLES[name][action].actor == TABLES[cause_table][cause].actor, (name, action)


def test_new_rows_start_in_the_initial_status(walk, cast):
    assert walk("draft").status == SUGGESTION_INITIAL
    assert walk.opinion().status == OPINION_INITIAL
    assert Opinion._meta.get_field("status").default == OPINION_INITIAL
    assert Suggestion._meta.get_field("status").default == SUGGESTION_INITIAL
    (lead,) = workflow.suggestion_assign(
        suggestion=walk("accepted"), actor=cast["county"], lead=cast["dept"], mode=HandlingMode.JOINT
    )
    assert lead.status == ASSIGNMENT_INITIAL


# Rows that follow from another action
# ------------------------------------------------------------------------------


def _joined_pair(walk, cast, network):
    """A primary and a suggestion of another deputy joined to it, both replied."""
    other = network["deputy_b"]
    other.user = f.UserFactory(username="deputy_b")
    other.save()
    f.AssignmentFactory(deputy=other, station=network["a_village"])
    primary = walk("accepted")
    follower = workflow.suggestion_create(
        actor=other.user,
        lead_deputy=other,
        title="东门村道路修缮",
        content="同上",
        category=f.category(),
        station=network["a_village"],
    )
    workflow.suggestion_accept(suggestion=follower, actor=cast["county"], tier=Tier.FAST, jurisdiction="county")
    follower = workflow.suggestion_join(suggestion=follower, primary=primary, actor=cast["county"])
    (lead,) = workflow.suggestion_assign(suggestion=primary, actor=cast["county"], lead=cast["dept"], mode="joint")
    workflow.assignment_accept(assignment=lead, actor=cast["handler"])
    workflow.assignment_reply(assignment=lead, actor=cast["handler"], result_class=f.result_class("A"), content="已修")
    return primary, follower, other.user


def _lead_returned(walk, cast, network):
    suggestion = walk("assigned", co=True)
    lead = suggestion.assignments.get(role=AssignmentRole.LEAD)
    workflow.assignment_return(assignment=lead, actor=cast["handler"], reason="不属于本单位职责")
    return suggestion


def _rate_partly(walk, cast, network):
    primary, _follower, _other = _joined_pair(walk, cast, network)
    workflow.feedback_rate(suggestion=primary, actor=cast["deputy"], rating="satisfied")
    return primary


def _close_joined(walk, cast, network):
    primary, follower, other = _joined_pair(walk, cast, network)
    workflow.feedback_rate(suggestion=primary, actor=cast["deputy"], rating="satisfied")
    workflow.feedback_rate(suggestion=follower, actor=other, rating="satisfied")
    workflow.suggestion_close(suggestion=primary, actor=cast["county"])
    return follower


# (table, row) → a scenario returning the object the row moved
SCENARIOS = {
    ("suggestion", "start_handling"): lambda w, c, n: w("in_progress"),
    ("suggestion", "lead_returned"): _lead_returned,
    ("suggestion", "reply"): lambda w, c, n: w("replied"),
    ("suggestion", "rate_partly"): _rate_partly,
    ("suggestion", "rate_unsatisfied"): lambda w, c, n: w("rehandling"),
    ("suggestion", "close_joined"): _close_joined,
    ("assignment", "cancel_with_lead"): lambda w, c, n: _lead_returned(w, c, n).assignments.get(role=AssignmentRole.CO),
    ("assignment", "rehandle"): lambda w, c, n: w("rehandling").assignments.get(round=2),
}


@pytest.mark.parametrize("row", list(CONSEQUENCES), ids=[f"{t}-{a}" for t, a in CONSEQUENCES])
def test_each_consequence_is_reached_through_its_cause(walk, cast, network, row):
    moved = reread(SCENARIOS[row](walk, cast, network))
    table, action = row
    assert moved.status == TABLES[table][action].target
    suggestion = moved if table == "suggestion" else moved.suggestion
    assert suggestion.events.filter(action=action).exists() or (table == "assignment" and action == "rehandle")
