"""Reception-day reminders: the working day before, to the deputies stationed and the liaison officer."""

import datetime as dt

from django.utils import timezone

from activities.reception import reception_days_announced
from liaison.models import Notification, ReminderLog
from liaison.reminders import registered_scans, run_scan
from liaison.workdays import WorkCalendar


def at(day, hour=9):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def test_the_apps_register_their_scans_suggestions_first():
    assert registered_scans() == ["suggestions", "reception_days"]


def test_friday_announces_the_weekend_and_monday():
    calendar = WorkCalendar(overrides={})
    assert reception_days_announced(dt.date(2026, 3, 13), 1, calendar) == [
        dt.date(2026, 3, 14),
        dt.date(2026, 3, 15),
        dt.date(2026, 3, 16),
    ]
    assert reception_days_announced(dt.date(2026, 3, 14), 1, calendar) == []  # Saturday: not a working day


def test_monthly_reception_reminds_stationed_deputies_and_the_liaison_officer(role_users, network):
    station = network["a_village"]
    station.reception_frequency, station.reception_day = "monthly", 15
    station.save()
    other = network["b_village"]
    other.reception_frequency, other.reception_day = "weekly", 3
    other.save()
    run_scan(at(dt.date(2026, 4, 14)))  # Tuesday before Wednesday 15 April
    assert Notification.objects.filter(recipient=role_users["deputy"], kind="reminder_reception_day").count() == 1
    assert Notification.objects.filter(recipient=role_users["liaison"], kind="reminder_reception_day").count() == 1
    assert ReminderLog.objects.filter(item_id=other.pk).exists()  # weekly on Wednesdays too
    run_scan(at(dt.date(2026, 4, 14), 15))
    assert ReminderLog.objects.filter(clock="reception_day").count() == 2


def test_month_end_receptions_fall_on_the_last_day(role_users, network):
    station = network["a_village"]
    station.reception_frequency, station.reception_day = "monthly", 31
    station.save()
    run_scan(at(dt.date(2026, 4, 29)))  # Wednesday before Thursday 30 April, the month's last day
    assert ReminderLog.objects.filter(item_id=station.pk, occurrence="2026-04-30").exists()
