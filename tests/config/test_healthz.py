"""GET /healthz checks the database and the Celery broker."""

import pytest

from config.celery import app as celery_app


def test_healthz_answers_ok_with_database_and_broker(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_reports_an_unreachable_broker(client, db):
    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz")
    finally:
        celery_app.conf.broker_url = previous
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")
    assert response.json()["database"] == "ok"


@pytest.mark.django_db(databases=[])
def test_healthz_reports_a_broken_database(client, monkeypatch):
    def broken():
        raise RuntimeError("down")

    monkeypatch.setattr("config.views.check_database", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"].startswith("error")
