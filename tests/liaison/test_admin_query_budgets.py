"""Admin lists and change pages keep a fixed number of queries as the data grows."""

import pytest

from deputies.models import Level
from stations.models import StationKind
from tests import factories as f


def grow_network(network, size):
    for n in range(size):
        station = f.StationFactory(code=f"G{n:04d}", kind=StationKind.VILLAGE, parent=network["a_area"])
        deputy = f.DeputyFactory()
        f.MandateFactory(deputy=deputy, level=Level.COUNTY)
        f.MandateFactory(deputy=deputy, level=Level.TOWNSHIP, term="第十九届")
        f.AssignmentFactory(deputy=deputy, station=station)
        f.AssignmentFactory(deputy=deputy, station=network["a"])
        group = f.DeputyGroupFactory(township=network["a"], leader=deputy)
        group.members.add(deputy)
        f.DepartmentFactory().contact_users.add(f.UserFactory())


PAGES = {
    "/admin/": 20,
    "/admin/stations/station/": 20,
    "/admin/deputies/deputy/": 20,
    "/admin/deputies/deputygroup/": 16,
    "/admin/suggestions/department/": 16,
    "/admin/stations/stationassessment/": 16,
}


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("role", ["county", "township"])
def test_admin_list_query_budget(client, role_users, network, url, role, django_assert_max_num_queries):
    grow_network(network, 30)
    client.force_login(role_users[role])
    with django_assert_max_num_queries(PAGES[url]):
        assert client.get(url).status_code == 200


def test_station_change_page_query_budget(client, role_users, network, django_assert_max_num_queries):
    grow_network(network, 5)
    for _n in range(20):
        f.AssignmentFactory(station=network["a_village"])
    client.force_login(role_users["county"])
    with django_assert_max_num_queries(40):
        assert client.get(f"/admin/stations/station/{network['a_village'].pk}/change/").status_code == 200


def test_deputy_change_page_query_budget(client, role_users, network, django_assert_max_num_queries):
    deputy = network["deputy_a"]
    for station in (network["a"], network["a_area"], network["b"]):
        f.AssignmentFactory(deputy=deputy, station=station)
    client.force_login(role_users["county"])
    with django_assert_max_num_queries(25):
        assert client.get(f"/admin/deputies/deputy/{deputy.pk}/change/").status_code == 200
