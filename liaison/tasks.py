"""Celery tasks of the ground: the periodic reminder scan (``liaison.tasks.scan_reminders``).

The tasks that send e-mail and SMS copies (``liaison.tasks.deliver_batch`` and
``liaison.tasks.deliver``) live in :mod:`liaison.delivery` under those same names; importing
it here registers them when the worker's autodiscovery imports this module.
"""

import logging

from celery import shared_task
from django.utils.dateparse import parse_datetime

from . import delivery
from .reminders import run_scan

logger = logging.getLogger(__name__)


@shared_task(name="liaison.tasks.scan_reminders", ignore_result=True)
def scan_reminders(now: str | None = None) -> dict:
    """The periodic scan (beat, every few minutes): reminders, escalations, retries of lost copies.

    ``now`` (ISO date-time) lets operators and tests run the scan as of another moment.
    """
    result = run_scan(parse_datetime(now) if now else None)
    retried = delivery.retry_due()
    logger.info("reminders sent: %s, escalations: %s, deliveries retried: %s", result.sent, result.escalations, retried)
    return {"sent": result.sent, "escalations": result.escalations}
