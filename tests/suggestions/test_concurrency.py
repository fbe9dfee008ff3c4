"""Two users or two workers at once: row locks decide, nothing happens twice.

These tests commit real transactions from two threads. On PostgreSQL the workflow's
``SELECT … FOR UPDATE`` and the scan's ``SKIP LOCKED`` are what is tested; on SQLite the
writers are serialised by the database (``BEGIN IMMEDIATE``) and the same outcome holds.
"""

import datetime as dt

import pytest
from django.utils import timezone

from liaison.models import Notification, ReminderLog
from liaison.reminders import run_scan
from suggestions import workflow
from suggestions.models import AssignmentStatus, SuggestionEvent
from suggestions.workflow import IllegalTransition
from tests.concurrency import run_together

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_two_handlers_accepting_at_once_cannot_both_win(walk, cast):
    second_handler = cast["co_handler"]
    cast["dept"].contact_users.add(second_handler)
    suggestion = walk("assigned")
    lead = suggestion.assignments.get()

    outcomes = run_together(
        lambda: workflow.assignment_accept(assignment=lead, actor=cast["handler"]),
        lambda: workflow.assignment_accept(assignment=lead, actor=second_handler),
    )

    refused = [o for o in outcomes if isinstance(o, IllegalTransition)]
    accepted = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(accepted) == 1 and len(refused) == 1, outcomes
    lead.refresh_from_db()
    assert lead.status == AssignmentStatus.ACCEPTED
    assert SuggestionEvent.objects.filter(suggestion=suggestion, action="start_handling").count() == 1


def test_two_scans_at_once_send_each_reminder_once(walk, cast, on_day):
    on_day(dt.date(2026, 3, 2))
    for n in range(6):
        walk("assigned", title=f"建议{n}")
    moment = timezone.make_aware(dt.datetime(2026, 3, 4, 9, 0))

    outcomes = run_together(lambda: run_scan(moment), lambda: run_scan(moment))

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sum(o.sent for o in outcomes) == 6
    assert ReminderLog.objects.filter(clock="acceptance").count() == 6
    assert Notification.objects.filter(recipient=cast["handler"], kind="reminder_acceptance").count() == 6
