"""A broker outage after commit loses nothing and breaks no request."""

import pytest
from kombu.exceptions import OperationalError

from liaison import delivery
from liaison.models import Delivery, DeliveryStatus
from liaison.notifications import notify
from tests import factories as f


@pytest.fixture
def broker_down(monkeypatch):
    calls = []

    def refuse(*args, **kwargs):
        calls.append(args)
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(delivery.deliver_batch, "delay", refuse)
    monkeypatch.setattr(delivery.deliver, "delay", refuse)
    return calls


def test_notify_commits_and_leaves_the_copies_pending_when_the_broker_is_down(
    db, django_capture_on_commit_callbacks, broker_down, settings
):
    settings.NOTIFY_BY_EMAIL = True
    user = f.UserFactory(username="jsj", email="jsj@example.gov.cn")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[user], kind="test", title="请及时接单")
    assert broker_down, "the hand-over was tried"
    assert Delivery.objects.get().status == DeliveryStatus.PENDING


def test_the_sweep_survives_the_broker_being_down(broker_down, db):
    user = f.UserFactory(username="jsj2", email="jsj2@example.gov.cn")
    notification = notify(recipients=[user], kind="test", title="逾期提醒")[0]
    Delivery.objects.filter(notification=notification).update(
        status=DeliveryStatus.FAILED, next_attempt_at="2000-01-01T00:00Z"
    )
    assert delivery.retry_due() == 0


def test_each_sms_copy_carries_the_same_deduplication_key_on_every_attempt(db, settings):
    from liaison.sms import MemorySmsBackend

    settings.SMS_BACKEND = "liaison.sms.MemorySmsBackend"
    settings.NOTIFY_BY_SMS = True
    MemorySmsBackend.outbox.clear()
    MemorySmsBackend.keys.clear()
    user = f.UserFactory(username="sms1")
    f.StaffProfileFactory(user=user, phone="13700002222")
    notification = notify(recipients=[user], kind="test", title="请签收")[0]
    copy = Delivery.objects.get(notification=notification, channel="sms")
    Delivery.objects.filter(pk=copy.pk).update(status=DeliveryStatus.FAILED)
    delivery.send_delivery(copy.pk)
    assert MemorySmsBackend.keys[-1] == f"liaison-delivery-{copy.pk}"
