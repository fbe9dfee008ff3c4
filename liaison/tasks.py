"""Celery tasks of the project package: sending notification copies, the reminder scan."""

import logging

from celery import shared_task

from .models import DeliveryStatus
from .notifications import backoff, due_retries, send_delivery

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def deliver_batch(delivery_ids: list[int]) -> None:
    """Send a batch of e-mail/SMS copies; each failure is recorded and retried on its own."""
    for delivery_id in delivery_ids:
        if send_delivery(delivery_id) == DeliveryStatus.FAILED:
            deliver.apply_async((delivery_id,), countdown=backoff(1).total_seconds())


@shared_task(bind=True, ignore_result=True, max_retries=None)
def deliver(self, delivery_id: int) -> None:
    """Send one copy again; on failure, come back after the backoff (until it gives up)."""
    status = send_delivery(delivery_id)
    if status == DeliveryStatus.FAILED:
        from .models import Delivery

        attempts = Delivery.objects.filter(pk=delivery_id).values_list("attempts", flat=True).first() or 1
        raise self.retry(countdown=backoff(attempts).total_seconds())


@shared_task(ignore_result=True)
def scan_reminders(now: str | None = None) -> dict:
    """The periodic scan (beat, every few minutes): reminders, escalations, retries of lost copies.

    ``now`` (ISO date-time) lets operators and tests run the scan as of another moment.
    """
    from django.utils.dateparse import parse_datetime

    from .reminders import run_scan

    result = run_scan(parse_datetime(now) if now else None)
    retry = due_retries()
    for delivery_id in retry:
        deliver.delay(delivery_id)
    logger.info(
        "reminders sent: %s, escalations: %s, deliveries retried: %s", result.sent, result.escalations, len(retry)
    )
    return {"sent": result.sent, "escalations": result.escalations}
