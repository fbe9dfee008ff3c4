"""The reminder registry: the scanners the apps register, one scan that runs them all in
office hours, the rules table, and sending a batch of reminders exactly once.

The ground knows no app. Each app registers its scanner from its ``AppConfig.ready()`` with
:func:`register_scan` (suggestions: ``suggestions.reminders.scan``; reception days:
``activities.reception``); :func:`run_scan` (the beat task and ``run_reminders``) checks
office hours and calls every registered scanner, in the order registered, with the moment,
the active :class:`Rules` and one :class:`~liaison.workdays.WorkCalendar`.

What is due when is decided by the apps, with the maths of :mod:`liaison.schedule`; they
hand :class:`Reminder` objects to :func:`send_reminders`, which drops those already sent
(per item, clock and occurrence), writes the log rows, the inbox messages and the e-mail/SMS
copies in a fixed number of queries, and returns what it sent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from .models import ReminderLog, ReminderRule
from .notifications import Message, notify_many
from .schedule import in_office_hours
from .workdays import WorkCalendar


@dataclass
class Reminder:
    """One reminder of one item: its key (item, clock, occurrence), recipients and text."""

    item_type: str
    item_id: int
    clock: str
    occurrence: str
    recipients: set[int]
    title: str
    body: str = ""
    link: str = ""
    escalation: bool = False
    payload: dict = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, int, str, str]:
        return (self.item_type, self.item_id, self.clock, self.occurrence)


@dataclass
class ScanResult:
    """What a scan sent: reminders, of which escalations, and the items it read."""

    sent: int = 0
    escalations: int = 0
    items: int = 0

    def add(self, other: ScanResult) -> None:
        self.sent += other.sent
        self.escalations += other.escalations
        self.items += other.items


class Rules:
    """The active reminder rules, read once per scan; a tier's own rule wins over the all-tier one."""

    def __init__(self, rows=None):
        rows = ReminderRule.objects.filter(is_active=True) if rows is None else rows
        self._rules = {(rule.clock, rule.tier): rule for rule in rows}

    def get(self, clock: str, tier: str = "") -> ReminderRule | None:
        return self._rules.get((clock, tier)) or self._rules.get((clock, ""))


def send_reminders(reminders: list[Reminder], *, actor=None) -> tuple[list[Reminder], list[Reminder]]:
    """Send each reminder unless its (item, clock, occurrence) was sent before.

    Returns ``(sent, skipped)``. Callers hold row locks on the items, so two scans never
    send the same reminder; the unique constraint on the log is the last guard.
    """
    if not reminders:
        return [], []
    keys = {reminder.key for reminder in reminders}
    condition = Q(pk__in=[])
    by_type: dict[str, set[int]] = {}
    for item_type, item_id, _clock, _occurrence in keys:
        by_type.setdefault(item_type, set()).add(item_id)
    for item_type, ids in by_type.items():
        condition |= Q(item_type=item_type, item_id__in=ids)
    already = set(ReminderLog.objects.filter(condition).values_list("item_type", "item_id", "clock", "occurrence"))
    fresh, skipped, seen = [], [], set()
    for reminder in reminders:
        if reminder.key in already or reminder.key in seen:
            skipped.append(reminder)
        else:
            seen.add(reminder.key)
            fresh.append(reminder)
    ReminderLog.objects.bulk_create(
        [
            ReminderLog(
                item_type=r.item_type,
                item_id=r.item_id,
                clock=r.clock,
                occurrence=r.occurrence,
                recipients=len(r.recipients),
                sent_by=actor,
            )
            for r in fresh
        ]
    )
    notify_many([Message(r.recipients, f"reminder_{r.clock}", r.title, r.body, r.link) for r in fresh])
    return fresh, skipped


# The registry ------------------------------------------------------------------------------


class Scanner(Protocol):
    """An app's scan: send what is due at ``now`` and say how much was sent."""

    def __call__(self, now: dt.datetime, *, rules: Rules, calendar: WorkCalendar) -> ScanResult: ...


_scanners: dict[str, Scanner] = {}


def lock_for_scan(queryset, batch: int | None = None):
    """The rows of ``queryset`` this scan may remind, locked until its transaction ends; rows
    another worker's scan holds are skipped (PostgreSQL's SKIP LOCKED; SQLite serialises
    whole write transactions instead). Every scanner locks its items with this, so two scans
    running at once never send the same reminder nor collide on the log's unique key."""
    if connection.features.has_select_for_update_skip_locked:
        queryset = queryset.select_for_update(skip_locked=True, of=("self",))
    return queryset if batch is None else queryset[:batch]


def register_scan(name: str, function: Scanner) -> None:
    """Add an app's scanner to every scan (call from ``AppConfig.ready()``). Scanners run in
    the order registered; registering a name again replaces its function in place."""
    _scanners[name] = function


def registered_scans() -> list[str]:
    """The names of the registered scanners, in the order they run."""
    return list(_scanners)


def run_scan(now: dt.datetime | None = None) -> ScanResult:
    """One scan of every kind of reminder (the beat task and ``run_reminders`` call this):
    nothing outside office hours on working days, else every registered scanner in turn."""
    now = now or timezone.now()
    calendar = WorkCalendar()
    result = ScanResult()
    if not in_office_hours(now, calendar):
        return result
    rules = Rules()
    for scanner in list(_scanners.values()):
        result.add(scanner(now, rules=rules, calendar=calendar))
    return result
