"""The public opinion form behind the station and deputy QR codes (一站一码、一人一码)."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from suggestions.models import Channel, Opinion, OpinionEvent, OpinionStatus
from suggestions.public.views import OPINION_SENT_SESSION_KEY
from tests import factories as f

CONTENT = "村口道路坑洼，雨天积水严重，希望尽快修缮。"


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def station_url(code="A11"):
    return reverse("public:station_opinion", args=[code])


def deputy_url(deputy):
    return reverse("public:deputy_opinion", args=[deputy.code])


def post(client, url, **fields):
    data = {"content": CONTENT, "category": "", "place": "东门村", "name": "", "phone": "", "homepage": ""}
    data.update(fields)
    return client.post(url, data)


def test_station_form_page_is_served_at_the_qr_address(client, network):
    response = client.get("/stations/A11/opinion/")
    assert response.status_code == 200
    assert network["a_village"].name in response.content.decode()
    assert 'name="homepage"' in response.content.decode()


def test_station_opinion_is_recorded_with_its_event_and_tracking_code(client, network):
    response = post(client, station_url(), name="王小明", phone="139 1234-5678", category=f.category().pk)

    assert response.status_code == 302
    assert response["Location"] == reverse("public:opinion_sent")
    opinion = Opinion.objects.get()
    assert opinion.channel == Channel.STATION_QR
    assert opinion.station == network["a_village"]
    assert opinion.status == OpinionStatus.RECEIVED
    assert opinion.created_by is None
    assert opinion.voter_name == "王小明"
    assert opinion.voter_phone == "13912345678"
    assert opinion.place == "东门村"
    assert list(opinion.deputies.all()) == []
    assert list(OpinionEvent.objects.values_list("opinion_id", "action", "actor")) == [(opinion.pk, "create", None)]

    confirmation = client.get(response["Location"])
    page = confirmation.content.decode()
    assert confirmation.status_code == 200
    assert opinion.tracking_code in page
    assert reverse("public:track") in page
    assert confirmation.context["sent"]["phone"] is True
    assert "13912345678" not in page and "王小明" not in page


def test_reloading_the_confirmation_does_not_send_again(client, network):
    response = post(client, station_url())
    first = client.get(response["Location"])
    second = client.get(response["Location"])
    code = Opinion.objects.get().tracking_code
    assert code in first.content.decode() and code in second.content.decode()
    assert Opinion.objects.count() == 1
    assert second.context["sent"]["phone"] is False


def test_confirmation_without_a_sent_opinion_goes_to_tracking(client, db):
    response = client.get(reverse("public:opinion_sent"))
    assert response.status_code == 302
    assert response["Location"] == reverse("public:track")


def test_deputy_opinion_goes_to_the_deputys_first_active_station(client, network):
    deputy = network["deputy_b"]
    inactive = f.StationFactory(code="B2", parent=network["b"], is_active=False)
    deputy.assignments.all().delete()
    f.AssignmentFactory(deputy=deputy, station=inactive)
    f.AssignmentFactory(deputy=deputy, station=network["b_village"])
    f.AssignmentFactory(deputy=deputy, station=network["a_village"])

    assert client.get(deputy_url(deputy)).status_code == 200
    response = post(client, deputy_url(deputy))

    assert response.status_code == 302
    opinion = Opinion.objects.get()
    assert opinion.channel == Channel.DEPUTY_QR
    assert opinion.station == network["b_village"]
    assert list(opinion.deputies.all()) == [deputy]
    assert client.session[OPINION_SENT_SESSION_KEY]["code"] == opinion.tracking_code


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"content": ""}, "content"),
        ({"content": "   "}, "content"),
        ({"content": "长" * 2001}, "content"),
        ({"phone": "12345"}, "phone"),
        ({"phone": "电话号码"}, "phone"),
        ({"category": "99999"}, "category"),
        ({"homepage": "http://spam.example"}, None),
    ],
)
def test_bad_input_shows_an_error_and_writes_nothing(client, network, fields, field):
    response = post(client, station_url(), **fields)

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[field] if field else form.non_field_errors()
    assert Opinion.objects.count() == 0
    assert OpinionEvent.objects.count() == 0
    assert OPINION_SENT_SESSION_KEY not in client.session


def test_exactly_2000_characters_are_accepted(client, network):
    assert post(client, station_url(), content="长" * 2000).status_code == 302
    assert len(Opinion.objects.get().content) == 2000


def test_unknown_or_inactive_station_is_not_found(client, network):
    network["b_village"].is_active = False
    network["b_village"].save()
    for code in ("NOPE", "B1"):
        assert client.get(station_url(code)).status_code == 404
        assert post(client, station_url(code)).status_code == 404
    assert Opinion.objects.count() == 0


def test_unknown_inactive_or_unstationed_deputy_is_not_found(client, network):
    retired = network["deputy_b"]
    retired.is_active = False
    retired.save()
    unstationed = f.DeputyFactory()
    lost = f.DeputyFactory()
    f.AssignmentFactory(deputy=lost, station=f.StationFactory(parent=network["b"], is_active=False))
    for url in ("/deputies/nobody/opinion/", deputy_url(retired), deputy_url(unstationed), deputy_url(lost)):
        assert client.get(url).status_code == 404
        assert post(client, url).status_code == 404
    assert Opinion.objects.count() == 0


def test_csrf_is_enforced(network):
    client = Client(enforce_csrf_checks=True)
    refused = post(client, station_url())
    assert refused.status_code == 403
    assert Opinion.objects.count() == 0

    client.get(station_url())
    token = client.cookies["csrftoken"].value
    accepted = post(client, station_url(), csrfmiddlewaretoken=token)
    assert accepted.status_code == 302
    assert Opinion.objects.count() == 1


def test_rate_limit_per_address_refuses_with_429_and_writes_nothing(client, network, settings):
    settings.OPINION_RATE_LIMIT = "5/10m"
    for _ in range(5):
        assert post(client, station_url()).status_code == 302
    refused = post(client, station_url())

    assert refused.status_code == 429
    assert Opinion.objects.count() == 5
    assert OpinionEvent.objects.count() == 5
    assert client.get(station_url()).status_code == 200  # reading the form is not limited
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert post(other, station_url()).status_code == 302


def test_rate_limit_is_a_setting(client, network, settings):
    settings.OPINION_RATE_LIMIT = "1/10m"
    assert post(client, station_url()).status_code == 302
    assert post(client, station_url()).status_code == 429
    assert Opinion.objects.count() == 1


def test_rate_limit_counts_bad_submissions_too(client, network, settings):
    settings.OPINION_RATE_LIMIT = "2/10m"
    post(client, station_url(), content="")
    post(client, station_url(), content="")
    assert post(client, station_url()).status_code == 429
    assert Opinion.objects.count() == 0


def test_form_page_query_budget(client, network, django_assert_max_num_queries):
    for n in range(15):
        f.category(f"分类{n}")
    with django_assert_max_num_queries(4):
        client.get(station_url())
    with django_assert_max_num_queries(4):
        client.get(deputy_url(network["deputy_a"]))
