"""The activities API: the role matrix of each endpoint and action, idempotent create,
correcting one's own, verify and return, campaigns with progress, and the schema."""

import uuid

import pytest
from rest_framework.test import APIClient

from activities import workflow
from activities.models import Activity, ActivityStatus
from suggestions.models import Opinion
from tests import factories as f

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def body(scene, **overrides):
    data = {
        "station": scene["station"].code,
        "activity_type": "home_visit",
        "deputies": [scene["fellow"].pk],
        "voters_received": 9,
        "opinions": ["修路", "装路灯"],
        "idempotency_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("role", "expected", "count"),
    [
        ("anonymous", 401, None),
        ("handler", 403, None),
        ("superuser", 200, 2),
        ("county", 200, 2),
        ("township", 200, 2),
        ("liaison", 200, 2),
        ("deputy", 200, 2),
        ("other_deputy", 200, 0),
    ],
)
def test_list_matrix(scene, log, role, expected, count):
    log()
    log(opinions=[])
    response = client_for(scene[role]).get("/api/activities/")
    assert response.status_code == expected
    if count is not None:
        assert response.json()["count"] == count


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 401),
        ("handler", 403),
        ("superuser", 200),
        ("county", 200),
        ("township", 200),
        ("liaison", 200),
        ("deputy", 200),
        ("other_deputy", 404),
    ],
)
def test_retrieve_matrix(scene, log, role, expected):
    activity = log()
    response = client_for(scene[role]).get(f"/api/activities/{activity.pk}/")
    assert response.status_code == expected
    if expected == 200:
        data = response.json()
        assert [o["content"] for o in data["opinions"]] == ["村口路灯不亮", "希望增设公交站"]
        assert {d["name"] for d in data["deputies"]} == {"张建国", "王芳"}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 401),
        ("handler", 403),
        ("deputy", 201),
        ("liaison", 201),
        ("township", 201),
        ("county", 201),
        ("other_deputy", 403),
    ],
)
def test_create_matrix(scene, role, expected):
    response = client_for(scene[role]).post("/api/activities/", body(scene), format="json")
    assert response.status_code == expected, response.content
    assert Activity.objects.count() == (1 if expected == 201 else 0)


def test_create_is_idempotent(scene):
    client = client_for(scene["deputy"])
    data = body(scene)
    first = client.post("/api/activities/", data, format="json")
    second = client.post("/api/activities/", data, format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert Activity.objects.count() == 1 and Opinion.objects.count() == 2
    assert first.json()["status"] == "submitted"


def test_create_with_bad_input_writes_nothing(scene):
    client = client_for(scene["deputy"])
    response = client.post("/api/activities/", body(scene, activity_type="nope", voters_received=-1), format="json")
    assert response.status_code == 400
    assert set(response.json()) >= {"activity_type", "voters_received"}
    response = client.post("/api/activities/", body(scene, started_at="2099-01-01T10:00:00+08:00"), format="json")
    assert response.status_code == 400
    assert Activity.objects.count() == 0 and Opinion.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "expected"),
    [("deputy", 200), ("liaison", 403), ("county", 403), ("handler", 403), ("other_deputy", 404)],
)
def test_update_own_unverified(scene, log, role, expected):
    activity = log()
    response = client_for(scene[role]).patch(f"/api/activities/{activity.pk}/", {"voters_received": 40}, format="json")
    assert response.status_code == expected
    activity.refresh_from_db()
    assert activity.voters_received == (40 if expected == 200 else 23)


def test_update_after_verification_is_refused(scene, log):
    activity = workflow.activity_verify(activity=log(), actor=scene["county"])
    response = client_for(scene["deputy"]).patch(f"/api/activities/{activity.pk}/", {"summary": "x"}, format="json")
    assert response.status_code == 409


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 401),
        ("handler", 403),
        ("deputy", 403),
        ("liaison", 200),
        ("township", 200),
        ("county", 200),
        ("superuser", 200),
        ("other_deputy", 404),
    ],
)
def test_verify_and_return_matrix(scene, log, role, expected):
    activity = log()
    response = client_for(scene[role]).post(f"/api/activities/{activity.pk}/verify/")
    assert response.status_code == expected
    other = log(opinions=[])
    response = client_for(scene[role]).post(f"/api/activities/{other.pk}/return/", {"reason": "缺照片"}, format="json")
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["status"] == ActivityStatus.RETURNED
        second = client_for(scene[role]).post(f"/api/activities/{activity.pk}/verify/")
        assert second.status_code == 409


def test_return_without_reason_is_400(scene, log):
    activity = log()
    response = client_for(scene["county"]).post(f"/api/activities/{activity.pk}/return/", {}, format="json")
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 401), ("handler", 200), ("deputy", 200), ("county", 200)],
)
def test_activity_types_matrix(scene, role, expected):
    response = client_for(scene[role]).get("/api/activity-types/")
    assert response.status_code == expected
    if expected == 200:
        assert [t["code"] for t in response.json()][:2] == ["reception_day", "station_duty"]


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 401), ("handler", 403), ("deputy", 200), ("liaison", 200), ("township", 200), ("county", 200)],
)
def test_campaign_matrix(scene, log, role, expected):
    campaign = f.CampaignFactory()
    f.CampaignTargetFactory(
        campaign=campaign, township=scene["station"].township, measure="opinions_collected", target=3
    )
    activity = log(campaign=campaign)
    workflow.activity_verify(activity=activity, actor=scene["county"])
    client = client_for(scene[role])
    assert client.get("/api/campaigns/").status_code == expected
    response = client.get(f"/api/campaigns/{campaign.pk}/progress/")
    assert response.status_code == expected
    if expected == 200:
        data = response.json()
        assert data["totals"]["opinions_collected"] == 2
        assert data["targets"][0]["reached"] == 2 and data["targets"][0]["met"] is False


def test_schema_lists_the_activities_endpoints(scene):
    response = client_for(scene["county"]).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/activities/",
        "/api/activities/{id}/",
        "/api/activities/{id}/verify/",
        "/api/activities/{id}/return/",
        "/api/activity-types/",
        "/api/campaigns/",
        "/api/campaigns/{id}/progress/",
    ):
        assert path in paths, path


def test_api_list_and_detail_query_budgets(scene, log, django_assert_max_num_queries):
    for _n in range(15):
        log(opinions=["一条"])
    client = client_for(scene["county"])
    with django_assert_max_num_queries(12):
        response = client.get("/api/activities/")
    assert response.json()["count"] == 15
    activity = Activity.objects.first()
    with django_assert_max_num_queries(14):
        client.get(f"/api/activities/{activity.pk}/")
