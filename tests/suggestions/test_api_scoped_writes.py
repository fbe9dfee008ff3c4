"""API writes stay inside the writer's scope: each foreign key a scoped role can post, given the
id of a row outside that role's area, is refused (400, 403 or 404) and nothing is written.

The cases are a table: endpoint, who posts, the payload with the out-of-scope id. A second
table posts the same payloads with ids of the role's own area, which go through, so a refusal
is not the accident of a wrong payload.
"""

import datetime as dt

import pytest

from activities.models import Activity, DutyAssignment
from deputies.models import DeputyGroup
from suggestions.models import Department, DepartmentLevel, Opinion, Suggestion
from tests import factories as f
from tests.suggestions.api_support import api, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def b_side(network):
    """Rows of township B (the role users all belong to township A)."""
    return {
        "station": network["b_village"],
        "deputy": network["deputy_b"],
        "group": DeputyGroup.objects.create(name="河口镇代表小组", township=network["b"]),
        "department": Department.objects.create(
            name="河口镇人民政府", level=DepartmentLevel.TOWNSHIP, township=network["b"]
        ),
    }


def written():
    return (
        Opinion.objects.count(),
        Suggestion.objects.count(),
        Activity.objects.count(),
        DutyAssignment.objects.count(),
    )


def cases(cast, b_side, walk):
    """(label, role, method, path, payload) with one out-of-scope id each."""
    category = f.category().pk
    accepted = walk("accepted", tier="fast")
    b_suggestion = Suggestion.objects.create(
        title="河口村路灯",
        content="修路灯",
        category_id=category,
        lead_deputy=b_side["deputy"],
        station=b_side["station"],
        township=b_side["station"].township,
    )
    opinion = {"content": "路灯不亮", "channel": "phone"}
    suggestion = {"title": "t", "content": "c", "category": category}
    return [
        ("opinion at a B station", "township", "post", "opinions", {**opinion, "station": b_side["station"].pk}),
        ("opinion at a B station", "liaison", "post", "opinions", {**opinion, "station": b_side["station"].pk}),
        ("opinion at a B station", "deputy", "post", "opinions", {**opinion, "station": b_side["station"].pk}),
        ("suggestion at a B station", "deputy", "post", "suggestions", {**suggestion, "station": b_side["station"].pk}),
        (
            "B deputy as lead",
            "township",
            "post",
            "suggestions",
            {**suggestion, "station": cast["station"].pk, "lead_deputy": b_side["deputy"].pk},
        ),
        (
            "B deputy as co-signer",
            "deputy",
            "post",
            "suggestions",
            {**suggestion, "station": cast["station"].pk, "co_signers": [b_side["deputy"].pk]},
        ),
        (
            "join a B suggestion",
            "township",
            "post",
            f"suggestions/{accepted.pk}/join",
            {"primary": b_suggestion.pk, "note": ""},
        ),
        (
            "activity at a B station",
            "deputy",
            "post",
            "activities",
            {"station": b_side["station"].code, "activity_type": "home_visit"},
        ),
        (
            "activity for a B group",
            "deputy",
            "post",
            "activities",
            {"station": cast["station"].code, "activity_type": "home_visit", "group": b_side["group"].pk},
        ),
        (
            "duty at a B station",
            "township",
            "post",
            "duties",
            {
                "station": b_side["station"].code,
                "day": str(dt.date.today() + dt.timedelta(days=14)),
                "deputy": b_side["deputy"].pk,
            },
        ),
        (
            "duty for a B deputy at an A station",
            "township",
            "post",
            "duties",
            {
                "station": cast["station"].code,
                "day": str(dt.date.today() + dt.timedelta(days=14)),
                "deputy": b_side["deputy"].pk,
            },
        ),
    ]


def test_every_out_of_scope_id_is_refused_and_nothing_is_written(cast, b_side, walk):
    refusals = []
    for label, role, method, path, payload in cases(cast, b_side, walk):
        user = cast[role]
        before = written()
        response = getattr(client_for(user), method)(api(path), payload, format="json")
        assert response.status_code in (400, 403, 404), (label, role, response.status_code, response.content)
        assert written() == before, label
        refusals.append((label, role, response.status_code))
    assert len(refusals) == 11


def test_the_same_payloads_with_ids_in_the_area_go_through(cast, walk):
    """The control: the refusals above come from the ids, not from a wrong payload."""
    category = f.category().pk
    station = cast["station"]
    fellow = cast["deputy_record"]
    allowed = [
        ("township", "opinions", {"content": "路灯不亮", "channel": "phone", "station": station.pk}),
        ("deputy", "opinions", {"content": "路灯不亮", "channel": "phone", "station": station.pk}),
        ("deputy", "suggestions", {"title": "t", "content": "c", "category": category, "station": station.pk}),
        (
            "township",
            "suggestions",
            {"title": "t", "content": "c", "category": category, "station": station.pk, "lead_deputy": fellow.pk},
        ),
        ("deputy", "activities", {"station": station.code, "activity_type": "home_visit"}),
        (
            "township",
            "duties",
            {"station": station.code, "day": str(dt.date.today() + dt.timedelta(days=14)), "deputy": fellow.pk},
        ),
    ]
    for role, path, payload in allowed:
        response = client_for(cast[role]).post(api(path), payload, format="json")
        assert response.status_code == 201, (role, path, response.content)
