"""Actions on the duty rosters of the reception days: put on duty, take off, generate a
month's roster by rotation, check in (which creates or joins the day's reception-day
activity), leave requests and their decision, and the nightly sweep of missed duties.

Each action checks the actor's right (:mod:`activities.permissions`), the transition table
(:mod:`.table`) and its input, writes the change and its :class:`~activities.models.DutyEvent`
in one transaction, and puts the notifications in the inbox (their e-mail and SMS copies
leave after commit, see :mod:`liaison.notifications`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from deputies.models import Deputy, StationAssignment
from liaison import clock
from liaison.models import Role, StaffProfile
from liaison.notifications import Message, notify, notify_many
from liaison.statuses import write_status
from stations.models import Station

from ..models.activities import Activity, Attendance
from ..models.duty import DutyAssignment, DutyEvent, DutyStatus, LeaveRequest, LeaveStatus
from ..models.types import ActivityType
from ..permissions import may_manage_roster
from ..reception import reception_days
from ..rosters import RosterPlan, month_bounds, quarter_start, rotate
from .core import activity_event, check
from .errors import IllegalTransition, Invalid, NotAllowed
from .table import DUTY_TRANSITIONS, LEAVE_TRANSITIONS

RECEPTION_DAY_TYPE = "reception_day"
# The reception-day activity of one station and day has a fixed submission key, so that two
# deputies checking in at the same moment join one activity instead of creating two.
RECEPTION_DAY_KEYS = uuid.UUID("6f1d8a52-4c1e-4b7e-9a57-0c2b1d6e5f10")


def day_label(day: dt.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def _require_staff(actor, station: Station) -> None:
    if not may_manage_roster(actor, station):
        raise NotAllowed(_("Only the staff who manage %(station)s may change its duty roster.") % {"station": station})


def _check(table, action: str, status: str, label: str):
    if table is DUTY_TRANSITIONS:
        refusal = _("This is not possible now: the duty is “%(status)s”.")
    else:
        refusal = _("This leave request is already “%(status)s”.")
    return check(table, action, status, label, refusal=refusal)


def duty_event(
    duty: DutyAssignment, action: str, actor, *, from_status: str = "", to_status: str | None = None, note: str = ""
) -> DutyEvent:
    return DutyEvent.objects.create(
        at=clock.now(),
        duty=duty,
        station_id=duty.station_id,
        day=duty.day,
        deputy_id=duty.deputy_id,
        action=action,
        from_status=from_status,
        to_status=duty.status if to_status is None else to_status,
        actor=actor if getattr(actor, "pk", None) else None,
        note=note,
    )


def _move(duty: DutyAssignment, action: str, actor, *, note: str = "", **fields) -> DutyEvent:
    transition = _check(DUTY_TRANSITIONS, action, duty.status, duty.get_status_display())
    from_status = write_status(duty, transition.target, **fields)
    return duty_event(duty, action, actor, from_status=from_status, note=note)


def _lock(duty: DutyAssignment) -> DutyAssignment:
    return DutyAssignment.objects.select_for_update().select_related("station", "deputy").get(pk=duty.pk)


def station_staff_ids(station: Station) -> set[int]:
    """The staff told about a station's roster: its liaison officer and its township's staff."""
    ids = {station.liaison_officer_id} - {None}
    if station.township_id:
        ids |= set(
            StaffProfile.objects.filter(
                role=Role.TOWNSHIP_STAFF, township_id=station.township_id, user__is_active=True
            ).values_list("user_id", flat=True)
        )
    return ids


def my_duties_link() -> str:
    return reverse("activities:my_duties")


# Building the roster ---------------------------------------------------------------
def _stationed_deputy_ids(station: Station) -> list[int]:
    """The serving deputies stationed at ``station``, the station master first, then by id."""
    rows = StationAssignment.objects.filter(station=station, deputy__is_active=True).values_list("deputy_id", "role")
    return [deputy_id for deputy_id, role in sorted(rows, key=lambda row: (row[1] != "master", row[0]))]


@transaction.atomic
def duty_assign(*, station: Station, day: dt.date, deputy: Deputy, actor) -> DutyAssignment:
    """Put ``deputy`` on duty at ``station`` on ``day`` (by hand). Refused for a past day, a
    deputy no longer serving, a deputy already on this day's roster here or elsewhere."""
    _require_staff(actor, station)
    if day < clock.today():
        raise Invalid(_("The day has passed; the roster of past days cannot be changed."))
    if not deputy.is_active:
        raise Invalid(_("%(deputy)s no longer serves as a deputy.") % {"deputy": deputy})
    if not Deputy.objects.visible_to(actor).filter(pk=deputy.pk).exists():
        # a deputy of another township is not this office's to put on duty
        raise Invalid(_("%(deputy)s is not a deputy of your area.") % {"deputy": deputy})
    elsewhere = (
        DutyAssignment.objects.filter(deputy=deputy, day=day).select_related("station").exclude(station=station).first()
    )
    if elsewhere:
        raise Invalid(
            _("%(deputy)s is already on duty at %(station)s that day.")
            % {"deputy": deputy, "station": elsewhere.station}
        )
    try:
        with transaction.atomic():
            duty = DutyAssignment.objects.create(station=station, day=day, deputy=deputy, created_by=actor)
    except IntegrityError:
        raise Invalid(_("%(deputy)s is already on duty that day.") % {"deputy": deputy}) from None
    duty_event(duty, "assign", actor)
    notify(
        recipients=[deputy.user_id],
        kind="duty_assigned",
        title=_("You are on duty at %(station)s on %(day)s") % {"station": station, "day": day_label(day)},
        link=my_duties_link(),
    )
    return duty


@transaction.atomic
def duty_remove(*, duty: DutyAssignment, actor, note: str = "") -> None:
    """Take a planned duty of a coming day off the roster. The trail keeps an event row."""
    _require_staff(actor, duty.station)
    duty = _lock(duty)
    if duty.status != DutyStatus.PLANNED or duty.day < clock.today():
        raise IllegalTransition(
            _("Only a coming duty not yet checked in can be taken off the roster; this one is “%(status)s”.")
            % {"status": duty.get_status_display()}
        )
    if duty.leave_requests.filter(status=LeaveStatus.PENDING).exists():
        raise Invalid(_("The deputy asked for leave from this duty; decide the leave request instead."))
    duty_event(duty, "remove", actor, from_status=duty.status, to_status="", note=note)
    DutyEvent.objects.filter(duty=duty).update(duty=None)
    duty.leave_requests.all().delete()  # refused ones; their requests and decisions stay on the trail
    duty.delete()
    notify(
        recipients=[duty.deputy.user_id],
        kind="duty_removed",
        title=_("Your duty at %(station)s on %(day)s is cancelled")
        % {"station": duty.station, "day": day_label(duty.day)},
        body=note,
        link=my_duties_link(),
    )


def plan_roster(station: Station, month: dt.date, *, per_day: int | None = None) -> RosterPlan:
    """The rotation's proposal for the coming reception days of ``month`` at ``station``
    (nothing written). See :mod:`activities.rosters` for the rule."""
    first, last = month_bounds(month)
    days = [day for day in reception_days(station, month) if day >= clock.today()]
    deputies = _stationed_deputy_ids(station)
    if not days or not deputies:
        return RosterPlan(short={day: per_day or station.deputies_per_reception for day in days})
    mine = DutyAssignment.objects.filter(station=station, deputy_id__in=deputies)
    window_counts = dict(
        mine.filter(day__gte=quarter_start(first), day__lt=first)
        .values("deputy_id")
        .annotate(n=Count("id"))
        .values_list("deputy_id", "n")
    )
    year_counts = dict(
        mine.filter(day__year=first.year, day__lt=first)
        .values("deputy_id")
        .annotate(n=Count("id"))
        .values_list("deputy_id", "n")
    )
    last_duty = dict(
        mine.filter(day__lt=first).values("deputy_id").annotate(last=Max("day")).values_list("deputy_id", "last")
    )
    on_roster, busy = defaultdict(set), defaultdict(set)
    month_duties = DutyAssignment.objects.filter(day__range=(first, last), deputy_id__in=deputies).values_list(
        "station_id", "day", "deputy_id", "status"
    )
    for station_id, day, deputy_id, status in month_duties:
        if station_id != station.pk or status == DutyStatus.ON_LEAVE:
            busy[day].add(deputy_id)  # on duty elsewhere that day, or on leave
        elif day in days:
            on_roster[day].add(deputy_id)
        else:  # this month's duties before today count for fairness too
            window_counts[deputy_id] = window_counts.get(deputy_id, 0) + 1
            year_counts[deputy_id] = year_counts.get(deputy_id, 0) + 1
            last_duty[deputy_id] = max(day, last_duty.get(deputy_id, day))
    return rotate(
        days,
        deputies,
        per_day or station.deputies_per_reception,
        window_counts=window_counts,
        year_counts=year_counts,
        last_duty=last_duty,
        on_roster=on_roster,
        busy=busy,
    )


@transaction.atomic
def roster_generate(*, station: Station, month: dt.date, actor, per_day: int | None = None) -> RosterPlan:
    """Fill the coming reception days of ``month`` at ``station`` up to the station's
    minimum by rotation, keeping the duties already on the roster. Writes one event per
    duty and one message per deputy (with all their new days). Returns the plan written."""
    _require_staff(actor, station)
    Station.objects.select_for_update().filter(pk=station.pk).first()  # one generation at a time per station
    plan = plan_roster(station, month, per_day=per_day)
    pairs = plan.pairs()
    if not pairs:
        return plan
    now = clock.now()
    created = DutyAssignment.objects.bulk_create(
        [
            DutyAssignment(station=station, day=day, deputy_id=deputy_id, created_by=actor, created_at=now)
            for day, deputy_id in pairs
        ]
    )
    if any(duty.pk is None for duty in created):  # backends without RETURNING on bulk inserts
        created = list(
            DutyAssignment.objects.filter(station=station, day__in=plan.added, created_at=now, created_by=actor)
        )
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    DutyEvent.objects.bulk_create(
        [
            DutyEvent(
                at=now,
                duty=duty,
                station_id=station.pk,
                day=duty.day,
                deputy_id=duty.deputy_id,
                action="assign",
                to_status=DutyStatus.PLANNED,
                actor_id=actor_id,
                note=_("Rotation"),
            )
            for duty in created
        ]
    )
    days_by_deputy = defaultdict(list)
    for day, deputy_id in pairs:
        days_by_deputy[deputy_id].append(day)
    users = dict(Deputy.objects.filter(pk__in=days_by_deputy).values_list("pk", "user_id"))
    notify_many(
        [
            Message(
                [users.get(deputy_id)],
                "duty_assigned",
                _("You are on duty at %(station)s on %(days)s")
                % {"station": station, "days": "、".join(day_label(day) for day in days)},
                "",
                my_duties_link(),
            )
            for deputy_id, days in days_by_deputy.items()
        ]
    )
    return plan


# Check-in ------------------------------------------------------------------------------
def _reception_activity(station: Station, day: dt.date, actor) -> tuple[Activity, bool]:
    """The day's reception-day activity at ``station``: the one a deputy already logged or an
    earlier check-in created, else a new one (status submitted, for staff to verify)."""
    activity_type, _created = ActivityType.objects.get_or_create(
        code=RECEPTION_DAY_TYPE, defaults={"name": _("Reception day")}
    )
    key = uuid.uuid5(RECEPTION_DAY_KEYS, f"{station.pk}:{day.isoformat()}")
    existing = (
        Activity.objects.filter(station=station, activity_type=activity_type, idempotency_key=key).first()
        or Activity.objects.filter(
            station=station,
            activity_type=activity_type,
            started_at__date=day,
        )
        .exclude(status="returned")
        .order_by("id")
        .first()
    )
    if existing:
        return existing, False
    start = station.reception_start or timezone.localtime(clock.now()).time().replace(second=0, microsecond=0)
    try:
        with transaction.atomic():
            activity = Activity.objects.create(
                station=station,
                activity_type=activity_type,
                started_at=timezone.make_aware(dt.datetime.combine(day, start)),
                place=station.address or station.name,
                recorded_by=actor,
                idempotency_key=key,
            )
    except IntegrityError:  # a fellow deputy's check-in created it a moment ago
        return Activity.objects.get(idempotency_key=key), False
    activity_event(activity, "create", actor, note=_("Created by the first check-in of the reception day."))
    return activity, True


@transaction.atomic
def duty_check_in(*, station: Station, actor) -> DutyAssignment:
    """The deputy on duty at ``station`` today checks in (签到): the duty turns "checked in",
    and the deputy joins the day's reception-day activity (created by the first check-in),
    with the time of the check-in on the attendance. Refused with the reason when the actor
    is not on duty here today, has checked in already or is on leave."""
    from liaison.scope import scope_for

    deputy_id = scope_for(actor).deputy_id
    if not deputy_id:
        raise NotAllowed(_("Only deputies check in for a duty."))
    today = clock.today()
    duty = DutyAssignment.objects.select_for_update().filter(station=station, deputy_id=deputy_id, day=today).first()
    if duty is None:
        upcoming = (
            DutyAssignment.objects.filter(station=station, deputy_id=deputy_id, day__gt=today).order_by("day").first()
        )
        if upcoming:
            raise Invalid(
                _("Your duty at %(station)s is on %(day)s, not today.")
                % {"station": station, "day": day_label(upcoming.day)}
            )
        raise NotAllowed(_("You are not on duty at %(station)s today.") % {"station": station})
    if duty.status == DutyStatus.CHECKED_IN:
        raise IllegalTransition(
            _("You already checked in at %(time)s.") % {"time": f"{timezone.localtime(duty.checked_in_at):%H:%M}"}
        )
    if duty.status == DutyStatus.ON_LEAVE:
        raise IllegalTransition(_("You are on leave for this duty."))
    now = clock.now()
    activity, _created = _reception_activity(station, today, actor)
    attendance, joined = Attendance.objects.get_or_create(
        activity=activity, deputy_id=deputy_id, defaults={"checked_in_at": now}
    )
    if not joined and attendance.checked_in_at is None:
        attendance.checked_in_at = now
        attendance.save(update_fields=["checked_in_at"])
    activity_event(activity, "check_in", actor, note=str(Deputy.objects.get(pk=deputy_id)))
    _move(duty, "check_in", actor, checked_in_at=now, activity=activity)
    return duty


# Leave ---------------------------------------------------------------------------------
@transaction.atomic
def leave_request(*, duty: DutyAssignment, actor, reason: str) -> LeaveRequest:
    """The deputy on duty asks to be excused (请假), before the day, with a reason. The
    station's liaison officer and township staff are told."""
    from liaison.scope import scope_for

    if actor is None or scope_for(actor).deputy_id != duty.deputy_id:
        raise NotAllowed(_("Only the deputy on duty may ask for leave from it."))
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Please give the reason for your leave."))
    duty = _lock(duty)
    if duty.day <= clock.today():
        raise Invalid(_("Leave must be asked for before the day of the duty."))
    if duty.status != DutyStatus.PLANNED:
        raise IllegalTransition(
            _("This is not possible now: the duty is “%(status)s”.") % {"status": duty.get_status_display()}
        )
    if duty.leave_requests.filter(status=LeaveStatus.PENDING).exists():
        raise Invalid(_("You already asked for leave from this duty; the staff will decide soon."))
    leave = LeaveRequest.objects.create(duty=duty, reason=reason, requested_by=actor)
    duty_event(duty, "leave_request", actor, from_status=duty.status, note=reason)
    notify(
        recipients=station_staff_ids(duty.station),
        kind="leave_requested",
        title=_("%(deputy)s asks for leave from the duty at %(station)s on %(day)s")
        % {"deputy": duty.deputy, "station": duty.station, "day": day_label(duty.day)},
        body=reason,
        link=reverse("activities:leave_list"),
    )
    return leave


@transaction.atomic
def leave_decide(*, leave: LeaveRequest, actor, approve: bool, note: str = "") -> LeaveRequest:
    """Staff who manage the station approve (the duty turns "on leave") or refuse a pending
    leave request; the deputy is told either way. A refusal needs a reason."""
    leave = LeaveRequest.objects.select_for_update().select_related("duty__station", "duty__deputy").get(pk=leave.pk)
    duty = leave.duty
    _require_staff(actor, duty.station)
    action = "approve" if approve else "refuse"
    transition = _check(LEAVE_TRANSITIONS, action, leave.status, leave.get_status_display())
    note = (note or "").strip()
    if not approve and not note:
        raise Invalid(_("Please give the reason for refusing."))
    duty = _lock(duty)
    if approve:
        _move(duty, "leave_approve", actor, note=note or leave.reason)
    else:
        duty_event(duty, "leave_refuse", actor, from_status=duty.status, note=note)
    write_status(leave, transition.target, decided_by=actor, decided_at=clock.now(), decision_note=note)
    title = (
        _("Your leave from the duty at %(station)s on %(day)s is approved")
        if approve
        else _("Your leave from the duty at %(station)s on %(day)s is refused")
    )
    notify(
        recipients=[duty.deputy.user_id],
        kind="leave_decided",
        title=title % {"station": duty.station, "day": day_label(duty.day)},
        body=note,
        link=my_duties_link(),
    )
    return leave


# Missed duties ---------------------------------------------------------------------------
@transaction.atomic
def duties_mark_missed(*, today: dt.date | None = None) -> int:
    """The nightly sweep (system): duties of past days still planned — no check-in, no
    approved leave — turn "missed", each with its event row. Pending leave requests of those
    duties lapse as refused. Returns the number of duties marked."""
    today = today or clock.today()
    transition = DUTY_TRANSITIONS["miss"]
    duties = list(DutyAssignment.objects.select_for_update().filter(status__in=transition.sources, day__lt=today))
    if not duties:
        return 0
    now = clock.now()
    ids = [duty.pk for duty in duties]
    DutyAssignment.objects.filter(pk__in=ids).update(status=transition.target, updated_at=now)
    LeaveRequest.objects.filter(duty_id__in=ids, status=LeaveStatus.PENDING).update(
        status=LeaveStatus.REFUSED, decided_at=now, decision_note=_("Not decided before the day.")
    )
    DutyEvent.objects.bulk_create(
        [
            DutyEvent(
                at=now,
                duty_id=duty.pk,
                station_id=duty.station_id,
                day=duty.day,
                deputy_id=duty.deputy_id,
                action="miss",
                from_status=duty.status,
                to_status=transition.target,
            )
            for duty in duties
        ]
    )
    return len(duties)
