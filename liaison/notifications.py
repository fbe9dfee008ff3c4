"""Notifications: the in-app inbox, e-mail and SMS behind one function, :func:`notify`.

Inbox rows are written in the caller's transaction; e-mail and SMS copies become
:class:`~liaison.models.Delivery` rows whose sending is queued on commit, so nothing is
announced for a change that rolled back. A failing channel is retried with backoff by the
worker and never blocks the inbox, the other channel or the caller.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Delivery, DeliveryChannel, DeliveryStatus, Notification
from .sms import get_backend

MAX_ATTEMPTS = 5
_inbox_only: ContextVar[bool] = ContextVar("inbox_only", default=False)


@contextlib.contextmanager
def inbox_only():
    """Within the block, messages go to the inbox only: no e-mail or SMS copies (the demo
    county's history, replayed through the workflow, must not send thousands of texts)."""
    token = _inbox_only.set(True)
    try:
        yield
    finally:
        _inbox_only.reset(token)


def phone_of(user) -> str:
    """The mobile number to text a user at: their staff profile's, else their deputy record's."""
    profile = getattr(user, "staff_profile", None)
    if profile is not None and profile.phone:
        return profile.phone
    deputy = getattr(user, "deputy", None)
    return deputy.phone if deputy is not None and deputy.phone.startswith("1") else ""


def notify(*, recipients: Iterable, kind: str, title: str, body: str = "", link: str = "") -> list[Notification]:
    """Put a message in each recipient's inbox and queue its e-mail and SMS copies.

    Recipients may be users or user ids; duplicates and inactive users are dropped.
    """
    return notify_many([Message(recipients, kind, title, body, link)])


@dataclass
class Message:
    recipients: Iterable
    kind: str
    title: str
    body: str = ""
    link: str = ""


def notify_many(messages: list[Message]) -> list[Notification]:
    """Send many messages with a fixed number of queries (one read of the users, one insert of
    the inbox rows, one of the deliveries), whatever the number of messages."""
    wanted = [(message, {getattr(r, "pk", r) for r in message.recipients if r is not None}) for message in messages]
    all_ids = set().union(*(ids for _message, ids in wanted)) if wanted else set()
    if not all_ids:
        return []
    users = {
        user.pk: user
        for user in get_user_model()
        .objects.filter(pk__in=all_ids, is_active=True)
        .select_related("staff_profile", "deputy")
    }
    pending = [
        (users[user_id], Notification(recipient_id=user_id, kind=m.kind, title=m.title[:200], body=m.body, link=m.link))
        for m, ids in wanted
        for user_id in sorted(ids)
        if user_id in users
    ]
    notifications = Notification.objects.bulk_create([notification for _user, notification in pending])
    deliveries = []
    for (user, _unsaved), notification in zip(pending, notifications, strict=True):
        if _inbox_only.get():
            continue
        if user.email and settings.NOTIFY_BY_EMAIL:
            deliveries.append(Delivery(notification=notification, channel=DeliveryChannel.EMAIL, address=user.email))
        phone = phone_of(user)
        if phone and settings.NOTIFY_BY_SMS:
            deliveries.append(Delivery(notification=notification, channel=DeliveryChannel.SMS, address=phone))
    if deliveries:
        created = Delivery.objects.bulk_create(deliveries)
        ids_to_send = [delivery.pk for delivery in created]
        transaction.on_commit(lambda: queue_deliveries(ids_to_send))
    return notifications


DELIVERY_BATCH = 200


def queue_deliveries(delivery_ids: list[int]) -> None:
    """Hand the copies to the worker, a batch of ids per task message."""
    from .tasks import deliver_batch

    for start in range(0, len(delivery_ids), DELIVERY_BATCH):
        deliver_batch.delay(delivery_ids[start : start + DELIVERY_BATCH])


def backoff(attempts: int) -> dt.timedelta:
    """1, 2, 4, 8 … minutes after the n-th failure."""
    return dt.timedelta(minutes=2 ** max(attempts - 1, 0))


def send_delivery(delivery_id: int) -> str:
    """Try one delivery once; record success or failure. Returns the new status.

    A row lock keeps two workers from sending the same copy twice.
    """
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .select_related("notification")
            .filter(pk=delivery_id, status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED])
            .first()
        )
        if delivery is None:
            return "skipped"
        notification = delivery.notification
        delivery.attempts += 1
        try:
            if delivery.channel == DeliveryChannel.EMAIL:
                text = f"{notification.body}\n\n{absolute_link(notification.link)}".strip()
                send_mail(notification.title, text, settings.DEFAULT_FROM_EMAIL, [delivery.address])
            else:
                get_backend().send(delivery.address, f"{notification.title} {notification.body}".strip()[:300])
        except Exception as error:  # any channel failure is recorded and retried, never raised
            delivery.last_error = f"{type(error).__name__}: {error}"[:1000]
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.status = DeliveryStatus.GAVE_UP
                delivery.next_attempt_at = None
            else:
                delivery.status = DeliveryStatus.FAILED
                delivery.next_attempt_at = timezone.now() + backoff(delivery.attempts)
        else:
            delivery.status = DeliveryStatus.SENT
            delivery.sent_at = timezone.now()
            delivery.next_attempt_at = None
        delivery.save(update_fields=["attempts", "status", "last_error", "next_attempt_at", "sent_at"])
        return delivery.status


def absolute_link(link: str) -> str:
    if not link or link.startswith("http"):
        return link
    return f"{settings.PUBLIC_BASE_URL}{link}" if settings.PUBLIC_BASE_URL else link


def due_retries(now=None) -> list[int]:
    """Failed deliveries whose backoff has passed, and pending ones a lost task left behind."""
    now = now or timezone.now()
    stale = now - dt.timedelta(minutes=10)
    failed = Delivery.objects.filter(status=DeliveryStatus.FAILED, next_attempt_at__lte=now)
    lost = Delivery.objects.filter(status=DeliveryStatus.PENDING, notification__created_at__lte=stale)
    return list(failed.values_list("pk", flat=True)) + list(lost.values_list("pk", flat=True))


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
