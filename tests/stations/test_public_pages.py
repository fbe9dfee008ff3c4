"""The public station directory and station pages: content, privacy, QR codes, query budgets."""

import io

import pytest
import segno
from django.urls import reverse

from deputies.models import Level
from tests import factories as f


def test_station_page_shows_schedule_deputies_and_masks_phones(client, network):
    station = network["a_village"]
    station.reception_frequency = "monthly"
    station.reception_day = 15
    station.reception_start = "09:00"
    station.reception_end = "12:00"
    station.save()

    response = client.get(reverse("stations:detail", args=[station.code]))

    page = response.content.decode()
    assert response.status_code == 200
    assert station.name in page
    assert "每月15日 09:00–12:00" in page
    assert "张建国" in page
    assert "站长" in page
    assert "138****0001" in page
    assert "13800000001" not in page


def test_station_page_lists_master_first(client, network):
    station = network["a_village"]
    f.AssignmentFactory(deputy=f.DeputyFactory(name="艾青"), station=station)
    page = client.get(reverse("stations:detail", args=[station.code])).content.decode()
    assert page.index("张建国") < page.index("艾青")


def test_station_page_has_empty_state(client, network):
    page = client.get(reverse("stations:detail", args=[network["b"].code])).content.decode()
    assert "暂无代表进驻" in page


def test_inactive_or_unknown_station_is_not_found(client, network):
    network["b_village"].is_active = False
    network["b_village"].save()
    assert client.get(reverse("stations:detail", args=["B1"])).status_code == 404
    assert client.get(reverse("stations:detail", args=["NOPE"])).status_code == 404


def test_station_qr_codes_encode_the_opinion_form_address(client, network, settings):
    settings.PUBLIC_BASE_URL = "https://rd.example.gov.cn"
    expected_url = "https://rd.example.gov.cn" + reverse("public:station_opinion", args=["A11"])

    svg = client.get(reverse("stations:qr", args=["A11", "svg"]))
    png = client.get(reverse("stations:qr", args=["A11", "png"]))

    assert svg["Content-Type"] == "image/svg+xml"
    assert png["Content-Type"] == "image/png"
    expected_png = io.BytesIO()
    segno.make(expected_url, error="m").save(expected_png, kind="png", scale=12, border=2)
    assert png.content == expected_png.getvalue()
    assert client.get(reverse("stations:qr", args=["A11", "gif"])).status_code == 404


def test_poster_is_printable_and_carries_the_qr_code(client, network):
    response = client.get(reverse("stations:poster", args=["A11"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in page
    assert "@page" in client.get("/static/css/poster.css").content.decode() or "poster.css" in page


def test_qr_targets_are_the_opinion_forms(client, network, settings):
    settings.PUBLIC_BASE_URL = "https://rd.example.gov.cn"
    deputy = network["deputy_a"]
    station_page = client.get(reverse("stations:detail", args=["A11"])).content.decode()
    deputy_page = client.get(reverse("deputies:detail", args=[deputy.code])).content.decode()

    assert reverse("public:station_opinion", args=["A11"]) == "/stations/A11/opinion/"
    assert reverse("public:deputy_opinion", args=[deputy.code]) == f"/deputies/{deputy.code}/opinion/"
    assert "https://rd.example.gov.cn/stations/A11/opinion/" in station_page
    assert client.get(reverse("public:station_opinion", args=["A11"])).status_code == 200
    assert client.get(reverse("public:deputy_opinion", args=[deputy.code])).status_code == 200
    assert "<svg" in deputy_page
    deputy_svg = client.get(reverse("deputies:qr", args=[deputy.code, "svg"])).content.decode()
    assert f"https://rd.example.gov.cn/deputies/{deputy.code}/opinion/" in deputy_svg


def test_directory_searches_filters_and_paginates(client, network):
    for n in range(35):
        f.StationFactory(code=f"A2{n:02d}", name=f"城关测试{n}村联络站", parent=network["a_area"])

    first = client.get(reverse("stations:directory"), {"township": network["a"].pk})
    second = client.get(reverse("stations:directory"), {"township": network["a"].pk, "page": 2})
    search = client.get(reverse("stations:directory"), {"q": "河口村"})
    kind = client.get(reverse("stations:directory"), {"kind": "point"})
    nothing = client.get(reverse("stations:directory"), {"q": "不存在的站"})

    assert "河口" not in "".join(s.name for s in first.context["page"].object_list)
    assert first.context["page"].paginator.count == 39
    assert len(second.context["page"].object_list) == 9
    assert [s.code for s in search.context["page"].object_list] == ["B1"]
    assert [s.code for s in kind.context["page"].object_list] == ["A111"]
    assert "没有符合条件的联络站" in nothing.content.decode()


@pytest.mark.parametrize("deputies", [2, 40])
def test_station_page_query_budget_does_not_grow_with_deputies(
    client, network, deputies, django_assert_max_num_queries
):
    station = network["a_village"]
    for _n in range(deputies):
        deputy = f.DeputyFactory()
        f.MandateFactory(deputy=deputy, level=Level.TOWNSHIP)
        f.AssignmentFactory(deputy=deputy, station=station)
    with django_assert_max_num_queries(6):
        client.get(reverse("stations:detail", args=[station.code]))


def test_directory_query_budget(client, network, django_assert_max_num_queries):
    for n in range(40):
        f.StationFactory(code=f"B9{n:02d}", parent=network["b"])
    with django_assert_max_num_queries(5):
        client.get(reverse("stations:directory"))


def test_deputy_profile_shows_levels_stations_and_masked_phone(client, network):
    deputy = network["deputy_a"]
    response = client.get(reverse("deputies:detail", args=[deputy.code]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "县、乡镇" in page
    assert "东门村联络站" in page
    assert "138****0001" in page and "13800000001" not in page


def test_deputy_qr_and_missing_deputy(client, network):
    deputy = network["deputy_a"]
    assert client.get(reverse("deputies:qr", args=[deputy.code, "svg"]))["Content-Type"] == "image/svg+xml"
    assert client.get(reverse("deputies:detail", args=["nobody"])).status_code == 404
    deputy.is_active = False
    deputy.save()
    assert client.get(reverse("deputies:detail", args=[deputy.code])).status_code == 404


def test_deputy_profile_query_budget(client, network, django_assert_max_num_queries):
    deputy = network["deputy_a"]
    for station in (network["a"], network["a_area"], network["b"]):
        f.AssignmentFactory(deputy=deputy, station=station)
    with django_assert_max_num_queries(4):
        client.get(reverse("deputies:detail", args=[deputy.code]))
