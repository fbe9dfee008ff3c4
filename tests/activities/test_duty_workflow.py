"""The duty roster's workflow: build by rotation or by hand, check in, leave, missed duties."""

import datetime as dt
from collections import Counter

import pytest
from django.utils import timezone

from activities.models import Activity, ActivityEvent, Attendance, DutyAssignment, DutyEvent, DutyStatus, LeaveStatus
from activities.workflow.duty import (
    duties_mark_missed,
    duty_assign,
    duty_check_in,
    duty_remove,
    leave_decide,
    leave_request,
    plan_roster,
    roster_generate,
)
from activities.workflow.errors import IllegalTransition, Invalid, NotAllowed
from deputies.models import AssignmentRole
from liaison import clock
from liaison.models import Notification
from tests import factories as f


def moment(day, hour=9):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def station(network):
    """东门村站: monthly reception on the 15th, two on duty, five stationed deputies."""
    station = network["a_village"]
    station.reception_frequency, station.reception_day = "monthly", 15
    station.reception_start = dt.time(9)
    station.save()
    for _n in range(4):
        f.AssignmentFactory(station=station, role=AssignmentRole.MEMBER)
    return station


def test_the_rotation_fills_each_reception_day_fairly(role_users, station):
    with clock.frozen(moment(dt.date(2026, 3, 20))):
        counter = Counter()
        for month in (4, 5, 6, 7, 8, 9):
            plan = roster_generate(station=station, month=dt.date(2026, month, 1), actor=role_users["liaison"])
            assert plan.count == 2
        for deputy_id in DutyAssignment.objects.filter(station=station).values_list("deputy_id", flat=True):
            counter[deputy_id] += 1
    assert sum(counter.values()) == 12
    assert len(counter) == 5
    assert max(counter.values()) - min(counter.values()) <= 1
    assert DutyEvent.objects.filter(action="assign").count() == 12
    assert Notification.objects.filter(kind="duty_assigned").exists()


def test_generating_again_keeps_the_roster_and_adds_nothing(role_users, station):
    with clock.frozen(moment(dt.date(2026, 3, 20))):
        roster_generate(station=station, month=dt.date(2026, 4, 1), actor=role_users["liaison"])
        again = roster_generate(station=station, month=dt.date(2026, 4, 1), actor=role_users["liaison"])
    assert again.count == 0
    assert DutyAssignment.objects.count() == 2


def test_a_deputy_on_duty_elsewhere_that_day_is_skipped(role_users, station, network):
    other = network["a_area"]
    busy_deputy = network["deputy_a"]
    f.AssignmentFactory(station=other, deputy=busy_deputy)
    with clock.frozen(moment(dt.date(2026, 4, 1))):
        duty_assign(station=other, day=dt.date(2026, 4, 15), deputy=busy_deputy, actor=role_users["township"])
        plan = plan_roster(station, dt.date(2026, 4, 1), per_day=5)
    assert busy_deputy.pk not in plan.added[dt.date(2026, 4, 15)]
    assert plan.short == {dt.date(2026, 4, 15): 1}


def test_only_staff_of_the_station_build_its_roster(role_users, station, network):
    day = dt.date(2026, 4, 15)
    with clock.frozen(moment(dt.date(2026, 4, 1))):
        for name in ("deputy", "handler"):
            with pytest.raises(NotAllowed):
                roster_generate(station=station, month=day, actor=role_users[name])
        other_township = f.StaffProfileFactory(
            user=f.UserFactory(username="b-staff", is_staff=True), role="township_staff", township=network["b"]
        ).user
        with pytest.raises(NotAllowed):
            duty_assign(station=station, day=day, deputy=network["deputy_a"], actor=other_township)
        duty_assign(station=station, day=day, deputy=network["deputy_a"], actor=role_users["county"])
        with pytest.raises(Invalid):
            duty_assign(station=station, day=day, deputy=network["deputy_a"], actor=role_users["county"])


def test_no_duty_on_a_past_day(role_users, station, network):
    with clock.frozen(moment(dt.date(2026, 4, 16))), pytest.raises(Invalid):
        duty_assign(station=station, day=dt.date(2026, 4, 15), deputy=network["deputy_a"], actor=role_users["county"])


def _duty(role_users, station, network, day=dt.date(2026, 4, 15), deputy=None):
    with clock.frozen(moment(day - dt.timedelta(days=10))):
        return duty_assign(station=station, day=day, deputy=deputy or network["deputy_a"], actor=role_users["liaison"])


def test_check_in_creates_the_reception_day_activity_and_a_second_deputy_joins_it(role_users, station, network):
    duty = _duty(role_users, station, network)
    fellow = f.DeputyFactory(user=f.UserFactory(username="fellow"))
    f.AssignmentFactory(station=station, deputy=fellow)
    fellow_duty = _duty(role_users, station, network, deputy=fellow)
    with clock.frozen(moment(dt.date(2026, 4, 15), 9)):
        duty_check_in(station=station, actor=role_users["deputy"])
        duty_check_in(station=station, actor=fellow.user)
    duty.refresh_from_db()
    fellow_duty.refresh_from_db()
    assert duty.status == fellow_duty.status == DutyStatus.CHECKED_IN
    activity = Activity.objects.get()
    assert duty.activity == fellow_duty.activity == activity
    assert activity.activity_type.code == "reception_day"
    assert activity.status == "submitted"
    assert timezone.localtime(activity.started_at).date() == dt.date(2026, 4, 15)
    assert set(Attendance.objects.filter(activity=activity).values_list("deputy_id", flat=True)) == {
        network["deputy_a"].pk,
        fellow.pk,
    }
    assert Attendance.objects.filter(checked_in_at__isnull=True).count() == 0
    assert list(ActivityEvent.objects.values_list("action", flat=True)) == ["create", "check_in", "check_in"]
    assert DutyEvent.objects.filter(action="check_in").count() == 2


def test_check_in_joins_an_activity_a_deputy_logged_that_day(role_users, station, network):
    from activities.models import ActivityType

    _duty(role_users, station, network)
    logged = Activity.objects.create(
        station=station,
        activity_type=ActivityType.objects.get(code="reception_day"),
        started_at=moment(dt.date(2026, 4, 15), 8),
    )
    with clock.frozen(moment(dt.date(2026, 4, 15), 10)):
        duty_check_in(station=station, actor=role_users["deputy"])
    assert Activity.objects.get() == logged
    assert logged.attendances.get().deputy == network["deputy_a"]


def test_check_in_refused_when_not_on_duty(role_users, station):
    with clock.frozen(moment(dt.date(2026, 4, 15))), pytest.raises(NotAllowed, match=r"不在|not on duty"):
        duty_check_in(station=station, actor=role_users["deputy"])
    assert not Activity.objects.exists()


def test_check_in_refused_on_the_wrong_day(role_users, station, network):
    _duty(role_users, station, network)
    with clock.frozen(moment(dt.date(2026, 4, 14))), pytest.raises(Invalid) as refusal:
        duty_check_in(station=station, actor=role_users["deputy"])
    assert "2026" in str(refusal.value)
    assert not Activity.objects.exists()


def test_check_in_refused_twice(role_users, station, network):
    _duty(role_users, station, network)
    with clock.frozen(moment(dt.date(2026, 4, 15))):
        duty_check_in(station=station, actor=role_users["deputy"])
        with pytest.raises(IllegalTransition):
            duty_check_in(station=station, actor=role_users["deputy"])
    assert Attendance.objects.count() == 1
    assert DutyEvent.objects.filter(action="check_in").count() == 1


def test_check_in_refused_for_staff(role_users, station):
    with clock.frozen(moment(dt.date(2026, 4, 15))), pytest.raises(NotAllowed):
        duty_check_in(station=station, actor=role_users["liaison"])


def test_leave_approved_marks_the_duty_on_leave_and_tells_the_deputy(role_users, station, network):
    duty = _duty(role_users, station, network)
    with clock.frozen(moment(dt.date(2026, 4, 10))):
        leave = leave_request(duty=duty, actor=role_users["deputy"], reason="外出开会")
        assert Notification.objects.filter(recipient=role_users["liaison"], kind="leave_requested").exists()
        assert Notification.objects.filter(recipient=role_users["township"], kind="leave_requested").exists()
        with pytest.raises(Invalid):
            leave_request(duty=duty, actor=role_users["deputy"], reason="再次")
        with pytest.raises(NotAllowed):
            leave_decide(leave=leave, actor=role_users["deputy"], approve=True)
        leave_decide(leave=leave, actor=role_users["township"], approve=True)
        with pytest.raises(IllegalTransition):
            leave_decide(leave=leave, actor=role_users["township"], approve=False, note="不")
    duty.refresh_from_db()
    leave.refresh_from_db()
    assert duty.status == DutyStatus.ON_LEAVE
    assert leave.status == LeaveStatus.APPROVED and leave.decided_by == role_users["township"]
    assert Notification.objects.filter(recipient=role_users["deputy"], kind="leave_decided").exists()
    assert list(DutyEvent.objects.filter(duty=duty).values_list("action", flat=True)) == [
        "assign",
        "leave_request",
        "leave_approve",
    ]
    with clock.frozen(moment(dt.date(2026, 4, 15))), pytest.raises(IllegalTransition):
        duty_check_in(station=station, actor=role_users["deputy"])
    assert duties_mark_missed(today=dt.date(2026, 4, 16)) == 0


def test_leave_refused_needs_a_reason_and_keeps_the_duty(role_users, station, network):
    duty = _duty(role_users, station, network)
    with clock.frozen(moment(dt.date(2026, 4, 10))):
        leave = leave_request(duty=duty, actor=role_users["deputy"], reason="家中有事")
        with pytest.raises(Invalid):
            leave_decide(leave=leave, actor=role_users["liaison"], approve=False)
        leave_decide(leave=leave, actor=role_users["liaison"], approve=False, note="当天人手不足")
    duty.refresh_from_db()
    assert duty.status == DutyStatus.PLANNED
    assert Notification.objects.get(recipient=role_users["deputy"], kind="leave_decided").body == "当天人手不足"


def test_leave_only_before_the_day_only_by_the_deputy_with_a_reason(role_users, station, network):
    duty = _duty(role_users, station, network)
    with clock.frozen(moment(dt.date(2026, 4, 10))):
        with pytest.raises(Invalid):
            leave_request(duty=duty, actor=role_users["deputy"], reason="  ")
        with pytest.raises(NotAllowed):
            leave_request(duty=duty, actor=role_users["liaison"], reason="代请")
    with clock.frozen(moment(dt.date(2026, 4, 15))), pytest.raises(Invalid):
        leave_request(duty=duty, actor=role_users["deputy"], reason="临时有事")


def test_past_duties_without_check_in_or_leave_are_missed(role_users, station, network):
    missed = _duty(role_users, station, network)
    fellow = f.AssignmentFactory(station=station).deputy
    checked = _duty(role_users, station, network, deputy=fellow)
    fellow.user = f.UserFactory(username="fellow")
    fellow.save()
    with clock.frozen(moment(dt.date(2026, 4, 15))):
        duty_check_in(station=station, actor=fellow.user)
    assert DutyAssignment.objects.missed(today=dt.date(2026, 4, 16)).get() == missed
    assert duties_mark_missed(today=dt.date(2026, 4, 16)) == 1
    missed.refresh_from_db()
    checked.refresh_from_db()
    assert (missed.status, checked.status) == (DutyStatus.MISSED, DutyStatus.CHECKED_IN)
    assert DutyEvent.objects.filter(duty=missed, action="miss").count() == 1
    assert duties_mark_missed(today=dt.date(2026, 4, 16)) == 0


def test_a_coming_duty_can_be_taken_off_and_the_trail_stays(role_users, station, network):
    duty = _duty(role_users, station, network)
    with clock.frozen(moment(dt.date(2026, 4, 10))):
        duty_remove(duty=duty, actor=role_users["liaison"], note="调整")
    assert not DutyAssignment.objects.exists()
    assert list(DutyEvent.objects.values_list("action", "duty_id")) == [("assign", None), ("remove", None)]
    assert Notification.objects.filter(recipient=role_users["deputy"], kind="duty_removed").exists()


def test_the_nightly_task_marks_missed_duties(role_users, station, network):
    from activities.tasks import mark_missed_duties

    _duty(role_users, station, network)
    with clock.frozen(moment(dt.date(2026, 4, 16), 0)):
        assert mark_missed_duties.delay().get() == 1
    assert DutyAssignment.objects.get().status == DutyStatus.MISSED
