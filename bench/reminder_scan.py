"""Time one reminder scan with many open assignments and 1,000 reminders due.

    .venv/bin/python bench/reminder_scan.py [--open 10000,100000] [--due 1000]
                                            [--backends sqlite,postgres] [--pg-url URL]

For each backend and each size, a fresh database gets N open assignments (one suggestion
each, fast tier, one county department with two handler accounts), of which ``--due`` are past
their due date with their next reminder time come; the rest are due next month. The rows are
bulk-inserted as a fixture (a benchmark, not product code: building 100,000 suggestions
through the workflow would take an hour). The script then times one scan (every due
reminder recorded, inbox rows and e-mail copies written, delivery tasks queued on commit)
and a second scan (nothing left to send), and counts the queries.

Reference, from the issue: django-helpdesk's ``escalate_tickets`` handled 1,000 due tickets
among 100,000 open in 8.9 s on PostgreSQL (15.5 s on SQLite), six queries per ticket.
Targets: under 1 s on PostgreSQL for 1,000 due; queries not growing with the number due;
time within 2x from 10,000 to 100,000 open.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json

from common import database_version, default_pg_url, fresh_database, run_child, timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--open", default="10000,100000")
    parser.add_argument("--due", type=int, default=1000)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--pg-url", default=default_pg_url())
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(measure(args.worker, int(args.open), args.due, args.pg_url)))
        return
    results = [
        run_child(__file__, backend, ["--open", size, "--due", str(args.due), "--pg-url", args.pg_url])
        for backend in args.backends.split(",")
        for size in args.open.split(",")
    ]
    print_table(args.due, results)


def print_table(due: int, results: list[dict]) -> None:
    print(f"\nReminder scan, {due:,} reminders due (target: < 1 s on PostgreSQL, flat in the open count)\n")
    header = f"{'backend':<12}{'open':>9}  {'step':<24}{'seconds':>9}{'cpu s':>7}{'queries':>9}{'sent':>7}"
    print(header)
    print("-" * len(header))
    for result in results:
        if "error" in result:
            print(f"{result['backend']:<12}skipped: {result['error']}")
            continue
        for row in result["rows"]:
            print(
                f"{result['backend']:<12}{row['open']:>9,}  {row['step']:<24}{row['seconds']:>9.3f}"
                f"{row['cpu']:>7.2f}{row['queries']:>9}{row['sent']:>7}"
            )
        print(f"{'':<12}({result['database']})")
    print()


def measure(backend: str, size: int, due: int, pg_url: str) -> dict:
    """One backend and one size, in this (child) process, on a fresh database."""
    drop = fresh_database(backend, pg_url)
    try:
        rows = measure_size(size, due)
        from django.db import connection

        return {"backend": backend, "database": database_version(connection), "rows": rows}
    finally:
        drop()


def measure_size(size: int, due: int) -> list[dict]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.urls import reverse
    from django.utils import timezone

    from liaison.reminders import run_scan

    call_command("migrate", verbosity=0)
    today = dt.date(2026, 3, 11)  # a Wednesday, a working day
    build_fixture(size, due, today)
    now = timezone.make_aware(dt.datetime.combine(today, dt.time(9, 0)))
    reverse("department:assignment", args=[1])  # a worker has its URL table loaded after its first task
    first, first_cost = timed(lambda: run_scan(now), connection)
    second, second_cost = timed(lambda: run_scan(now), connection)
    return [
        {"open": size, "step": "scan", "sent": first.sent, **first_cost},
        {"open": size, "step": "second scan (idempotent)", "sent": second.sent, **second_cost},
    ]


HANDLERS = 2  # handler accounts of the department: each reminder goes to both (inbox + e-mail)


def build_fixture(size: int, due: int, today: dt.date) -> None:
    """``size`` open lead assignments, ``due`` of them overdue with their reminder time come."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from deputies.models import Deputy
    from liaison.models import Role, StaffProfile
    from stations.models import Station, StationKind
    from suggestions.models import Assignment, Category, Department, Suggestion

    User = get_user_model()
    with transaction.atomic():
        hub = Station.objects.create(code="HUB", name="县总站", kind=StationKind.COUNTY_HUB)
        center = Station.objects.create(code="T1", name="城关镇中心站", kind=StationKind.CENTER, parent=hub)
        deputy = Deputy.objects.create(name="张建国", phone="13800000001")
        staff = User.objects.create(username="county", email="county@example.gov.cn")
        StaffProfile.objects.create(user=staff, role=Role.COUNTY_STAFF)
        department = Department.objects.create(name="县交通运输局")
        handlers = User.objects.bulk_create(
            [User(username=f"handler{n}", email=f"h{n}@example.gov.cn") for n in range(HANDLERS)]
        )
        department.contact_users.set(handlers)
        category = Category.objects.first()
        assigned_at = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=40), dt.time(10)))
        overdue_on, later_on = today - dt.timedelta(days=2), today + dt.timedelta(days=30)
        reminder_now = timezone.make_aware(dt.datetime.combine(today, dt.time(8, 30)))
        reminder_later = timezone.make_aware(dt.datetime.combine(later_on - dt.timedelta(days=5), dt.time(8, 30)))
        chunk = 5000
        for start in range(0, size, chunk):
            count = min(chunk, size - start)
            suggestions = Suggestion.objects.bulk_create(
                [
                    Suggestion(
                        number=f"2026-{start + n:06d}",
                        tracking_code=f"B{start + n:09d}",
                        title=f"建议{start + n}",
                        content="内容",
                        category=category,
                        lead_deputy=deputy,
                        station=center,
                        township=center,
                        tier="fast",
                        status="in_progress",
                        submitted_at=assigned_at,
                        assigned_at=assigned_at,
                    )
                    for n in range(count)
                ]
            )
            Assignment.objects.bulk_create(
                [
                    Assignment(
                        suggestion=suggestion,
                        department=department,
                        role="lead",
                        status="accepted",
                        assigned_at=assigned_at,
                        accepted_at=assigned_at,
                        due_on=overdue_on if start + n < due else later_on,
                        original_due_on=later_on,
                        midpoint_on=today,
                        next_reminder_at=reminder_now if start + n < due else reminder_later,
                    )
                    for n, suggestion in enumerate(suggestions)
                ]
            )


if __name__ == "__main__":
    main()
