"""Delivery: the e-mail and SMS copies of inbox messages, sent by the worker and retried.

A :class:`~liaison.models.Delivery` row is one copy of one :class:`~liaison.models.Notification`
for one outside channel and address. This module decides which copies a user gets
(:func:`copies_for`), writes them and queues their sending after commit
(:func:`save_and_queue`), sends one copy once under a row lock (:func:`send_delivery`), and
retries a failed copy with backoff (:func:`backoff`, :func:`due_retries`) until it gives up.
A failing channel is recorded on its row; it never raises into the caller, the inbox or the
other channel.

The Celery tasks that send are here too. Their names are the ones they had when they lived
in ``liaison.tasks`` (``name=`` below), so messages already queued are still consumed;
``liaison.tasks`` imports this module, which is how the worker's autodiscovery finds them.
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Delivery, DeliveryChannel, DeliveryStatus, Notification
from .sms import get_backend

logger = logging.getLogger("liaison.delivery")

MAX_ATTEMPTS = 5
DELIVERY_BATCH = 200  # copies per task message


def phone_of(user) -> str:
    """The mobile number to text a user at: their staff profile's, else their deputy record's."""
    profile = getattr(user, "staff_profile", None)
    if profile is not None and profile.phone:
        return profile.phone
    deputy = getattr(user, "deputy", None)
    return deputy.phone if deputy is not None and deputy.phone.startswith("1") else ""


def copies_for(user, notification: Notification) -> list[Delivery]:
    """The unsaved copies of ``notification`` for ``user``: e-mail and SMS, as the settings
    (``NOTIFY_BY_EMAIL``, ``NOTIFY_BY_SMS``) and the user's addresses allow."""
    copies = []
    if user.email and settings.NOTIFY_BY_EMAIL:
        copies.append(Delivery(notification=notification, channel=DeliveryChannel.EMAIL, address=user.email))
    phone = phone_of(user)
    if phone and settings.NOTIFY_BY_SMS:
        copies.append(Delivery(notification=notification, channel=DeliveryChannel.SMS, address=phone))
    return copies


def save_and_queue(deliveries: list[Delivery]) -> None:
    """Insert the copies (one query) and hand them to the worker once the caller's transaction
    commits, so nothing is sent for a change that rolled back."""
    if not deliveries:
        return
    created = Delivery.objects.bulk_create(deliveries)
    ids_to_send = [delivery.pk for delivery in created]
    after_commit(lambda: queue_deliveries(ids_to_send))


def after_commit(function) -> None:
    """Run ``function`` once the current transaction commits, never failing the request.

    Work queued after commit (handing messages to the broker) must not turn a change that is
    already committed into an error page: a failure is logged, and what was not queued stays
    ``pending`` for the sweep (:func:`retry_due`, run by every reminder scan) to send later.
    """

    def guarded():
        try:
            function()
        except Exception:  # the change is committed; the sweep sends what was not queued
            logger.exception("queueing after commit failed; the pending-delivery sweep will retry")

    transaction.on_commit(guarded)


def queue_deliveries(delivery_ids: list[int]) -> None:
    """Hand the copies to the worker, a batch of ids per task message."""
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
                text = f"{notification.title} {notification.body}".strip()[:300]
                get_backend().send(delivery.address, text, key=delivery_key(delivery))
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


def delivery_key(delivery: Delivery) -> str:
    """The idempotency key of one copy, the same on every attempt: a provider that is given it
    (aliyun's ``OutId``, Tencent's ``SessionContext``…) sends a copy once even when a worker
    was killed during the call and the copy is tried again."""
    return f"liaison-delivery-{delivery.pk}"


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


def retry_due(now=None) -> int:
    """Queue a retry of every copy :func:`due_retries` finds (the pending-delivery sweep, run
    by the periodic scan). Returns how many were queued."""
    retry = due_retries(now)
    for position, delivery_id in enumerate(retry):
        try:
            deliver.delay(delivery_id)
        except Exception:  # broker down: the rows stay due, the next scan tries again
            logger.exception("the broker refused the retries; %s copies wait for the next scan", len(retry) - position)
            return position
    return len(retry)


# Celery tasks: names kept from when they lived in liaison.tasks ----------------------------


@shared_task(name="liaison.tasks.deliver_batch", ignore_result=True)
def deliver_batch(delivery_ids: list[int]) -> None:
    """Send a batch of e-mail/SMS copies; each failure is recorded and retried on its own."""
    for delivery_id in delivery_ids:
        if send_delivery(delivery_id) == DeliveryStatus.FAILED:
            deliver.apply_async((delivery_id,), countdown=backoff(1).total_seconds())


@shared_task(name="liaison.tasks.deliver", bind=True, ignore_result=True, max_retries=None)
def deliver(self, delivery_id: int) -> None:
    """Send one copy again; on failure, come back after the backoff (until it gives up)."""
    status = send_delivery(delivery_id)
    if status == DeliveryStatus.FAILED:
        attempts = Delivery.objects.filter(pk=delivery_id).values_list("attempts", flat=True).first() or 1
        raise self.retry(countdown=backoff(attempts).total_seconds())
