"""The API of reception days, duties, check-in, leave and grids: role matrix and rules."""

import datetime as dt

import pytest
from django.utils import timezone

from activities.models import DutyAssignment, DutyStatus, LeaveRequest, LeaveStatus
from liaison import clock
from stations.models import Grid
from tests import factories as f
from tests.suggestions.api_support import client_for

TODAY = dt.date(2026, 4, 15)
ROLES = ["superuser", "county", "township", "liaison", "deputy", "handler", "anonymous"]
STAFF = {"superuser", "county", "township", "liaison"}


@pytest.fixture(autouse=True)
def frozen_today():
    with clock.frozen(timezone.make_aware(dt.datetime.combine(TODAY, dt.time(9)))):
        yield


@pytest.fixture
def station(network):
    station = network["a_village"]
    station.reception_frequency, station.reception_day = "monthly", 15
    station.save()
    return station


@pytest.fixture
def duties(station, network):
    today = DutyAssignment.objects.create(station=station, day=TODAY, deputy=network["deputy_a"])
    coming = DutyAssignment.objects.create(station=station, day=dt.date(2026, 5, 15), deputy=network["deputy_a"])
    other = DutyAssignment.objects.create(station=network["b_village"], day=TODAY, deputy=network["deputy_b"])
    return {"today": today, "coming": coming, "other": other}


@pytest.mark.parametrize("role", ROLES)
def test_duty_list_role_matrix(role_users, duties, role):
    response = client_for(role_users[role]).get("/api/duties/")
    if role == "anonymous":
        assert response.status_code in (401, 403)
        return
    if role == "handler":
        assert response.status_code == 403
        return
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    if role in ("superuser", "county"):
        assert ids == {d.pk for d in duties.values()}
    else:  # township A, its village's liaison officer, deputy A: only A's duties
        assert ids == {duties["today"].pk, duties["coming"].pk}


@pytest.mark.parametrize("role", ROLES)
def test_reception_days_role_matrix(role_users, duties, station, role):
    response = client_for(role_users[role]).get("/api/reception-days/", {"station": station.code, "month": "2026-04"})
    if role == "anonymous":
        assert response.status_code in (401, 403)
        return
    assert response.status_code == 200
    (day,) = response.json()
    assert day["day"] == "2026-04-15" and day["duties"][0]["deputy"]["name"] == "张建国"
    assert "phone" not in str(day)


def test_reception_days_bad_month_is_400(role_users, station):
    response = client_for(role_users["county"]).get("/api/reception-days/", {"station": station.code, "month": "x"})
    assert response.status_code == 400


@pytest.mark.parametrize("role", ROLES)
def test_create_duty_role_matrix(role_users, station, network, role):
    body = {"station": station.code, "day": "2026-05-15", "deputy": network["deputy_a"].pk}
    response = client_for(role_users[role]).post("/api/duties/", body, format="json")
    expected = {"anonymous": (401, 403), "handler": (403,), "deputy": (403,)}.get(role, (201,))
    assert response.status_code in expected
    assert DutyAssignment.objects.exists() == (response.status_code == 201)


def test_delete_duty_through_the_workflow(role_users, duties):
    client = client_for(role_users["liaison"])
    past = DutyAssignment.objects.create(
        station=duties["today"].station, day=dt.date(2026, 3, 15), deputy=duties["today"].deputy
    )
    assert client.delete(f"/api/duties/{past.pk}/").status_code == 409  # a past duty stays on the ledger
    assert client.delete(f"/api/duties/{duties['other'].pk}/").status_code == 404  # outside the scope
    assert client_for(role_users["deputy"]).delete(f"/api/duties/{duties['coming'].pk}/").status_code == 403
    assert client.delete(f"/api/duties/{duties['coming'].pk}/").status_code == 204
    assert not DutyAssignment.objects.filter(pk=duties["coming"].pk).exists()


def test_generate_by_rotation(role_users, station):
    for _n in range(3):
        f.AssignmentFactory(station=station)
    response = client_for(role_users["township"]).post(
        "/api/duties/generate/", {"station": station.code, "month": "2026-05"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json() == {"added": 2, "short_days": {}}
    assert (
        client_for(role_users["deputy"])
        .post("/api/duties/generate/", {"station": station.code, "month": "2026-05"}, format="json")
        .status_code
        == 403
    )


def test_mine_and_check_in(role_users, duties, station):
    client = client_for(role_users["deputy"])
    mine = client.get("/api/duties/mine/").json()["results"]
    assert {row["id"] for row in mine} == {duties["today"].pk, duties["coming"].pk}
    assert client_for(role_users["county"]).get("/api/duties/mine/").status_code == 403
    response = client.post("/api/duties/check-in/", {"station": station.code}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == DutyStatus.CHECKED_IN and response.json()["activity"]
    assert client.post("/api/duties/check-in/", {"station": station.code}, format="json").status_code == 409
    elsewhere = client.post("/api/duties/check-in/", {"station": "B1"}, format="json")
    assert elsewhere.status_code == 403
    assert (
        client_for(role_users["county"])
        .post("/api/duties/check-in/", {"station": station.code}, format="json")
        .status_code
        == 403
    )


def test_leave_request_and_decision(role_users, duties):
    deputy = client_for(role_users["deputy"])
    response = deputy.post("/api/leave-requests/", {"duty": duties["coming"].pk, "reason": "出差"}, format="json")
    assert response.status_code == 201
    leave_id = response.json()["id"]
    assert deputy.post(f"/api/leave-requests/{leave_id}/decide/", {"approve": True}, format="json").status_code == 403
    assert client_for(role_users["handler"]).get("/api/leave-requests/").status_code == 403
    refused = client_for(role_users["liaison"]).post(
        f"/api/leave-requests/{leave_id}/decide/", {"approve": False}, format="json"
    )
    assert refused.status_code == 400  # a refusal needs a reason
    approved = client_for(role_users["township"]).post(
        f"/api/leave-requests/{leave_id}/decide/", {"approve": True}, format="json"
    )
    assert approved.status_code == 200 and approved.json()["status"] == LeaveStatus.APPROVED
    assert LeaveRequest.objects.get().duty.status == DutyStatus.ON_LEAVE
    today = deputy.post("/api/leave-requests/", {"duty": duties["today"].pk, "reason": "病"}, format="json")
    assert today.status_code == 400  # only before the day
    other = deputy.post("/api/leave-requests/", {"duty": duties["other"].pk, "reason": "x"}, format="json")
    assert other.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_grids_role_matrix(role_users, network, role):
    grid = Grid.objects.create(station=network["a_village"], code="A11-01", name="第一网格")
    grid.leaders.add(network["deputy_a"])
    Grid.objects.create(station=network["b_village"], code="B1-01", name="河口网格")
    response = client_for(role_users[role]).get("/api/grids/")
    if role == "anonymous":
        assert response.status_code in (401, 403)
        return
    assert response.status_code == 200
    codes = {row["code"] for row in response.json()["results"]}
    expected = {
        "superuser": {"A11-01", "B1-01"},
        "county": {"A11-01", "B1-01"},
        "township": {"A11-01"},
        "liaison": {"A11-01"},
        "deputy": {"A11-01"},
        "handler": set(),
    }[role]
    assert codes == expected
    if "A11-01" in codes:
        detail = client_for(role_users[role]).get(f"/api/grids/{grid.pk}/").json()
        assert detail["leaders"][0]["name"] == "张建国"


def test_api_query_budgets(role_users, station, network, django_assert_max_num_queries):
    deputies = [f.AssignmentFactory(station=station).deputy for _n in range(5)]
    for month in range(1, 7):
        for deputy in deputies:
            DutyAssignment.objects.create(station=station, day=dt.date(2026, month, 15), deputy=deputy)
    for n in range(10):
        Grid.objects.create(station=station, code=f"G{n}", name=f"网格{n}").leaders.add(*deputies[:2])
    client = client_for(role_users["county"])
    for url, params in (
        ("/api/duties/", {}),
        ("/api/grids/", {}),
        ("/api/leave-requests/", {}),
        ("/api/reception-days/", {"station": station.code, "month": "2026-05"}),
    ):
        with django_assert_max_num_queries(10, info=url):
            assert client.get(url, params).status_code == 200


def test_schema_lists_the_duty_endpoints():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for path in ("/api/duties/", "/api/duties/check-in/", "/api/leave-requests/{id}/decide/", "/api/grids/"):
        assert path in paths
    assert "/api/reception-days/" in paths
