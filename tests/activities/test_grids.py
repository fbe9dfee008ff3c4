"""Grids on the station page, on opinions and activities, and in the admin's scope."""

import pytest
from django.core.exceptions import ValidationError

from activities.models import Activity, ActivityType
from stations.models import Grid
from suggestions.models import Opinion
from tests import factories as f


@pytest.fixture
def grids(network):
    village = network["a_village"]
    first = Grid.objects.create(station=village, code="A11-01", name="第一网格", description="东门一组")
    second = Grid.objects.create(station=village, code="A11-02", name="第二网格")
    Grid.objects.create(station=village, code="A11-09", name="撤销的网格", is_active=False)
    network["deputy_a"].grids_led.add(first, second)
    return first, second


def test_the_station_page_lists_its_grids_and_leaders(client, network, grids):
    page = client.get(network["a_village"].get_absolute_url()).content.decode()
    assert "第一网格" in page and "第二网格" in page and "东门一组" in page
    assert "撤销的网格" not in page
    assert page.count(network["deputy_a"].name) >= 2
    assert network["deputy_a"].phone not in page
    other = client.get(network["b_village"].get_absolute_url()).content.decode()
    assert "第一网格" not in other


def test_a_grid_lies_under_a_village_or_area_station(network):
    with pytest.raises(ValidationError):
        Grid(station=network["a"], code="X", name="x").full_clean()
    Grid(station=network["a_area"], code="Y", name="y").full_clean()


def test_opinions_and_activities_carry_their_grid(network, grids):
    first, _second = grids
    opinion = Opinion.objects.create(
        content="路灯坏了", channel="reception_day", station=network["a_village"], grid=first, received_on="2026-04-15"
    )
    activity = Activity.objects.create(
        station=network["a_village"], activity_type=ActivityType.objects.get(code="reception_day"), grid=first
    )
    assert list(first.opinions.all()) == [opinion]
    assert list(first.activities.all()) == [activity]
    first.is_active = False
    first.save()
    assert Grid.objects.active().count() == 1


@pytest.mark.parametrize(("role", "count"), [("county", 3), ("township", 3), ("liaison", 3), ("superuser", 3)])
def test_grid_admin_lists_the_grids_in_scope(client, role_users, network, grids, role, count):
    Grid.objects.create(station=network["b_village"], code="B1-01", name="河口网格")
    client.force_login(role_users[role])
    response = client.get("/admin/stations/grid/")
    assert response.status_code == 200
    shown = response.context["cl"].result_count
    assert shown == (count + 1 if role in ("county", "superuser") else count)


def test_grid_admin_query_budget(client, role_users, network, grids, django_assert_max_num_queries):
    for n in range(20):
        grid = Grid.objects.create(station=network["a_village"], code=f"G{n}", name=f"网格{n}")
        grid.leaders.add(f.DeputyFactory())
    client.force_login(role_users["county"])
    with django_assert_max_num_queries(15):
        assert client.get("/admin/stations/grid/").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(f"/admin/stations/grid/{grids[0].pk}/change/").status_code == 200


def test_grid_visible_to_follows_the_stations(role_users, network, grids):
    Grid.objects.create(station=network["b_village"], code="B1-01", name="河口网格")
    assert Grid.objects.visible_to(role_users["township"]).count() == 3
    assert Grid.objects.visible_to(role_users["county"]).count() == 4
    assert Grid.objects.visible_to(None).count() == 0
