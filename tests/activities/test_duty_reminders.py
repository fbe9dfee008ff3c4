"""The day-before reminder goes to the deputies on the roster when there is one."""

import datetime as dt

from django.utils import timezone

from activities.models import DutyAssignment, DutyStatus
from activities.reception import next_reception_days, reception_days, stations_receiving_on
from liaison.models import Notification, ReminderLog
from liaison.reminders import run_scan
from stations.models import ReceptionDate
from tests import factories as f


def at(day, hour=9):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _monthly(station, day=15):
    station.reception_frequency, station.reception_day = "monthly", day
    station.save()


def test_with_a_roster_only_the_deputies_on_duty_are_reminded(role_users, network):
    station = network["a_village"]
    _monthly(station)
    on_duty = f.DeputyFactory(user=f.UserFactory(username="on-duty"))
    on_leave = f.DeputyFactory(user=f.UserFactory(username="on-leave"))
    for deputy in (on_duty, on_leave):
        f.AssignmentFactory(station=station, deputy=deputy)
    DutyAssignment.objects.create(station=station, day=dt.date(2026, 4, 15), deputy=on_duty)
    DutyAssignment.objects.create(
        station=station, day=dt.date(2026, 4, 15), deputy=on_leave, status=DutyStatus.ON_LEAVE
    )
    run_scan(at(dt.date(2026, 4, 14)))
    reminded = set(
        Notification.objects.filter(kind="reminder_reception_day").values_list("recipient__username", flat=True)
    )
    assert reminded == {"on-duty", "liaison"}  # not the stationed deputy off duty, not the one on leave


def test_without_a_roster_the_stationed_deputies_are_reminded(role_users, network):
    station = network["a_village"]
    _monthly(station)
    DutyAssignment.objects.create(station=station, day=dt.date(2026, 5, 15), deputy=network["deputy_a"])  # next month
    run_scan(at(dt.date(2026, 4, 14)))
    assert Notification.objects.filter(recipient=role_users["deputy"], kind="reminder_reception_day").count() == 1


def test_set_dates_yield_reception_days_and_reminders(role_users, network):
    station = network["a_village"]
    station.reception_frequency = "dates"
    station.save()
    ReceptionDate.objects.create(station=station, day=dt.date(2026, 4, 22))
    ReceptionDate.objects.create(station=station, day=dt.date(2026, 5, 6))
    assert reception_days(station, dt.date(2026, 4, 1)) == [dt.date(2026, 4, 22)]
    assert next_reception_days(station, dt.date(2026, 4, 23)) == [dt.date(2026, 5, 6)]
    assert list(stations_receiving_on([dt.date(2026, 4, 22)])) == [station]
    run_scan(at(dt.date(2026, 4, 21)))
    assert ReminderLog.objects.filter(item_id=station.pk, occurrence="2026-04-22").exists()


def test_reception_days_of_a_month_follow_the_schedule(network):
    station = network["a_village"]
    _monthly(station, 31)
    assert reception_days(station, dt.date(2026, 2, 1)) == [dt.date(2026, 2, 28)]
    station.reception_frequency, station.reception_day = "weekly", 3
    assert reception_days(station, dt.date(2026, 4, 1)) == [
        dt.date(2026, 4, 1),
        dt.date(2026, 4, 8),
        dt.date(2026, 4, 15),
        dt.date(2026, 4, 22),
        dt.date(2026, 4, 29),
    ]
    assert next_reception_days(station, dt.date(2026, 4, 30), 2) == [dt.date(2026, 5, 6), dt.date(2026, 5, 13)]
    station.reception_frequency = "none"
    assert reception_days(station, dt.date(2026, 4, 1)) == []
    assert next_reception_days(station, dt.date(2026, 4, 1)) == []
