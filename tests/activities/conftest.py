"""Fixtures for the activities: the root ``role_users`` network plus a fellow deputy at the
village station, a deputy of the other township with a login, and a campaign."""

import pytest

from tests import factories as f


@pytest.fixture
def scene(role_users, network):
    """``deputy`` (张建国, user "deputy") is station master of 东门村 (A11), whose liaison
    officer is ``liaison``; ``fellow`` is stationed there too; ``other_deputy`` (李秀英) is
    stationed in township B with a login."""
    fellow = f.DeputyFactory(name="王芳")
    f.AssignmentFactory(deputy=fellow, station=network["a_village"])
    other_user = f.UserFactory(username="deputy_b")
    network["deputy_b"].user = other_user
    network["deputy_b"].save()
    return {
        **role_users,
        "station": network["a_village"],
        "deputy_record": network["deputy_a"],
        "fellow": fellow,
        "other_deputy": other_user,
        "other_station": network["b_village"],
    }


@pytest.fixture
def log(scene):
    """``log(**overrides)`` → an activity recorded through the workflow by the deputy."""
    from activities import workflow

    def make(**overrides):
        values = {
            "station": scene["station"],
            "activity_type": f.activity_type("reception_day"),
            "actor": scene["deputy"],
            "deputies": [scene["fellow"]],
            "voters_received": 23,
            "materials_handed_out": 50,
            "summary": "接待选民",
            "opinions": ["村口路灯不亮", "希望增设公交站"],
        }
        values.update(overrides)
        return workflow.activity_create(**values)

    return make
