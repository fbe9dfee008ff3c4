"""The demo's rosters, check-ins, leave and grids (``demo.reception``) on a small network."""

import datetime as dt
from collections import Counter

from activities.models import Activity, Attendance, DutyAssignment, DutyEvent, DutyStatus, LeaveRequest, LeaveStatus
from demo.reception import seed_reception
from stations.models import Grid
from tests import factories as f

# The events that lead to each status, in order (leave requests add their own).
LAST_ACTION = {
    DutyStatus.PLANNED: "assign",
    DutyStatus.CHECKED_IN: "check_in",
    DutyStatus.MISSED: "miss",
    DutyStatus.ON_LEAVE: "leave_approve",
}


def test_rosters_follow_the_rotation_and_statuses_agree_with_events(network):
    center = network["a"]
    center.reception_frequency, center.reception_day = "weekly", 3
    center.save()
    for _n in range(6):
        f.AssignmentFactory(station=center)
    for _n in range(3):
        f.AssignmentFactory(station=network["a_village"])
    result = seed_reception(today=dt.date(2026, 6, 20), seed=7)
    duties = list(DutyAssignment.objects.filter(station=center))
    assert len(duties) == 2 * 33  # the 33 Wednesdays from 2026-01-01 to 2026-08-20, two a day
    counts = Counter(duty.deputy_id for duty in duties)
    assert max(counts.values()) - min(counts.values()) <= 1
    statuses = Counter(duty.status for duty in duties)
    assert statuses[DutyStatus.CHECKED_IN] > statuses[DutyStatus.MISSED] + statuses[DutyStatus.ON_LEAVE]
    assert all(duty.status == DutyStatus.PLANNED for duty in duties if duty.day >= dt.date(2026, 6, 20))
    for duty in duties:
        actions = list(DutyEvent.objects.filter(duty=duty).order_by("at", "id").values_list("action", flat=True))
        assert actions[0] == "assign"
        assert actions[-1] in (LAST_ACTION[duty.status], "leave_request"), (duty.status, actions)
        if duty.status == DutyStatus.CHECKED_IN:
            assert duty.activity.activity_type.code == "reception_day"
            assert Attendance.objects.filter(activity=duty.activity, deputy=duty.deputy, checked_in_at__isnull=False)
    assert result.reception_activities == Activity.objects.filter(duties__isnull=False).distinct().count()
    assert set(LeaveRequest.objects.values_list("status", flat=True)) <= {LeaveStatus.APPROVED, LeaveStatus.PENDING}
    assert not LeaveRequest.objects.filter(status=LeaveStatus.PENDING, duty__day__lt=dt.date(2026, 6, 20)).exists()
    grids = Grid.objects.filter(station=network["a_village"])
    assert grids.count() == 4  # one grid per deputy stationed there (张建国 and three more)
    assert all(grid.leaders.count() == 1 for grid in grids)
