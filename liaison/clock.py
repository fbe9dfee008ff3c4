"""The time the workflow sees: the real time, or a moment set for a block of code.

``frozen(moment)`` lets the demo-data generator walk suggestions through the real workflow on
dates spread across the year, so that their events, due dates and reminders are those the
workflow would have produced then. Everything that stamps the lifecycle reads :func:`now`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from contextvars import ContextVar

from django.utils import timezone

_frozen: ContextVar[dt.datetime | None] = ContextVar("liaison_clock", default=None)


def now() -> dt.datetime:
    return _frozen.get() or timezone.now()


def today() -> dt.date:
    return timezone.localdate(now())


@contextlib.contextmanager
def frozen(moment: dt.datetime):
    """Within the block, :func:`now` answers ``moment`` (an aware datetime)."""
    token = _frozen.set(moment)
    try:
        yield
    finally:
        _frozen.reset(token)
