"""Notifications: the in-app inbox, with its e-mail and SMS copies, behind one function,
:func:`notify` (and :func:`notify_many` for a batch of :class:`Message`).

Inbox rows are written in the caller's transaction; their e-mail and SMS copies are handed
to :mod:`liaison.delivery`, which writes them as :class:`~liaison.models.Delivery` rows and
queues their sending on commit, so nothing is announced for a change that rolled back. A
failing channel is retried with backoff by the worker and never blocks the inbox, the other
channel or the caller. :func:`inbox_only` turns the copies off for a block of code;
:func:`unread_count` is the inbox badge.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from . import delivery
from .models import Notification

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


def notify(*, recipients: Iterable, kind: str, title: str, body: str = "", link: str = "") -> list[Notification]:
    """Put a message in each recipient's inbox and queue its e-mail and SMS copies.

    Recipients may be users or user ids; duplicates and inactive users are dropped.
    """
    return notify_many([Message(recipients, kind, title, body, link)])


@dataclass
class Message:
    """One inbox message for several recipients (users or user ids)."""

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
    if not _inbox_only.get():
        delivery.save_and_queue(
            [
                copy
                for (user, _unsaved), notification in zip(pending, notifications, strict=True)
                for copy in delivery.copies_for(user, notification)
            ]
        )
    return notifications


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
