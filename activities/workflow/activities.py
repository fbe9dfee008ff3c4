"""Actions on activities: record (with the opinions taken and the photos), correct,
resubmit, verify and return."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.models import Deputy, DeputyGroup
from liaison import clock
from liaison.notifications import notify
from liaison.scope import scope_for
from suggestions.models import Channel
from suggestions.workflow import opinion_create

from .. import permissions
from ..models import (
    Activity,
    ActivityOpinion,
    ActivityPhoto,
    ActivityStatus,
    ActivityType,
    Attendance,
    Campaign,
)
from .core import activity_event, check, lock_activity, move_activity
from .errors import Invalid, NotAllowed
from .table import ACTIVITY_TRANSITIONS

MAX_OPINIONS = 30
MAX_VOTERS = 100_000
MAX_MATERIALS = 100_000
MAX_SUMMARY = 2000
MAX_PHOTOS = 9
BACKDATE_DAYS = 366
FUTURE_SLACK = dt.timedelta(minutes=10)  # a phone's clock may run a little fast

# The opinion channel of each activity type's opinions; every other type records "other".
CHANNEL_OF_TYPE = {
    "reception_day": Channel.RECEPTION_DAY,
    "station_duty": Channel.RECEPTION_DAY,
    "home_visit": Channel.HOME_VISIT,
    "night_visit": Channel.HOME_VISIT,
    "market_stall": Channel.MARKET_STALL,
}


def channel_for(activity_type: ActivityType) -> str:
    return CHANNEL_OF_TYPE.get(activity_type.code, Channel.OTHER)


def _check(activity: Activity, action: str):
    return check(ACTIVITY_TRANSITIONS, action, activity.status, activity.get_status_display())


def clean_started_at(started_at: dt.datetime) -> dt.datetime:
    if started_at is None:
        raise Invalid(_("Please give the date and time."))
    if timezone.is_naive(started_at):
        started_at = timezone.make_aware(started_at)
    now = clock.now()
    if started_at > now + FUTURE_SLACK:
        raise Invalid(_("The activity cannot be in the future."))
    if started_at < now - dt.timedelta(days=BACKDATE_DAYS):
        raise Invalid(_("The activity is more than a year old; ask the congress staff to enter it."))
    return started_at


def _clean_numbers(voters_received: int, materials_handed_out: int) -> None:
    if not 0 <= (voters_received or 0) <= MAX_VOTERS:
        raise Invalid(_("The number of voters received is not plausible."))
    if not 0 <= (materials_handed_out or 0) <= MAX_MATERIALS:
        raise Invalid(_("The number of materials handed out is not plausible."))


def _clean_deputies(actor, deputies: Iterable, group: DeputyGroup | None) -> list[int]:
    """The attending deputies' ids: the acting deputy always, the others as picked; for an
    activity logged for a group, every attending deputy must be one of its members."""
    ids = {getattr(deputy, "pk", deputy) for deputy in deputies}
    deputy_id = scope_for(actor).deputy_id
    if deputy_id:
        ids.add(deputy_id)
    if not ids:
        raise Invalid(_("Please tick at least one deputy who was present."))
    found = set(Deputy.objects.filter(pk__in=ids, is_active=True).values_list("pk", flat=True))
    if found != ids:
        raise Invalid(_("Some of the deputies picked are not serving deputies."))
    if group is not None:
        members = set(group.members.filter(pk__in=ids).values_list("pk", flat=True))
        if members != ids:
            raise Invalid(_("For a deputy group's activity, tick only the group's members who were there."))
    return sorted(ids)


def _clean_group(actor, group: DeputyGroup | None) -> None:
    if group is None:
        return
    scope = scope_for(actor)
    if scope.deputy_id and group.members.filter(pk=scope.deputy_id).exists():
        return
    if DeputyGroup.objects.visible_to(actor).filter(pk=group.pk).exists():
        return
    raise NotAllowed(_("You may log activities only for a deputy group you belong to."))


def _clean_campaign(campaign: Campaign | None, started_at: dt.datetime) -> None:
    if campaign is None:
        return
    day = timezone.localtime(started_at).date()
    if not campaign.is_active or not campaign.starts_on <= day <= campaign.ends_on:
        raise Invalid(
            _("The campaign “%(name)s” runs from %(start)s to %(end)s; the activity is outside it.")
            % {"name": campaign.name, "start": campaign.starts_on, "end": campaign.ends_on}
        )


def _clean_grid(grid, station) -> None:
    if grid is not None and not grid.lies_under(station):
        raise Invalid(_("The grid “%(grid)s” is not in this station's area.") % {"grid": grid.name})


def _clean_opinions(opinions: Sequence[str]) -> list[str]:
    lines = [line.strip() for line in opinions if line and line.strip()]
    if len(lines) > MAX_OPINIONS:
        raise Invalid(_("At most %(n)s opinions at a time.") % {"n": MAX_OPINIONS})
    return lines


def _clean_summary(summary: str) -> str:
    summary = (summary or "").strip()
    if len(summary) > MAX_SUMMARY:
        raise Invalid(_("The summary is too long (at most %(n)s characters).") % {"n": MAX_SUMMARY})
    return summary


def _add_opinions(activity: Activity, lines: list[str], deputy_ids: list[int], actor) -> None:
    """Each line becomes an opinion in the lifecycle, received at the activity."""
    channel = channel_for(activity.activity_type)
    received_on = timezone.localtime(activity.started_at).date()
    for line in lines:
        opinion = opinion_create(
            content=line,
            channel=channel,
            station=activity.station,
            actor=actor,
            place=activity.place,
            deputies=deputy_ids,
            received_on=received_on,
            grid=activity.grid,
        )
        ActivityOpinion.objects.create(activity=activity, opinion=opinion)


def _add_photos(activity: Activity, photos: Sequence, actor) -> None:
    """Store prepared photos (see :func:`activities.photos.prepare_photo`)."""
    if not photos:
        return
    if activity.photos.count() + len(photos) > MAX_PHOTOS:
        raise Invalid(_("At most %(n)s photos per activity.") % {"n": MAX_PHOTOS})
    for photo in photos:
        width, height = getattr(photo, "image_size", (0, 0))
        ActivityPhoto.objects.create(
            activity=activity, image=photo, width=width, height=height, uploaded_by=actor if actor else None
        )


@transaction.atomic
def activity_create(
    *,
    station,
    activity_type: ActivityType,
    actor,
    started_at: dt.datetime | None = None,
    place: str = "",
    deputies: Iterable = (),
    group: DeputyGroup | None = None,
    campaign: Campaign | None = None,
    grid=None,
    voters_received: int = 0,
    materials_handed_out: int = 0,
    summary: str = "",
    opinions: Sequence[str] = (),
    photos: Sequence = (),
    idempotency_key=None,
) -> Activity:
    """Record an activity as *submitted*, with its attendance, the opinions taken (each an
    opinion in the lifecycle, linked to the activity) and its photos, all in one transaction.

    A deputy logs at the stations they are stationed in and is always among those present.
    With an ``idempotency_key`` already used by the same actor, nothing new is written and
    the activity recorded then is returned (``activity.was_repeated`` is true): a double
    submit or a retry after a dropped connection records one activity.
    """
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAllowed(_("Please log in first."))
    if idempotency_key:
        existing = Activity.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return _repeated(existing, actor)
    if not permissions.may_log_at(actor, station):
        raise NotAllowed(_("You may log activities only at the stations you are stationed in or manage."))
    if activity_type is None or not activity_type.is_active:
        raise Invalid(_("Please choose the type of activity."))
    started_at = clean_started_at(started_at or clock.now())
    _clean_numbers(voters_received, materials_handed_out)
    _clean_group(actor, group)
    deputy_ids = _clean_deputies(actor, deputies, group)
    _clean_campaign(campaign, started_at)
    _clean_grid(grid, station)
    lines = _clean_opinions(opinions)
    summary = _clean_summary(summary)
    if len(photos) > MAX_PHOTOS:
        raise Invalid(_("At most %(n)s photos per activity.") % {"n": MAX_PHOTOS})
    activity = Activity(
        station=station,
        activity_type=activity_type,
        started_at=started_at,
        place=(place or "").strip()[:200] or station.name,
        group=group,
        campaign=campaign,
        grid=grid,
        voters_received=voters_received or 0,
        materials_handed_out=materials_handed_out or 0,
        summary=summary,
        recorded_by=actor,
        idempotency_key=idempotency_key or None,
    )
    try:
        with transaction.atomic():
            activity.save()
    except IntegrityError:
        # The same key won a race with this request: answer with the activity it recorded.
        existing = Activity.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return _repeated(existing, actor)
    Attendance.objects.bulk_create([Attendance(activity=activity, deputy_id=pk) for pk in deputy_ids])
    activity_event(activity, "create", actor, to_status=activity.status)
    _add_opinions(activity, lines, deputy_ids, actor)
    _add_photos(activity, photos, actor)
    activity.was_repeated = False
    return activity


def _repeated(existing: Activity, actor) -> Activity:
    if existing.recorded_by_id != actor.pk:
        raise Invalid(_("This form was already sent by someone else; please reload it."))
    existing.was_repeated = True
    return existing


EDITABLE_FIELDS = (
    "activity_type",
    "started_at",
    "place",
    "group",
    "campaign",
    "grid",
    "voters_received",
    "materials_handed_out",
    "summary",
)


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    actor,
    deputies: Iterable | None = None,
    opinions: Sequence[str] = (),
    photos: Sequence = (),
    **changes,
) -> Activity:
    """Correct an activity not yet verified (only who recorded it may); a returned activity
    goes back to *submitted* for review. New opinion lines and photos are added; opinions
    already taken live on in the lifecycle and are not changed here."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    activity = lock_activity(activity)
    if not permissions.may_correct(actor, activity):
        if activity.recorded_by_id == getattr(actor, "pk", None):
            _check(activity, "update")  # explains why: the activity is verified
        raise NotAllowed(_("Only who recorded the activity may correct it, until it is verified."))
    action = "resubmit" if activity.status == ActivityStatus.RETURNED else "update"
    transition = _check(activity, action)
    if "activity_type" in changes and (changes["activity_type"] is None or not changes["activity_type"].is_active):
        raise Invalid(_("Please choose the type of activity."))
    if "started_at" in changes:
        changes["started_at"] = clean_started_at(changes["started_at"])
    _clean_numbers(
        changes.get("voters_received", activity.voters_received),
        changes.get("materials_handed_out", activity.materials_handed_out),
    )
    group = changes.get("group", activity.group)
    if "group" in changes:
        _clean_group(actor, group)
    if "summary" in changes:
        changes["summary"] = _clean_summary(changes["summary"])
    if "place" in changes:
        changes["place"] = (changes["place"] or "").strip()[:200] or activity.station.name
    _clean_campaign(changes.get("campaign", activity.campaign), changes.get("started_at", activity.started_at))
    _clean_grid(changes.get("grid"), activity.station)
    current_ids = sorted(activity.attendances.values_list("deputy_id", flat=True))
    deputy_ids = _clean_deputies(actor, current_ids if deputies is None else deputies, group)
    lines = _clean_opinions(opinions)

    changed = [name for name, value in changes.items() if getattr(activity, name) != value]
    for name in changed:
        setattr(activity, name, changes[name])
    if deputy_ids != current_ids:
        changed.append("deputies")
        activity.attendances.exclude(deputy_id__in=deputy_ids).delete()
        Attendance.objects.bulk_create(
            [Attendance(activity=activity, deputy_id=pk) for pk in deputy_ids if pk not in current_ids]
        )
    note = ", ".join(str(Activity._meta.get_field(name).verbose_name) for name in changed)
    if lines:
        note = "; ".join(filter(None, [note, _("%(n)s opinions added") % {"n": len(lines)}]))
    if photos:
        note = "; ".join(filter(None, [note, _("%(n)s photos added") % {"n": len(photos)}]))
    fields = {name: getattr(activity, name) for name in changed if name != "deputies"}
    fields.update(return_reason="")
    move_activity(activity, transition, actor, note=note, **fields)
    _add_opinions(activity, lines, deputy_ids, actor)
    _add_photos(activity, photos, actor)
    return activity


@transaction.atomic
def activity_verify(*, activity: Activity, actor, note: str = "") -> Activity:
    """Verify (审核) the activity: from now on it counts in figures and is shown publicly."""
    activity = lock_activity(activity)
    if not permissions.may_review(actor, activity):
        raise NotAllowed(_("Only the staff of the activity's station or township may review it."))
    transition = _check(activity, "verify")
    move_activity(activity, transition, actor, note=(note or "").strip(), verified_at=clock.now(), verified_by=actor)
    return activity


@transaction.atomic
def activity_return(*, activity: Activity, actor, reason: str) -> Activity:
    """Send the activity back to who recorded it, with the reason; they are notified, may
    correct it and resubmit."""
    activity = lock_activity(activity)
    if not permissions.may_review(actor, activity):
        raise NotAllowed(_("Only the staff of the activity's station or township may review it."))
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Please give the reason for returning the activity."))
    transition = _check(activity, "return")
    move_activity(activity, transition, actor, note=reason, return_reason=reason)
    if activity.recorded_by_id:
        notify(
            recipients=[activity.recorded_by_id],
            kind="activity_returned",
            title=_("Your activity of %(date)s was returned: please correct it")
            % {"date": f"{timezone.localtime(activity.started_at):%Y-%m-%d}"},
            body=reason,
            link=reverse("activities:edit", args=[activity.pk]),
        )
    return activity
