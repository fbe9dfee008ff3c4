"""Opinions and activities carry their grid (网格): picked on the activity form and on the
deputy's opinion form, checked to lie in the station's area, passed on to the opinions taken."""

import pytest
from django.urls import reverse

from activities.models import Activity
from stations.models import Grid
from suggestions import workflow as lifecycle
from suggestions.models import Channel, Opinion
from suggestions.workflow import Invalid

pytestmark = pytest.mark.django_db


@pytest.fixture
def grids(scene):
    own = Grid.objects.create(station=scene["station"], code="A11-01", name="东门一组")
    foreign = Grid.objects.create(station=scene["other_station"], code="B1-01", name="河口一组")
    return {"own": own, "foreign": foreign}


def test_an_activity_and_its_opinions_carry_the_grid(log, grids):
    activity = log(grid=grids["own"])
    assert activity.grid == grids["own"]
    assert {o.grid for o in Opinion.objects.filter(activity_link__activity=activity)} == {grids["own"]}


def test_a_grid_of_another_station_is_refused_and_nothing_is_written(log, grids):
    before = (Activity.objects.count(), Opinion.objects.count())
    with pytest.raises(Invalid, match="河口一组"):
        log(grid=grids["foreign"])
    assert (Activity.objects.count(), Opinion.objects.count()) == before


def test_the_grid_of_a_station_below_belongs_to_the_area(scene, network, grids):
    below = Grid.objects.create(station=network["a_village"], code="A11-02", name="东门二组")
    opinion = lifecycle.opinion_create(
        content="路面积水", channel=Channel.PHONE, station=network["a_area"], actor=scene["county"], grid=below
    )
    assert opinion.grid == below
    with pytest.raises(Invalid):
        lifecycle.opinion_create(
            content="路面积水",
            channel=Channel.PHONE,
            station=network["a_village"],
            actor=scene["county"],
            grid=grids["foreign"],
        )


def test_the_activity_form_offers_the_stations_grids(client, scene, grids):
    client.force_login(scene["deputy"])
    page = client.get(reverse("activities:log"), {"station": scene["station"].code})
    assert page.status_code == 200
    choices = [label for _value, label in page.context["form"].fields["grid"].choices]
    assert "东门一组" in [str(label) for label in choices] and "河口一组" not in [str(label) for label in choices]


def test_the_deputys_opinion_form_takes_a_grid(client, scene, grids):
    client.force_login(scene["deputy"])
    url = reverse("deputy:opinion_new")
    data = {
        "station": scene["station"].pk,
        "channel": Channel.HOME_VISIT,
        "received_on": "2026-11-30",
        "content": "东门一组路灯坏了",
        "grid": grids["own"].pk,
    }
    assert client.post(url, data).status_code == 302
    assert Opinion.objects.get(content="东门一组路灯坏了").grid == grids["own"]
    refused = client.post(url, {**data, "content": "越界", "grid": grids["foreign"].pk})
    assert refused.status_code == 200 and "grid" in refused.context["form"].errors
    assert not Opinion.objects.filter(content="越界").exists()


def test_the_api_records_an_activity_with_its_grid(scene, grids):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(scene["deputy"])
    payload = {"station": scene["station"].code, "activity_type": "home_visit", "grid": grids["own"].pk}
    response = client.post("/api/activities/", payload, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["grid"] == grids["own"].pk
    refused = client.post("/api/activities/", {**payload, "grid": grids["foreign"].pk}, format="json")
    assert refused.status_code == 400
