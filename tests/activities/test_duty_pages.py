"""The duty pages: role matrix, check-in from the station page, leave, rosters, query budgets."""

import datetime as dt

import pytest
from django.utils import timezone

from activities.models import DutyAssignment, DutyStatus, LeaveRequest, LeaveStatus
from activities.workflow.duty import duty_assign, leave_request
from liaison import clock
from liaison.models import Role
from stations.models import Grid
from tests import factories as f

TODAY = dt.date(2026, 4, 15)


def moment(day, hour=9):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def frozen_today():
    with clock.frozen(moment(TODAY)):
        yield TODAY


@pytest.fixture
def station(network):
    station = network["a_village"]
    station.reception_frequency, station.reception_day = "monthly", 15
    station.save()
    return station


@pytest.fixture
def duty(role_users, station, network, frozen_today):
    return DutyAssignment.objects.create(station=station, day=TODAY, deputy=network["deputy_a"])


def client_for(client, role_users, role):
    if role_users[role] is not None:
        client.force_login(role_users[role])
    return client


STAFF = {"superuser", "county", "township", "liaison"}


@pytest.mark.parametrize("role", ["superuser", "county", "township", "liaison", "deputy", "handler", "anonymous"])
@pytest.mark.parametrize("url_name", ["roster_index", "missed", "leave", "roster"])
def test_staff_pages_role_matrix(client, role_users, station, frozen_today, role, url_name):
    urls = {
        "roster_index": "/activities/rosters/",
        "missed": "/activities/duty/missed/",
        "leave": "/activities/duty/leave/",
        "roster": f"/activities/rosters/{station.code}/2026/4/",
    }
    response = client_for(client, role_users, role).get(urls[url_name])
    if role == "anonymous":
        assert response.status_code == 302
    elif role in STAFF:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


def test_a_township_outside_gets_404_on_the_roster(client, network, frozen_today):
    other = f.StaffProfileFactory(
        user=f.UserFactory(username="b-staff", is_staff=True), role=Role.TOWNSHIP_STAFF, township=network["b"]
    ).user
    client.force_login(other)
    assert client.get(f"/activities/rosters/{network['a_village'].code}/2026/4/").status_code == 404
    assert client.get(f"/activities/rosters/{network['b_village'].code}/2026/4/").status_code == 200


@pytest.mark.parametrize("role", ["superuser", "county", "township", "liaison", "deputy", "handler", "anonymous"])
def test_my_duties_only_for_deputies(client, role_users, frozen_today, role):
    response = client_for(client, role_users, role).get("/activities/duty/mine/")
    expected = {"deputy": 200, "anonymous": 302}.get(role, 403)
    assert response.status_code == expected


def test_the_station_page_shows_the_check_in_button_only_to_the_deputy_on_duty(client, role_users, station, duty):
    url = station.get_absolute_url()
    assert "签到" not in client.get(url).content.decode()
    client.force_login(role_users["liaison"])
    assert 'action="/activities/duty/check-in/' not in client.get(url).content.decode()
    client.force_login(role_users["deputy"])
    page = client.get(url).content.decode()
    assert f'action="/activities/duty/check-in/{station.code}/"' in page
    response = client.post(f"/activities/duty/check-in/{station.code}/", follow=True)
    assert response.redirect_chain[-1][0] == url
    duty.refresh_from_db()
    assert duty.status == DutyStatus.CHECKED_IN
    page = response.content.decode()
    assert f'action="/activities/duty/check-in/{station.code}/"' not in page
    again = client.post(f"/activities/duty/check-in/{station.code}/", follow=True)
    assert "已经签到" in again.content.decode() or "already checked in" in again.content.decode()


def test_check_in_refused_with_a_message_when_not_on_duty(client, role_users, station, frozen_today):
    client.force_login(role_users["deputy"])
    response = client.post(f"/activities/duty/check-in/{station.code}/", follow=True)
    assert response.status_code == 200
    assert not DutyAssignment.objects.exists()
    assert next(iter(response.context["messages"])).level_tag == "error"


@pytest.mark.parametrize("role", ["county", "liaison", "handler", "anonymous"])
def test_check_in_is_for_deputies(client, role_users, station, duty, role):
    response = client_for(client, role_users, role).post(f"/activities/duty/check-in/{station.code}/")
    assert response.status_code == (302 if role == "anonymous" else 403)
    duty.refresh_from_db()
    assert duty.status == DutyStatus.PLANNED


def test_the_public_page_and_poster_show_the_coming_roster(client, role_users, station, network, frozen_today):
    DutyAssignment.objects.create(station=station, day=dt.date(2026, 5, 15), deputy=network["deputy_a"])
    for url in (station.get_absolute_url(), f"{station.get_absolute_url()}poster/"):
        page = client.get(url).content.decode()
        assert "2026-05-15" in page and "2026-06-15" in page
        assert network["deputy_a"].name in page
        assert network["deputy_a"].phone not in page


def test_a_deputy_asks_for_leave_and_staff_approve(client, role_users, station, network, frozen_today):
    coming = DutyAssignment.objects.create(station=station, day=dt.date(2026, 5, 15), deputy=network["deputy_a"])
    client.force_login(role_users["deputy"])
    assert "请假" in client.get("/activities/duty/mine/").content.decode() or client.get("/activities/duty/mine/")
    response = client.post(f"/activities/duty/{coming.pk}/leave/", {"reason": "出差"})
    assert response.status_code == 302
    leave = LeaveRequest.objects.get()
    client.force_login(role_users["liaison"])
    assert "出差" in client.get("/activities/duty/leave/").content.decode()
    client.post(f"/activities/duty/leave/{leave.pk}/decide/", {"decision": "approve"})
    leave.refresh_from_db()
    coming.refresh_from_db()
    assert leave.status == LeaveStatus.APPROVED and coming.status == DutyStatus.ON_LEAVE


def test_another_deputys_duty_is_404(client, role_users, station, network, frozen_today):
    other = DutyAssignment.objects.create(station=station, day=dt.date(2026, 5, 15), deputy=network["deputy_b"])
    client.force_login(role_users["deputy"])
    assert client.get(f"/activities/duty/{other.pk}/leave/").status_code == 404


def test_a_township_outside_cannot_decide_the_leave(client, role_users, station, network, frozen_today):
    coming = DutyAssignment.objects.create(station=station, day=dt.date(2026, 5, 15), deputy=network["deputy_a"])
    leave = leave_request(duty=coming, actor=role_users["deputy"], reason="出差")
    other = f.StaffProfileFactory(
        user=f.UserFactory(username="b-staff", is_staff=True), role=Role.TOWNSHIP_STAFF, township=network["b"]
    ).user
    client.force_login(other)
    assert client.post(f"/activities/duty/leave/{leave.pk}/decide/", {"decision": "approve"}).status_code == 404
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.PENDING


def test_the_roster_page_fills_adds_and_removes(client, role_users, station, network, frozen_today):
    for _n in range(3):
        f.AssignmentFactory(station=station)
    client.force_login(role_users["liaison"])
    url = f"/activities/rosters/{station.code}/2026/5/"
    client.post(url, {"action": "generate"})
    assert DutyAssignment.objects.filter(day=dt.date(2026, 5, 15)).count() == 2
    client.post(url, {"action": "add", "day": "2026-05-20", "deputy": network["deputy_a"].pk})
    added = DutyAssignment.objects.get(day=dt.date(2026, 5, 20))
    page = client.get(url).content.decode()
    assert "2026-05-20" in page
    client.post(url, {"action": "remove", "duty": added.pk})
    assert not DutyAssignment.objects.filter(pk=added.pk).exists()


def test_missed_duties_listed_for_staff_in_scope(client, role_users, station, network, frozen_today):
    DutyAssignment.objects.create(station=station, day=dt.date(2026, 3, 15), deputy=network["deputy_a"])
    DutyAssignment.objects.create(station=network["b_village"], day=dt.date(2026, 3, 15), deputy=network["deputy_b"])
    client.force_login(role_users["township"])
    page = client.get("/activities/duty/missed/").content.decode()
    assert network["deputy_a"].name in page and network["deputy_b"].name not in page
    client.force_login(role_users["county"])
    page = client.get("/activities/duty/missed/?month=2026-03").content.decode()
    assert network["deputy_b"].name in page


def _many_duties(station, network, days=6, per_day=4):
    deputies = [f.AssignmentFactory(station=station).deputy for _n in range(per_day)]
    for month in range(1, days + 1):
        for deputy in deputies:
            DutyAssignment.objects.create(station=station, day=dt.date(2026, month, 15), deputy=deputy)
    grid = Grid.objects.create(station=station, code="G1", name="一组")
    grid.leaders.add(*deputies[:2])
    return deputies


def test_query_budgets(client, role_users, station, network, frozen_today, django_assert_max_num_queries):
    deputies = _many_duties(station, network)
    with clock.frozen(moment(dt.date(2026, 4, 1))):
        for deputy in deputies:
            deputy.user = f.UserFactory()
            deputy.save()
        duty = DutyAssignment.objects.filter(deputy=deputies[0], day=dt.date(2026, 5, 15)).get()
        leave_request(duty=duty, actor=deputies[0].user, reason="事假")
    client.force_login(role_users["county"])
    for url in (
        "/activities/rosters/",
        f"/activities/rosters/{station.code}/2026/5/",
        "/activities/duty/missed/",
        "/activities/duty/leave/",
    ):
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200
    client.logout()
    for url in (station.get_absolute_url(), f"{station.get_absolute_url()}poster/"):
        with django_assert_max_num_queries(16):
            assert client.get(url).status_code == 200
    client.force_login(deputies[0].user)
    with django_assert_max_num_queries(16):
        assert client.get("/activities/duty/mine/").status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(station.get_absolute_url()).status_code == 200


def test_the_deputy_home_lists_coming_duties(client, role_users, station, network, frozen_today):
    DutyAssignment.objects.create(station=station, day=dt.date(2026, 5, 15), deputy=network["deputy_a"])
    client.force_login(role_users["deputy"])
    page = client.get("/me/").content.decode()
    assert "2026-05-15" in page and "/activities/duty/mine/" in page


def test_staff_adding_by_hand_uses_the_workflow(role_users, station, network, frozen_today):
    duty = duty_assign(
        station=station, day=dt.date(2026, 5, 15), deputy=network["deputy_a"], actor=role_users["township"]
    )
    assert duty.created_by == role_users["township"]


def test_admin_adds_and_removes_duties_through_the_workflow(client, role_users, station, network, frozen_today):
    client.force_login(role_users["township"])
    add = "/admin/activities/dutyassignment/add/"
    body = {"station": station.pk, "day": "2026-05-15", "deputy": network["deputy_a"].pk}
    assert client.post(add, body).status_code == 302
    duty = DutyAssignment.objects.get()
    assert duty.created_by == role_users["township"] and duty.events.get().action == "assign"
    again = client.post(add, body, follow=True)  # the form's unique check refuses it
    assert again.status_code == 200 and DutyAssignment.objects.count() == 1
    past = {"station": station.pk, "day": "2026-03-15", "deputy": network["deputy_a"].pk}
    refused = client.post(add, past, follow=True)  # the workflow refuses a past day
    assert DutyAssignment.objects.count() == 1
    assert any(m.level_tag == "error" for m in refused.context["messages"])
    response = client.post(
        "/admin/activities/dutyassignment/",
        {"action": "remove_selected", "_selected_action": [duty.pk]},
    )
    assert response.status_code == 302
    assert not DutyAssignment.objects.exists()


def test_admin_lists_query_budgets(client, role_users, station, network, frozen_today, django_assert_max_num_queries):
    deputies = _many_duties(station, network)
    with clock.frozen(moment(dt.date(2026, 4, 1))):
        deputies[0].user = f.UserFactory()
        deputies[0].save()
        duty = DutyAssignment.objects.filter(deputy=deputies[0], day=dt.date(2026, 5, 15)).get()
        leave_request(duty=duty, actor=deputies[0].user, reason="事假")
    client.force_login(role_users["county"])
    for url in (
        "/admin/activities/dutyassignment/",
        "/admin/activities/dutyassignment/?missed=yes",
        "/admin/activities/leaverequest/",
        "/admin/activities/dutyevent/",
        f"/admin/activities/dutyassignment/{duty.pk}/change/",
    ):
        with django_assert_max_num_queries(20, info=url):
            assert client.get(url).status_code == 200
