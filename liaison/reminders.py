"""Reminder infrastructure: office hours, the rules table, and sending a batch of reminders
exactly once.

What is due when is decided by the apps (``suggestions.reminders``, ``activities.reception``);
they hand :class:`Reminder` objects to :func:`send_reminders`, which drops those already sent
(per item, clock and occurrence), writes the log rows, the inbox messages and the e-mail/SMS
copies in a fixed number of queries, and returns what it sent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import ReminderLog, ReminderRule
from .notifications import Message, notify_many
from .workdays import WorkCalendar


@dataclass
class Reminder:
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
    sent: int = 0
    escalations: int = 0
    items: int = 0

    def add(self, other: ScanResult) -> None:
        self.sent += other.sent
        self.escalations += other.escalations
        self.items += other.items


def _time(text: str) -> dt.time:
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))


def office_start(day: dt.date) -> dt.datetime:
    """The moment reminders of ``day`` go out: the start of office hours, Asia/Shanghai."""
    return timezone.make_aware(dt.datetime.combine(day, _time(settings.OFFICE_HOURS_START)))


def in_office_hours(moment: dt.datetime, calendar: WorkCalendar) -> bool:
    local = timezone.localtime(moment)
    start, end = _time(settings.OFFICE_HOURS_START), _time(settings.OFFICE_HOURS_END)
    return calendar.is_workday(local.date()) and start <= local.time() < end


class Rules:
    """The active reminder rules, read once per scan; a tier's own rule wins over the all-tier one."""

    def __init__(self, rows=None):
        rows = ReminderRule.objects.filter(is_active=True) if rows is None else rows
        self._rules = {(rule.clock, rule.tier): rule for rule in rows}

    def get(self, clock: str, tier: str = "") -> ReminderRule | None:
        return self._rules.get((clock, tier)) or self._rules.get((clock, ""))


def latest_occurrence(first_day: dt.date, repeat_every: int, today: dt.date, calendar: WorkCalendar):
    """The last occurrence on or before ``today`` of a reminder first due on ``first_day`` and
    repeated every ``repeat_every`` working days: ``(number, day)``, or ``None`` if not yet due."""
    if first_day > today:
        return None
    if not repeat_every:
        return 0, first_day
    number, day = 0, first_day
    while True:
        following = calendar.add_working_days(day, repeat_every)
        if following > today:
            return number, day
        number, day = number + 1, following


def next_occurrence(first_day: dt.date, repeat_every: int, after: dt.date, calendar: WorkCalendar) -> dt.date | None:
    """The first occurrence strictly after ``after``."""
    if first_day > after:
        return first_day
    if not repeat_every:
        return None
    day = first_day
    while day <= after:
        day = calendar.add_working_days(day, repeat_every)
    return day


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


def run_scan(now: dt.datetime | None = None) -> ScanResult:
    """One scan of every kind of reminder (the beat task and ``run_reminders`` call this)."""
    from activities.reception import scan_reception_days
    from suggestions.reminders import scan_suggestion_reminders

    now = now or timezone.now()
    calendar = WorkCalendar()
    result = ScanResult()
    if not in_office_hours(now, calendar):
        return result
    rules = Rules()
    result.add(scan_suggestion_reminders(now, rules=rules, calendar=calendar))
    result.add(scan_reception_days(now, rules=rules, calendar=calendar))
    return result
