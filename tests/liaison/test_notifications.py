"""Notifications and delivery: inbox, e-mail and SMS copies, failures retried, the inbox pages."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from liaison.delivery import due_retries, send_delivery
from liaison.models import Delivery, DeliveryStatus, Notification
from liaison.notifications import notify
from liaison.sms import MemorySmsBackend
from tests import factories as f


class BrokenSms:
    def send(self, phone, text, *, key=""):
        raise ConnectionError("SMS gateway unreachable")


@pytest.fixture
def user(db):
    user = f.UserFactory(username="jtj", email="jtj@example.gov.cn")
    f.StaffProfileFactory(user=user, phone="13700001111")
    return user


def test_inbox_email_and_sms_copies(user, settings, django_capture_on_commit_callbacks):
    settings.SMS_BACKEND = "liaison.sms.MemorySmsBackend"
    MemorySmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[user], kind="test", title="请及时办理", body="建议2026-0001")
    assert Notification.objects.get().recipient == user
    assert [m.subject for m in mail.outbox] == ["请及时办理"]
    assert MemorySmsBackend.outbox == [("13700001111", "请及时办理 建议2026-0001")]
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_a_failing_channel_is_recorded_and_retried_without_blocking_the_others(
    user, settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "tests.liaison.test_notifications.BrokenSms"
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[user], kind="test", title="请及时办理")
    sms = Delivery.objects.get(channel="sms")
    assert Notification.objects.count() == 1
    assert Delivery.objects.get(channel="email").status == DeliveryStatus.SENT
    assert sms.status == DeliveryStatus.GAVE_UP  # eager retries ran to the limit
    assert sms.attempts == 5
    assert "SMS gateway unreachable" in sms.last_error


def test_failed_delivery_waits_for_its_backoff_then_succeeds(user, settings):
    notify(recipients=[user], kind="test", title="请及时办理")  # not committed: nothing sent yet
    sms = Delivery.objects.get(channel="sms")
    settings.SMS_BACKEND = "tests.liaison.test_notifications.BrokenSms"
    assert send_delivery(sms.pk) == DeliveryStatus.FAILED
    sms.refresh_from_db()
    assert sms.pk not in due_retries(timezone.now())
    assert sms.pk in due_retries(timezone.now() + dt.timedelta(minutes=2))
    settings.SMS_BACKEND = "liaison.sms.MemorySmsBackend"
    assert send_delivery(sms.pk) == DeliveryStatus.SENT
    assert send_delivery(sms.pk) == "skipped"  # never twice


def test_inactive_and_duplicate_recipients_are_dropped(user):
    ghost = f.UserFactory(username="ghost", is_active=False)
    notify(recipients=[user, user.pk, ghost, None], kind="test", title="x")
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["jtj"]


def test_inbox_page_badge_and_mark_as_read(client, user):
    for n in range(25):
        notify(recipients=[user], kind="test", title=f"消息{n}", link="/stations/")
    client.force_login(user)
    page = client.get(reverse("inbox"))
    assert page.status_code == 200
    assert page.context["unread_notifications"] == 25
    assert len(page.context["page"].object_list) == 20
    first = Notification.objects.filter(recipient=user).first()
    response = client.post(reverse("inbox_read", args=[first.pk]))
    assert response["Location"] == "/stations/"
    client.post(reverse("inbox_read_all"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_inbox_is_private(client, user):
    other = f.UserFactory(username="other")
    (message,) = notify(recipients=[user], kind="test", title="x")
    client.force_login(other)
    assert client.post(reverse("inbox_read", args=[message.pk])).status_code == 404
    assert client.get(reverse("inbox")).context["page"].paginator.count == 0
    client.logout()
    assert client.get(reverse("inbox")).status_code == 302


def test_inbox_query_budget(client, user, django_assert_max_num_queries):
    for n in range(30):
        notify(recipients=[user], kind="test", title=f"消息{n}")
    client.force_login(user)
    with django_assert_max_num_queries(12):
        client.get(reverse("inbox"))
