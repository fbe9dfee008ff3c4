"""The permission matrix: each role against each public and admin page.

Expected codes: 200 shown; 302 sent away (to the login page, or to the admin index for an
object outside the user's scope); 403 refused.
"""

import pytest
from django.urls import reverse

ROLES = ["superuser", "county", "township", "liaison", "deputy", "handler", "anonymous"]


def public_pages(network):
    deputy = network["deputy_a"]
    return {
        "home": reverse("home"),
        "directory": reverse("stations:directory"),
        "station": reverse("stations:detail", args=["A11"]),
        "station_qr": reverse("stations:qr", args=["A11", "png"]),
        "poster": reverse("stations:poster", args=["A11"]),
        "deputy": reverse("deputies:detail", args=[deputy.code]),
        "healthz": reverse("healthz"),
    }


@pytest.mark.parametrize("role", ROLES)
def test_public_pages_are_open_to_every_role(client, role_users, network, role):
    if role_users[role]:
        client.force_login(role_users[role])
    for name, url in public_pages(network).items():
        assert client.get(url).status_code == 200, name


# page → expected status per role, in the order of ROLES
ADMIN_MATRIX = {
    "index": ("/admin/", [200, 200, 200, 200, 302, 302, 302]),
    "stations": ("/admin/stations/station/", [200, 200, 200, 200, 302, 302, 302]),
    "station_in_a": ("/admin/stations/station/{a_village}/change/", [200, 200, 200, 200, 302, 302, 302]),
    "station_in_b": ("/admin/stations/station/{b_village}/change/", [200, 200, 302, 302, 302, 302, 302]),
    "station_add": ("/admin/stations/station/add/", [200, 200, 200, 403, 302, 302, 302]),
    "deputies": ("/admin/deputies/deputy/", [200, 200, 200, 200, 302, 302, 302]),
    "deputy_in_a": ("/admin/deputies/deputy/{deputy_a}/change/", [200, 200, 200, 200, 302, 302, 302]),
    "deputy_in_b": ("/admin/deputies/deputy/{deputy_b}/change/", [200, 200, 302, 302, 302, 302, 302]),
    "deputy_add": ("/admin/deputies/deputy/add/", [200, 200, 200, 403, 302, 302, 302]),
    "groups": ("/admin/deputies/deputygroup/", [200, 200, 200, 200, 302, 302, 302]),
    "departments": ("/admin/suggestions/department/", [200, 200, 200, 403, 302, 302, 302]),
    "department_add": ("/admin/suggestions/department/add/", [200, 200, 403, 403, 302, 302, 302]),
    "checklists": ("/admin/stations/standardchecklist/", [200, 200, 200, 403, 302, 302, 302]),
    "assessments": ("/admin/stations/stationassessment/", [200, 200, 200, 200, 302, 302, 302]),
    "users": ("/admin/auth/user/", [200, 200, 403, 403, 302, 302, 302]),
    "suggestions": ("/admin/suggestions/suggestion/", [200, 200, 200, 200, 302, 302, 302]),
    "opinions": ("/admin/suggestions/opinion/", [200, 200, 200, 200, 302, 302, 302]),
    "assignments": ("/admin/suggestions/assignment/", [200, 200, 200, 403, 302, 302, 302]),
    "extensions": ("/admin/suggestions/extensionrequest/", [200, 200, 200, 403, 302, 302, 302]),
    "commitments": ("/admin/suggestions/commitment/", [200, 200, 200, 403, 302, 302, 302]),
    "ledger": ("/admin/suggestions/suggestion/ledger/", [200, 200, 200, 200, 302, 302, 302]),
    "deadline_rules": ("/admin/suggestions/deadlinerule/", [200, 200, 200, 403, 302, 302, 302]),
    "reminder_rules": ("/admin/liaison/reminderrule/", [200, 200, 200, 403, 302, 302, 302]),
    "reminders_sent": ("/admin/liaison/reminderlog/", [200, 200, 403, 403, 302, 302, 302]),
    "deliveries": ("/admin/liaison/delivery/", [200, 200, 403, 403, 302, 302, 302]),
    "calendar": ("/admin/liaison/calendaroverride/", [200, 200, 200, 403, 302, 302, 302]),
}


@pytest.mark.parametrize("page", ADMIN_MATRIX)
@pytest.mark.parametrize("role", ROLES)
def test_admin_permission_matrix(client, role_users, network, role, page):
    url_template, expected = ADMIN_MATRIX[page]
    url = url_template.format(
        a_village=network["a_village"].pk,
        b_village=network["b_village"].pk,
        deputy_a=network["deputy_a"].pk,
        deputy_b=network["deputy_b"].pk,
    )
    if role_users[role]:
        client.force_login(role_users[role])
    assert client.get(url).status_code == expected[ROLES.index(role)]


def test_township_staff_list_only_their_township(client, role_users, network):
    client.force_login(role_users["township"])
    stations = client.get("/admin/stations/station/").context["cl"].result_list
    deputies = client.get("/admin/deputies/deputy/").context["cl"].result_list
    assert {s.code for s in stations} == {"A", "A1", "A11", "A111"}
    assert [d.name for d in deputies] == ["张建国"]


def test_liaison_officer_sees_their_station_and_below(client, role_users, network):
    client.force_login(role_users["liaison"])
    stations = client.get("/admin/stations/station/").context["cl"].result_list
    assert {s.code for s in stations} == {"A11", "A111"}


def test_township_staff_cannot_change_a_station_elsewhere(client, role_users, network):
    client.force_login(role_users["township"])
    station = network["b_village"]
    response = client.post(
        f"/admin/stations/station/{station.pk}/change/",
        {"code": "B1", "name": "改名", "kind": "village", "parent": network["b"].pk},
    )
    station.refresh_from_db()
    assert response.status_code == 302
    assert station.name == "河口村联络站"


def test_only_congress_staff_see_deputies_full_phones(client, role_users, network):
    client.force_login(role_users["township"])
    assert "13800000001" in client.get("/admin/deputies/deputy/").content.decode()
    client.force_login(role_users["liaison"])
    page = client.get("/admin/deputies/deputy/").content.decode()
    assert "13800000001" not in page
    assert "138****0001" in page


def test_deputy_and_handler_cannot_log_into_the_admin(client, role_users):
    for username in ("deputy", "handler"):
        response = client.post("/admin/login/", {"username": username, "password": "pass12345"})
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
