"""Sign-in brute force is stopped, per account and address, on every sign-in form and the API
token endpoint; the client's address is read only from the configured trusted proxy header."""

import pytest
from django.test import RequestFactory, override_settings

from liaison.clientip import address_from_header, client_ip
from tests import factories as f

WRONG = "not-the-password"


@pytest.fixture
def account(db):
    return f.UserFactory(username="zhangsan", is_staff=True)  # password "pass12345"


def fail(client, url, times, **extra):
    for _ in range(times):
        response = client.post(url, {"username": "zhangsan", "password": WRONG}, **extra)
        assert response.status_code in (200, 429)
    return response


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_five_wrong_passwords_lock_the_account_from_that_address(client, account, url):
    fail(client, url, 5)
    response = client.post(url, {"username": "zhangsan", "password": "pass12345"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录已锁定" in page and "15 分钟后再试" in page
    assert "_auth_user_id" not in client.session


def test_the_right_password_before_the_limit_still_works_and_resets_the_count(client, account):
    fail(client, "/accounts/login/", 4)
    response = client.post("/accounts/login/", {"username": "zhangsan", "password": "pass12345"})
    assert response.status_code == 302
    client.logout()
    fail(client, "/accounts/login/", 4)
    assert client.post("/accounts/login/", {"username": "zhangsan", "password": "pass12345"}).status_code == 302


def test_another_address_is_not_locked_out(client, account):
    fail(client, "/accounts/login/", 5)
    response = client.post(
        "/accounts/login/", {"username": "zhangsan", "password": "pass12345"}, REMOTE_ADDR="10.20.30.40"
    )
    assert response.status_code == 302


def test_a_forged_forwarded_for_header_does_not_bypass_the_lockout(client, account):
    for n in range(5):
        client.post(
            "/accounts/login/", {"username": "zhangsan", "password": WRONG}, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}"
        )
    response = client.post(
        "/accounts/login/", {"username": "zhangsan", "password": "pass12345"}, HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert response.status_code == 429


def test_the_api_token_endpoint_is_locked_too_whatever_forwarded_for_says(client, account):
    for n in range(5):
        client.post("/api/token/", {"username": "zhangsan", "password": WRONG}, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    response = client.post(
        "/api/token/", {"username": "zhangsan", "password": "pass12345"}, HTTP_X_FORWARDED_FOR="198.51.100.9"
    )
    assert response.status_code in (400, 429)
    assert "token" not in response.json()


def test_the_token_throttle_keys_on_the_socket_address_not_forwarded_for(client, account, settings):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import ScopedRateThrottle

    request = RequestFactory().post("/api/token/", HTTP_X_FORWARDED_FOR="203.0.113.1", REMOTE_ADDR="192.0.2.10")
    assert api_settings.NUM_PROXIES == 0
    assert ScopedRateThrottle().get_ident(request) == "192.0.2.10"


def test_the_client_address_comes_from_the_trusted_header_only():
    factory = RequestFactory()
    forged = factory.get("/", HTTP_X_FORWARDED_FOR="203.0.113.1", REMOTE_ADDR="10.0.0.2")
    assert client_ip(forged) == "10.0.0.2"
    with override_settings(TRUSTED_PROXY_HEADER="X-Forwarded-For", TRUSTED_PROXY_COUNT=1):
        # the proxy appends what it saw; what the client wrote before it is ignored
        proxied = factory.get("/", HTTP_X_FORWARDED_FOR="203.0.113.1, 198.51.100.23", REMOTE_ADDR="10.0.0.2")
        assert client_ip(proxied) == "198.51.100.23"
        assert client_ip(factory.get("/", HTTP_X_FORWARDED_FOR="garbage", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"
    assert address_from_header("1.1.1.1, 2.2.2.2, 3.3.3.3", 2) == "2.2.2.2"


@override_settings(TRUSTED_PROXY_HEADER="X-Real-IP")
def test_behind_the_proxy_the_lockout_follows_the_real_client(client, account):
    fail(client, "/accounts/login/", 5, HTTP_X_REAL_IP="198.51.100.50")
    locked = client.post(
        "/accounts/login/", {"username": "zhangsan", "password": "pass12345"}, HTTP_X_REAL_IP="198.51.100.50"
    )
    assert locked.status_code == 429
    other = client.post(
        "/accounts/login/", {"username": "zhangsan", "password": "pass12345"}, HTTP_X_REAL_IP="198.51.100.51"
    )
    assert other.status_code == 302


@pytest.fixture
def eight_hours(settings):
    settings.SESSION_COOKIE_AGE = 8 * 3600  # the production default (test settings stretch it)


def test_a_session_ends_after_eight_idle_hours(client, account, eight_hours):
    response = client.post("/accounts/login/", {"username": "zhangsan", "password": "pass12345"})
    assert response.cookies["sessionid"]["max-age"] == 8 * 3600


def test_activity_renews_the_session_at_most_every_few_minutes(client, account, eight_hours):
    from liaison.sessions import LAST_SEEN, RENEW_AFTER

    client.post("/accounts/login/", {"username": "zhangsan", "password": "pass12345"})
    assert "sessionid" not in client.get("/").cookies  # just renewed: no write
    session = client.session
    session[LAST_SEEN] -= RENEW_AFTER + 1
    session.save()
    renewed = client.get("/")
    assert renewed.cookies["sessionid"]["max-age"] == 8 * 3600
    assert client.session[LAST_SEEN] > session[LAST_SEEN]
