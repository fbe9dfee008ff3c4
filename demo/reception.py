"""The demo county's duty rosters, check-ins, leave and grids.

Runs after the lifecycle and the activities (:mod:`demo.activity_log`). For every township
center station with a reception schedule it builds the duty roster of this year's reception
days and of the next two months with the rotation helper (:func:`activities.rosters.rotate`),
then plays the past days out: most deputies on duty checked in (joining that day's
reception-day activity, verified or awaiting review as its age implies), a few were excused
by an approved leave, a few missed the day. Coming days stay planned, with a few leave
requests awaiting a decision. Everything is written with ``bulk_create`` and every status has
the events that lead to it, as if :mod:`activities.workflow.duty` had written them.

Grids follow Aimin's "one deputy per grid": in a few villages of the first townships, each
stationed deputy leads a grid of their own.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid
import zoneinfo
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from activities.models import (
    Activity,
    ActivityEvent,
    ActivityStatus,
    ActivityType,
    Attendance,
    DutyAssignment,
    DutyEvent,
    DutyStatus,
    LeaveRequest,
    LeaveStatus,
)
from activities.reception import reception_days_between
from activities.rosters import rotate
from activities.workflow.duty import RECEPTION_DAY_KEYS, RECEPTION_DAY_TYPE
from deputies.models import AssignmentRole, Deputy, StationAssignment
from liaison import clock
from liaison.models import Role, StaffProfile
from stations.models import Grid, ReceptionFrequency, Station, StationKind

LEAVE_REASONS = ("参加县人大常委会会议", "外出学习培训", "单位工作安排冲突", "身体不适", "家中有事")
GRID_VILLAGES = 6  # villages with grids
GRID_AREAS = ("村委会周边", "东片居民点", "西片居民点", "南街", "北街", "新村安置区", "老街", "工业园片区")


@dataclass
class ReceptionResult:
    duties: Counter
    reception_activities: int
    leave_requests: Counter
    grids: int
    seconds: float


class ReceptionSeeder:
    def __init__(self, today: dt.date, seed: int):
        self.today = today
        self.rng = random.Random(f"reception-{seed}")
        self.zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self.start = dt.date(today.year, 1, 1)
        self.end = today + dt.timedelta(days=61)
        self.now = min(clock.now(), dt.datetime.combine(today, dt.time(18), self.zone))
        self.reception_type = ActivityType.objects.get_or_create(
            code=RECEPTION_DAY_TYPE, defaults={"name": "接待选民日"}
        )[0]
        self.users = dict(Deputy.objects.filter(user__isnull=False).values_list("pk", "user_id"))
        self.township_staff: dict[int, int] = {}
        for user_id, township_id in StaffProfile.objects.filter(role=Role.TOWNSHIP_STAFF).values_list(
            "user_id", "township_id"
        ):
            self.township_staff.setdefault(township_id, user_id)
        self.county_staff = (
            StaffProfile.objects.filter(role=Role.COUNTY_STAFF).values_list("user_id", flat=True).first()
        )
        self.duties: list[DutyAssignment] = []
        self.duty_events: list[DutyEvent] = []
        self.leaves: list[LeaveRequest] = []
        self.activities: list[tuple[Activity, list[tuple[int, dt.datetime]]]] = []

    def at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return min(dt.datetime.combine(day, dt.time(hour, minute), self.zone), self.now)

    def staff_of(self, station: Station) -> int | None:
        return station.liaison_officer_id or self.township_staff.get(station.township_id) or self.county_staff

    # Rosters -------------------------------------------------------------------------------
    def plan_rosters(self) -> None:
        centers = list(
            Station.objects.active()
            .filter(kind=StationKind.CENTER)
            .exclude(reception_frequency=ReceptionFrequency.NONE)
            .order_by("code")
        )
        stationed = defaultdict(list)
        for station_id, deputy_id, role in (
            StationAssignment.objects.filter(station__in=centers, deputy__is_active=True)
            .order_by("deputy_id")
            .values_list("station_id", "deputy_id", "role")
        ):
            stationed[station_id].append((role != AssignmentRole.MASTER, deputy_id))
        taken: dict[dt.date, set[int]] = defaultdict(set)
        for station in centers:
            deputies = [deputy_id for _order, deputy_id in sorted(stationed[station.pk])]
            days = reception_days_between(station, self.start, self.end)
            if not deputies or not days:
                continue
            plan = rotate(days, deputies, station.deputies_per_reception, busy=taken)
            for day, deputy_ids in sorted(plan.added.items()):
                taken[day].update(deputy_ids)
                self.play_day(station, day, deputy_ids)

    def play_day(self, station: Station, day: dt.date, deputy_ids: list[int]) -> None:
        staff = self.staff_of(station)
        planned_at = self.at(min(day, self.today) - dt.timedelta(days=self.rng.randint(20, 35)), 10)
        start = station.reception_start or dt.time(9)
        checked_in: list[tuple[int, dt.datetime]] = []
        duties = []
        for deputy_id in deputy_ids:
            duty = DutyAssignment(
                station=station, day=day, deputy_id=deputy_id, created_by_id=staff, created_at=planned_at
            )
            events = [self.event(duty, "assign", staff, planned_at, to_status=DutyStatus.PLANNED, note="轮值排班")]
            roll = self.rng.random()
            if day < self.today:
                if roll < 0.07:
                    self.leave(duty, events, staff, approved=True)
                elif roll < 0.15:
                    duty.status = DutyStatus.MISSED
                    events.append(
                        self.event(
                            duty,
                            "miss",
                            None,
                            self.at(day + dt.timedelta(days=1), 0, 20),
                            from_status=DutyStatus.PLANNED,
                            to_status=DutyStatus.MISSED,
                        )
                    )
                else:
                    moment = dt.datetime.combine(day, start, self.zone) + dt.timedelta(
                        minutes=self.rng.randint(-15, 20)
                    )
                    duty.status, duty.checked_in_at = DutyStatus.CHECKED_IN, moment
                    checked_in.append((deputy_id, moment))
                    events.append(
                        self.event(
                            duty,
                            "check_in",
                            self.users.get(deputy_id),
                            moment,
                            from_status=DutyStatus.PLANNED,
                            to_status=DutyStatus.CHECKED_IN,
                        )
                    )
            elif day > self.today and roll < 0.05:
                self.leave(duty, events, staff, approved=None)
            duties.append((duty, events))
        activity = self.reception_activity(station, day, checked_in) if checked_in else None
        for duty, events in duties:
            if duty.status == DutyStatus.CHECKED_IN:
                duty.activity = activity
            self.duties.append(duty)
            self.duty_events.extend(events)

    def event(self, duty, action, actor, at, *, from_status="", to_status="", note="") -> DutyEvent:
        return DutyEvent(
            duty=duty,
            station_id=duty.station.pk,
            day=duty.day,
            deputy_id=duty.deputy_id,
            action=action,
            from_status=from_status,
            to_status=to_status,
            actor_id=actor,
            at=at,
            note=note,
        )

    def leave(self, duty: DutyAssignment, events: list, staff: int | None, *, approved: bool | None) -> None:
        """A leave asked a few days before the day; approved (past days) or awaiting (coming)."""
        asked = self.at(min(duty.day, self.today + dt.timedelta(days=1)) - dt.timedelta(days=self.rng.randint(1, 5)), 9)
        reason = self.rng.choice(LEAVE_REASONS)
        leave = LeaveRequest(
            duty=duty, reason=reason, requested_by_id=self.users.get(duty.deputy_id), requested_at=asked
        )
        events.append(
            self.event(
                duty,
                "leave_request",
                leave.requested_by_id,
                asked,
                from_status=DutyStatus.PLANNED,
                to_status=DutyStatus.PLANNED,
                note=reason,
            )
        )
        if approved:
            decided = min(asked + dt.timedelta(hours=self.rng.randint(2, 30)), self.at(duty.day, 8))
            leave.status, leave.decided_by_id, leave.decided_at = LeaveStatus.APPROVED, staff, decided
            duty.status = DutyStatus.ON_LEAVE
            events.append(
                self.event(
                    duty,
                    "leave_approve",
                    staff,
                    decided,
                    from_status=DutyStatus.PLANNED,
                    to_status=DutyStatus.ON_LEAVE,
                    note=reason,
                )
            )
        self.leaves.append(leave)

    def reception_activity(self, station: Station, day: dt.date, checked_in: list) -> Activity:
        first = min(moment for _deputy, moment in checked_in)
        age = (self.today - day).days
        verified = self.rng.random() < (0.92 if age > 14 else 0.4 if age > 3 else 0)
        recorder = self.users.get(checked_in[0][0]) or self.staff_of(station)
        activity = Activity(
            station=station,
            activity_type=self.reception_type,
            started_at=dt.datetime.combine(day, station.reception_start or dt.time(9), self.zone),
            place=station.address or station.name,
            voters_received=self.rng.randint(8, 45),
            materials_handed_out=self.rng.randint(10, 60),
            summary="接待选民日：值班代表签到接待来访群众，现场解答并记录意见。",
            status=ActivityStatus.VERIFIED if verified else ActivityStatus.SUBMITTED,
            recorded_by_id=recorder,
            idempotency_key=uuid.uuid5(RECEPTION_DAY_KEYS, f"{station.pk}:{day.isoformat()}"),
            created_at=first,
        )
        if verified:
            activity.verified_at = min(first + dt.timedelta(days=self.rng.randint(1, 6)), self.now)
            activity.verified_by_id = self.staff_of(station)
        self.activities.append((activity, checked_in))
        return activity

    # Writing -----------------------------------------------------------------------------------
    def write(self) -> None:
        Activity.objects.bulk_create([activity for activity, _checked in self.activities], batch_size=1000)
        attendance, events = [], []
        for activity, checked in self.activities:
            events.append(
                ActivityEvent(
                    activity=activity,
                    action="create",
                    to_status=ActivityStatus.SUBMITTED,
                    actor_id=activity.recorded_by_id,
                    at=activity.created_at,
                    note="值班代表签到时创建。",
                )
            )
            for deputy_id, moment in checked:
                attendance.append(Attendance(activity=activity, deputy_id=deputy_id, checked_in_at=moment))
                events.append(
                    ActivityEvent(
                        activity=activity,
                        action="check_in",
                        actor_id=self.users.get(deputy_id),
                        at=moment,
                        to_status=ActivityStatus.SUBMITTED,
                    )
                )
            if activity.status == ActivityStatus.VERIFIED:
                events.append(
                    ActivityEvent(
                        activity=activity,
                        action="verify",
                        from_status=ActivityStatus.SUBMITTED,
                        to_status=ActivityStatus.VERIFIED,
                        actor_id=activity.verified_by_id,
                        at=activity.verified_at,
                    )
                )
        Attendance.objects.bulk_create(attendance, batch_size=2000)
        ActivityEvent.objects.bulk_create(events, batch_size=2000)
        for duty in self.duties:  # the activities have their ids now
            duty.activity_id = duty.activity.pk if duty.activity else None
        DutyAssignment.objects.bulk_create(self.duties, batch_size=2000)
        for event in self.duty_events:
            event.duty_id = event.duty.pk
        DutyEvent.objects.bulk_create(self.duty_events, batch_size=2000)
        for leave in self.leaves:
            leave.duty_id = leave.duty.pk
        LeaveRequest.objects.bulk_create(self.leaves, batch_size=2000)

    # Grids -------------------------------------------------------------------------------------
    def write_grids(self) -> int:
        villages = list(Station.objects.active().filter(kind=StationKind.VILLAGE).order_by("code"))
        stationed = defaultdict(list)
        for station_id, deputy_id in (
            StationAssignment.objects.filter(station__in=villages, deputy__is_active=True)
            .order_by("deputy_id")
            .values_list("station_id", "deputy_id")
        ):
            stationed[station_id].append(deputy_id)
        chosen = [village for village in villages if len(stationed[village.pk]) >= 2][:GRID_VILLAGES]
        grids, leaders = [], []
        for village in chosen:
            for n, deputy_id in enumerate(stationed[village.pk], 1):
                grid = Grid(
                    station=village,
                    code=f"{village.code}-W{n:02d}",
                    name=f"第{n}网格",
                    description=f"{village.name.removesuffix('联络站')}{GRID_AREAS[(n - 1) % len(GRID_AREAS)]}",
                )
                grids.append(grid)
                leaders.append((grid, deputy_id))
        Grid.objects.bulk_create(grids)
        if any(grid.pk is None for grid in grids):
            ids = dict(Grid.objects.filter(code__in=[g.code for g in grids]).values_list("code", "id"))
            for grid in grids:
                grid.pk = ids[grid.code]
        through = Deputy.grids_led.through
        through.objects.bulk_create([through(grid_id=grid.pk, deputy_id=deputy_id) for grid, deputy_id in leaders])
        return len(grids)


def seed_reception(*, today: dt.date, seed: int) -> ReceptionResult:
    """Write the centers' duty rosters with their check-ins, leave and missed days, and the
    grids (one transaction)."""
    started = time.monotonic()
    with transaction.atomic():
        seeder = ReceptionSeeder(today, seed)
        seeder.plan_rosters()
        seeder.write()
        grids = seeder.write_grids()
    return ReceptionResult(
        duties=Counter(DutyAssignment.objects.values_list("status", flat=True)),
        reception_activities=len(seeder.activities),
        leave_requests=Counter(LeaveRequest.objects.values_list("status", flat=True)),
        grids=grids,
        seconds=time.monotonic() - started,
    )
