"""The station tree: kind rules, derived townships, moves (form, function and drag and drop)."""

import pytest
from django.core.exceptions import ValidationError

from stations.models import Station, StationKind
from stations.tree import MoveRefused, station_move
from tests import factories as f


def test_township_follows_a_move_to_another_township(network):
    station_move(station=network["a_area"], new_parent=network["b"])
    for key in ("a_area", "a_village", "a_point"):
        network[key].refresh_from_db()
        assert network[key].township_id == network["b"].pk


def test_changing_the_parent_in_a_form_moves_the_subtree(network):
    area = network["a_area"]
    area.parent = network["b"]
    area.save()
    network["a_point"].refresh_from_db()
    assert network["a_point"].township_id == network["b"].pk
    assert network["a_point"].is_descendant_of(Station.objects.get(code="B"))


def test_refresh_townships_repairs_a_bulk_insert(network):
    Station.objects.filter(code="A111").update(township=None)
    Station.objects.refresh_townships()
    assert Station.objects.get(code="A111").township_id == network["a"].pk


@pytest.mark.parametrize(
    ("kind", "parent_key", "message"),
    [
        (StationKind.COUNTY_HUB, "hub", "县级总站"),
        (StationKind.VILLAGE, None, "上级"),
        (StationKind.VILLAGE, "a_point", "联络点"),
        (StationKind.CENTER, "a", "中心联络站"),
    ],
)
def test_kind_rules_are_enforced(network, kind, parent_key, message):
    station = Station(code="X", name="新站", kind=kind, parent=network[parent_key] if parent_key else None)
    with pytest.raises(ValidationError) as error:
        station.full_clean()
    assert message in str(error.value)


def test_move_into_own_subtree_is_refused(network):
    with pytest.raises(MoveRefused):
        station_move(station=network["a_area"], new_parent=network["a_village"])


def test_move_under_a_point_is_refused(network):
    with pytest.raises(MoveRefused):
        station_move(station=network["b_village"], new_parent=network["a_point"])
    network["b_village"].refresh_from_db()
    assert network["b_village"].parent_id == network["b"].pk


def test_schedule_in_words(network):
    station = network["a"]
    station.reception_frequency = "weekly"
    station.reception_day = 3
    assert station.reception_schedule_display().startswith("每周")
    station.reception_frequency = "none"
    assert "预约" in station.reception_schedule_display()


def drag(client, station, target, position):
    return client.post(
        "/admin/stations/station/",
        {"cmd": "move_node", "cut_item": station.pk, "pasted_on": target.pk, "position": position},
    )


def test_drag_and_drop_moves_within_scope(client, role_users, network):
    client.force_login(role_users["township"])
    new_area = f.StationFactory(code="A2", kind=StationKind.AREA, parent=network["a"])
    response = drag(client, network["a_village"], new_area, "last-child")
    network["a_village"].refresh_from_db()
    assert response.content == b"OK, moved."
    assert network["a_village"].parent_id == new_area.pk


def test_drag_and_drop_out_of_the_township_is_refused(client, role_users, network):
    client.force_login(role_users["township"])
    response = drag(client, network["a_village"], network["a"], "right")  # would land under the hub
    network["a_village"].refresh_from_db()
    assert response.content.startswith(b"FAIL")
    assert network["a_village"].parent_id == network["a_area"].pk


def test_drag_and_drop_breaking_kind_rules_is_refused(client, role_users, network):
    client.force_login(role_users["county"])
    response = drag(client, network["b_village"], network["a_point"], "last-child")
    assert response.content.startswith(b"FAIL")
