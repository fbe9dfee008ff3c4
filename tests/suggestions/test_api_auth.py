"""Authentication: tokens (get, use, revoke, throttled) and sessions (with CSRF)."""

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from suggestions.models import SuggestionStatus

from .api_support import api, client_for


@pytest.fixture(autouse=True)
def fresh_throttle():
    """The token endpoint's throttle counts in the cache: start each test from zero."""
    cache.clear()
    yield
    cache.clear()


def token_client(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_a_token_is_issued_for_the_right_password_and_works(walk, cast):
    suggestion = walk("submitted")
    response = APIClient().post(api("token"), {"username": "county", "password": "pass12345"}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(user=cast["county"]).key == token
    client = token_client(token)
    assert client.get(api("suggestions")).json()["count"] == 1
    accepted = client.post(api(f"suggestions/{suggestion.pk}/accept"), {"tier": "fast", "jurisdiction": "county"})
    assert accepted.status_code == 200
    assert accepted.json()["status"] == SuggestionStatus.ACCEPTED
    assert suggestion.events.last().actor == cast["county"]


def test_the_same_token_is_returned_again(cast):
    first = APIClient().post(api("token"), {"username": "deputy", "password": "pass12345"}).json()["token"]
    second = APIClient().post(api("token"), {"username": "deputy", "password": "pass12345"}).json()["token"]
    assert first == second


def test_a_wrong_password_gets_no_token(cast):
    response = APIClient().post(api("token"), {"username": "county", "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert "token" not in response.json()
    assert not Token.objects.exists()


def test_an_inactive_user_gets_no_token(cast):
    cast["county"].is_active = False
    cast["county"].save()
    response = APIClient().post(api("token"), {"username": "county", "password": "pass12345"}, format="json")
    assert response.status_code == 400


def test_anonymous_and_bad_tokens_get_401(db):
    response = APIClient().get(api("suggestions"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert token_client("not-a-token").get(api("suggestions")).status_code == 401


def test_a_token_can_be_revoked(cast):
    token = Token.objects.create(user=cast["deputy"])
    client = token_client(token.key)
    assert client.get(api("suggestions")).status_code == 200
    assert client.delete(api("token")).status_code == 204
    assert not Token.objects.filter(user=cast["deputy"]).exists()
    assert client.get(api("suggestions")).status_code == 401


def test_revoking_needs_a_login(db):
    assert APIClient().delete(api("token")).status_code == 401


def test_token_requests_are_throttled(cast):
    client = APIClient()
    codes = [client.post(api("token"), {"username": "county", "password": "wrong"}).status_code for _ in range(21)]
    assert codes[:20] == [400] * 20
    assert codes[20] == 429


def test_a_session_needs_the_csrf_token_to_post(walk, cast):
    suggestion = walk("submitted")
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(cast["county"])
    assert client.get(api("suggestions")).status_code == 200
    response = client.post(api(f"suggestions/{suggestion.pk}/accept"), {"tier": "fast", "jurisdiction": "county"})
    assert response.status_code == 403
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.SUBMITTED


def test_a_session_works_like_a_token(walk, cast):
    suggestion = walk("submitted")
    response = client_for(cast["county"]).post(
        api(f"suggestions/{suggestion.pk}/accept"), {"tier": "fast", "jurisdiction": "county"}
    )
    assert response.status_code == 200
