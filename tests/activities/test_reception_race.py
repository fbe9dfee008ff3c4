"""Four reminder scans at the same moment: each reception-day reminder is written and sent once,
and no scan fails on the log's unique key (the stations are locked like the suggestion scan's
items)."""

import datetime as dt

import pytest
from django.utils import timezone

from liaison.models import Notification, ReminderLog
from liaison.reminders import run_scan
from stations.models import Station, StationKind
from tests import factories as f
from tests.concurrency import run_together

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_four_scans_at_once_send_each_reception_reminder_once(role_users, network):
    stations = []
    for n in range(8):
        station = f.StationFactory(code=f"R{n}", kind=StationKind.VILLAGE, parent=network["a_area"])
        station.reception_frequency, station.reception_day = "monthly", 15
        station.save()
        deputy = f.DeputyFactory(user=f.UserFactory(username=f"rd{n}"))
        f.AssignmentFactory(station=station, deputy=deputy)
        stations.append(station)
    moment = timezone.make_aware(dt.datetime(2026, 4, 14, 9, 0))

    outcomes = run_together(*[lambda: run_scan(moment)] * 4)

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    reception_logs = ReminderLog.objects.filter(clock="reception_day", item_id__in=[s.pk for s in stations])
    assert reception_logs.count() == 8
    assert Notification.objects.filter(kind="reminder_reception_day", recipient__username__startswith="rd").count() == 8
    assert Station.objects.filter(pk__in=[s.pk for s in stations]).count() == 8
