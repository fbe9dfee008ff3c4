"""Celery tasks of the activities app: the nightly sweep of missed duties."""

import logging

from celery import shared_task

from .workflow.duty import duties_mark_missed

logger = logging.getLogger(__name__)


@shared_task(name="activities.tasks.mark_missed_duties", ignore_result=True)
def mark_missed_duties() -> int:
    """Duties of past days with no check-in and no approved leave turn "missed" (beat, nightly)."""
    count = duties_mark_missed()
    logger.info("duties marked missed: %s", count)
    return count
