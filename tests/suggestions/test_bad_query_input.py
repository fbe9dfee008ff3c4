"""Query strings anyone can type never give a 500: a 400 with a Chinese message, or nothing found."""

import pytest

from tests.suggestions.api_support import client_for

BAD_YEARS = ["0", "-1", "10000", "99999999999999999999", "abc"]
HUGE_IDS = ["9223372036854775808", "99999999999999999999999", "-5", "1e9"]


@pytest.mark.parametrize("year", BAD_YEARS)
@pytest.mark.parametrize("path", ["/api/opinions/", "/api/suggestions/", "/api/assignments/"])
def test_a_bad_year_on_an_api_list_is_a_400_in_chinese(cast, path, year):
    response = client_for(cast["county"]).get(path, {"year": year})
    assert response.status_code == 400
    message = str(response.json())
    assert "year" in message and any("\u4e00" <= ch <= "\u9fff" for ch in message), message


@pytest.mark.parametrize("value", HUGE_IDS)
def test_huge_ids_in_public_filters_find_nothing(client, db, value):
    response = client.get("/stations/", {"township": value})
    assert response.status_code == 200
    response = client.get("/s/", {"category": value, "page": value})
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["-1.7976931348623157e+308", "99999999999999999999", "1.5", "0"])
@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/assignments/", "suggestion"),
        ("/api/extension-requests/", "department"),
        ("/api/suggestions/", "township"),
    ],
)
def test_a_bad_id_filter_on_an_api_list_is_a_400(cast, path, name, value):
    response = client_for(cast["county"]).get(path, {name: value})
    assert response.status_code == 400
    assert name in response.json()
