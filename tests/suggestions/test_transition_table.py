"""Every pair of (action, status) in the transition tables: allowed exactly when listed."""

import pytest

from suggestions.models import AssignmentStatus, OpinionStatus, SuggestionStatus
from suggestions.workflow.core import check
from suggestions.workflow.errors import IllegalTransition
from suggestions.workflow.table import ASSIGNMENT_TRANSITIONS, OPINION_TRANSITIONS, SUGGESTION_TRANSITIONS

TABLES = [
    (SUGGESTION_TRANSITIONS, SuggestionStatus),
    (OPINION_TRANSITIONS, OpinionStatus),
    (ASSIGNMENT_TRANSITIONS, AssignmentStatus),
]
PAIRS = [(table, action, status) for table, statuses in TABLES for action in table for status in statuses.values]


@pytest.mark.parametrize(("table", "action", "status"), PAIRS, ids=[f"{a}-{s}" for _t, a, s in PAIRS])
def test_each_action_is_allowed_only_from_its_sources(table, action, status):
    transition = table[action]
    if status in transition.sources:
        assert check(table, action, status, status).target == transition.target
    else:
        with pytest.raises(IllegalTransition):
            check(table, action, status, status)


def test_closed_and_rejected_are_final():
    for status in (SuggestionStatus.CLOSED, SuggestionStatus.REJECTED):
        assert not [a for a, t in SUGGESTION_TRANSITIONS.items() if status in t.sources]
    for status in (OpinionStatus.ANSWERED, OpinionStatus.MERGED, OpinionStatus.DECLINED):
        assert not [a for a, t in OPINION_TRANSITIONS.items() if status in t.sources]


def test_every_status_but_the_first_can_be_reached():
    for table, statuses in TABLES:
        targets = {t.target for t in table.values()}
        first = statuses.values[0]
        assert set(statuses.values) - targets <= {first}
