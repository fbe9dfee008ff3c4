"""Reminders and escalation: rule arithmetic on the Chinese calendar, office hours,
idempotence, recipients, the trail, and a fixed number of queries per scan."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from liaison.models import Notification, ReminderLog, Role
from liaison.reminders import run_scan
from suggestions import workflow
from suggestions.models import Tier
from suggestions.reminders import remind_manually
from tests import factories as f


def at(day, hour=9, minute=0):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def sent(clock):
    return ReminderLog.objects.filter(clock=clock).count()


def inbox(user, kind):
    return Notification.objects.filter(recipient=user, kind=f"reminder_{kind}").count()


@pytest.fixture
def assigned(walk, on_day):
    """A fast-tier suggestion assigned on Monday 2 March 2026, due Wednesday 1 April."""
    on_day(dt.date(2026, 3, 2))
    suggestion = walk("assigned")
    return suggestion, suggestion.assignments.get()


def test_acceptance_reminder_two_working_days_after_assignment(assigned, cast):
    _suggestion, lead = assigned
    assert timezone.localtime(lead.next_reminder_at) == at(dt.date(2026, 3, 4), 8, 30)
    assert run_scan(at(dt.date(2026, 3, 3), 10)).sent == 0
    assert run_scan(at(dt.date(2026, 3, 4), 8, 0)).sent == 0  # before office hours
    assert run_scan(at(dt.date(2026, 3, 4), 8, 31)).sent == 1
    assert inbox(cast["handler"], "acceptance") == 1


def test_a_second_scan_sends_nothing_again(assigned, cast):
    first = run_scan(at(dt.date(2026, 3, 4)))
    second = run_scan(at(dt.date(2026, 3, 4), 11))
    assert (first.sent, second.sent) == (1, 0)
    assert ReminderLog.objects.count() == 1
    assert inbox(cast["handler"], "acceptance") == 1


def test_weekend_and_night_wait_for_the_next_working_morning(assigned, cast):
    _suggestion, lead = assigned
    workflow.assignment_accept(assignment=lead, actor=cast["handler"])
    # Due-soon for a 1 April deadline falls on Friday 27 March; nothing at night or at the weekend.
    assert run_scan(at(dt.date(2026, 3, 27), 20)).sent == 0
    assert run_scan(at(dt.date(2026, 3, 28), 10)).sent == 0
    assert run_scan(at(dt.date(2026, 3, 30), 8, 45)).sent == 1
    assert sent("due_soon") == 1


def test_due_today_overdue_weekly_and_escalation(assigned, cast, role_users):
    suggestion, lead = assigned
    workflow.assignment_accept(assignment=lead, actor=cast["handler"])
    run_scan(at(dt.date(2026, 4, 1)))
    assert sent("due_today") == 1
    run_scan(at(dt.date(2026, 4, 2)))
    assert sent("overdue") == 1
    # Qingming: 4–6 April off. First escalation 5 working days after the due date: Thu 9 April.
    run_scan(at(dt.date(2026, 4, 8)))
    assert sent("escalation_1") == 0
    result = run_scan(at(dt.date(2026, 4, 9)))
    assert result.escalations == 1
    assert inbox(cast["county"], "escalation_1") == 1
    assert suggestion.events.filter(action="escalate").count() == 1
    # The weekly overdue notice repeats 5 working days after the first one: Friday 10 April.
    run_scan(at(dt.date(2026, 4, 10)))
    assert sent("overdue") == 2
    assert inbox(cast["handler"], "overdue") == 2


def test_second_level_escalation_goes_to_the_leadership(assigned, cast):
    _suggestion, lead = assigned
    workflow.assignment_accept(assignment=lead, actor=cast["handler"])
    leader = f.StaffProfileFactory(user=f.UserFactory(username="director"), role=Role.COUNTY_STAFF, is_leader=True).user
    result = run_scan(at(dt.date(2026, 4, 16)))  # 10 working days after 1 April (Qingming skipped)
    assert sent("escalation_2") == 1
    assert inbox(leader, "escalation_2") == 1
    assert result.escalations >= 1


def test_reply_stops_the_reply_clock_and_starts_the_rating_clock(assigned, cast):
    _suggestion, lead = assigned
    workflow.assignment_accept(assignment=lead, actor=cast["handler"])
    reply = workflow.assignment_reply(
        assignment=lead, actor=cast["handler"], result_class=f.result_class("A"), content="已修"
    )
    lead.refresh_from_db()
    reply.refresh_from_db()
    assert lead.next_reminder_at is None
    assert reply.next_reminder_at is not None
    # 20 working days after 2 March: 30 March; the deputy is reminded 5 working days before.
    assert reply.feedback_due_on == dt.date(2026, 3, 30)
    run_scan(at(dt.date(2026, 3, 23)))
    assert inbox(cast["deputy"], "feedback_due") == 1
    run_scan(at(dt.date(2026, 3, 31)))
    assert inbox(cast["county"], "feedback_lapsed") == 1


def test_immediate_tier_across_national_day(walk, cast, on_day):
    on_day(dt.date(2025, 9, 29))
    suggestion = walk("in_progress", tier=Tier.IMMEDIATE)
    lead = suggestion.assignments.get()
    # Mon 29 Sep + 5 working days: 30 Sep, 9, 10, 11 (调休 Saturday), 13 Oct.
    assert lead.due_on == dt.date(2025, 10, 13)
    # Due-soon one working day before: the make-up Saturday 11 October, during office hours.
    assert run_scan(at(dt.date(2025, 10, 11), 9)).sent == 1
    assert sent("due_soon") == 1


def test_co_handler_clock(walk, cast, on_day):
    on_day(dt.date(2026, 3, 2))
    suggestion = walk("in_progress", co=True)
    co = suggestion.assignments.get(role="co")
    workflow.assignment_accept(assignment=co, actor=cast["co_handler"])
    assert co.due_on == dt.date(2026, 4, 2)
    run_scan(at(dt.date(2026, 3, 30)))
    assert inbox(cast["co_handler"], "co_due_soon") == 1
    run_scan(at(dt.date(2026, 4, 3)))
    assert inbox(cast["co_handler"], "co_overdue") == 1


def test_commitment_clock(walk, cast, on_day):
    on_day(dt.date(2026, 3, 2))
    suggestion = walk("in_progress")
    workflow.assignment_reply(
        assignment=suggestion.assignments.get(),
        actor=cast["handler"],
        result_class=f.result_class("B"),
        content="列入计划",
        commitments=[("五月底前完成", dt.date(2026, 5, 29))],
    )
    run_scan(at(dt.date(2026, 5, 26)))
    assert inbox(cast["handler"], "commitment_due_soon") == 1
    run_scan(at(dt.date(2026, 6, 1)))
    assert inbox(cast["handler"], "commitment_overdue") == 1


def test_supervised_monthly_report_request(walk, cast, on_day):
    on_day(dt.date(2026, 3, 2))
    walk("in_progress", tier=Tier.SUPERVISED)
    run_scan(at(dt.date(2026, 3, 31)))
    assert sent("monthly_report") == 0
    run_scan(at(dt.date(2026, 4, 1)))
    run_scan(at(dt.date(2026, 4, 2)))
    assert sent("monthly_report") == 1
    assert inbox(cast["handler"], "monthly_report") == 1


def test_extension_moves_the_clock(assigned, cast):
    _suggestion, lead = assigned
    workflow.assignment_accept(assignment=lead, actor=cast["handler"])
    request = workflow.extension_request(
        assignment=lead, actor=cast["handler"], requested_due_on=dt.date(2026, 4, 30), reason="资金待批"
    )
    workflow.extension_decide(request=request, actor=cast["county"], approve=True)
    assert run_scan(at(dt.date(2026, 4, 2))).sent == 0
    run_scan(at(dt.date(2026, 5, 6)))  # 1 May holidays; first overdue working day
    assert sent("overdue") == 1


def test_manual_reminder_is_recorded_like_the_others(assigned, cast):
    suggestion, _lead = assigned
    assert remind_manually([suggestion], actor=cast["county"], note="请加快办理") == 1
    assert ReminderLog.objects.get().clock == "manual"
    assert suggestion.events.filter(action="remind").exists()
    assert inbox(cast["handler"], "manual") == 1


def test_email_copy_is_sent_after_commit(assigned, cast, django_capture_on_commit_callbacks):
    cast["handler"].email = "jtj@example.gov.cn"
    cast["handler"].save()
    with django_capture_on_commit_callbacks(execute=True):
        run_scan(at(dt.date(2026, 3, 4)))
    assert [m.to for m in mail.outbox] == [["jtj@example.gov.cn"]]


def test_scan_queries_do_not_grow_with_the_number_due(walk, cast, on_day, django_assert_max_num_queries):
    on_day(dt.date(2026, 3, 2))
    for n in range(3):
        walk("assigned", title=f"建议{n}")
    with django_assert_max_num_queries(30) as few:
        run_scan(at(dt.date(2026, 3, 4)))
    ReminderLog.objects.all().delete()
    for n in range(30):
        walk("assigned", title=f"更多建议{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        result = run_scan(at(dt.date(2026, 3, 4)))
    assert result.sent == 30  # the first three already moved on to their next reminder


def test_run_reminders_command_prints_a_summary(assigned, capsys):
    call_command("run_reminders", "--now", "2026-03-04T09:00:00")
    assert capsys.readouterr().out.strip() == "reminders sent: 1, escalations: 0"
