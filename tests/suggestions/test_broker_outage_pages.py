"""With the broker unreachable, the pages that change state still answer success: the change
is committed and its e-mail/SMS copies wait for the sweep (issue: accept, submit and assign
answered 500)."""

import pytest
from django.urls import reverse
from kombu.exceptions import OperationalError

from liaison import delivery
from liaison.models import Delivery, DeliveryStatus
from suggestions.models import AssignmentStatus, SuggestionStatus


@pytest.fixture
def broker_down(monkeypatch, settings):
    settings.NOTIFY_BY_EMAIL = True

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(delivery.deliver_batch, "delay", refuse)


def test_a_department_accept_commits_and_redirects(client, walk, cast, broker_down, django_capture_on_commit_callbacks):
    cast["county"].email = "county@example.gov.cn"
    cast["county"].save()
    suggestion = walk("assigned")
    lead = suggestion.assignments.get(role="lead")
    client.force_login(cast["handler"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("department:action", args=[lead.pk, "accept"]))
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.status == AssignmentStatus.ACCEPTED
    assert Delivery.objects.filter(status=DeliveryStatus.PENDING).exists()


def test_a_deputy_submit_commits_and_redirects(client, walk, cast, broker_down, django_capture_on_commit_callbacks):
    cast["county"].email = "county@example.gov.cn"
    cast["county"].save()
    draft = walk("draft")
    client.force_login(cast["deputy"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("deputy:suggestion_submit", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == SuggestionStatus.SUBMITTED
