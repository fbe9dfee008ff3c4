"""Deputies' activities (履职活动): who was where, when, with whom; attendance, photos,
the opinions taken, and the trail of events."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison import clock
from liaison.scope import Scope, scope_for
from suggestions.models.events import TrailEvent

from ..labels import ACTIVITY_ACTION_LABELS


class ActivityStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting review")
    VERIFIED = "verified", _("Verified")
    RETURNED = "returned", _("Returned")


def staff_condition(scope: Scope, prefix: str = "station__") -> Q | None:
    """A filter on rows with a station (through ``prefix``) that ``scope`` manages as staff:
    ``None`` for county staff (everything), an empty match for non-staff."""
    if scope.is_county:
        return None
    condition = Q(**{f"{prefix}township_id__in": scope.township_ids})
    for _station_id, tree_id, lft, rght in scope.liaison_station_ranges:
        condition |= Q(**{f"{prefix}tree_id": tree_id, f"{prefix}lft__gte": lft, f"{prefix}rght__lte": rght})
    return condition


def deputy_activities_condition(deputy_id: int, user_id: int | None = None) -> Q:
    """A deputy's activities: those they attended, and those they recorded."""
    attended = Attendance.objects.filter(deputy_id=deputy_id).values("activity_id")
    condition = Q(pk__in=attended)
    if user_id:
        condition |= Q(recorded_by_id=user_id)
    return condition


class ActivityQuerySet(models.QuerySet):
    def verified(self):
        """The activities that count in figures."""
        return self.filter(status=ActivityStatus.VERIFIED)

    def of_deputy(self, deputy_id: int, user_id: int | None = None):
        return self.filter(deputy_activities_condition(deputy_id, user_id))

    def visible_to(self, user):
        """County staff see all; township staff their township's; a liaison officer those of
        their station(s) and the stations below; a deputy those they attended or recorded.
        (The public reads verified activities through :mod:`activities.selectors` only.)"""
        scope = scope_for(user)
        condition = staff_condition(scope)
        if condition is None:
            return self
        if scope.deputy_id:
            condition |= deputy_activities_condition(scope.deputy_id, scope.user_id)
        return self.filter(condition)


class Activity(models.Model):
    """One activity of one or more deputies at a station. Its status changes only through
    :mod:`activities.workflow`; only verified activities count in figures."""

    station = models.ForeignKey(
        "stations.Station", verbose_name=_("station"), on_delete=models.PROTECT, related_name="activities"
    )
    activity_type = models.ForeignKey(
        "activities.ActivityType", verbose_name=_("type"), on_delete=models.PROTECT, related_name="activities"
    )
    started_at = models.DateTimeField(_("date and time"), default=clock.now)
    place = models.CharField(_("place"), max_length=200, blank=True)
    deputies = models.ManyToManyField(
        "deputies.Deputy",
        verbose_name=_("deputies present"),
        through="activities.Attendance",
        related_name="activities",
    )
    group = models.ForeignKey(
        "deputies.DeputyGroup",
        verbose_name=_("deputy group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    grid = models.ForeignKey(
        "stations.Grid",
        verbose_name=_("grid"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    campaign = models.ForeignKey(
        "activities.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    voters_received = models.PositiveIntegerField(_("voters received"), default=0)
    materials_handed_out = models.PositiveIntegerField(_("materials handed out"), default=0)
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ActivityStatus.choices,
        default=ActivityStatus.SUBMITTED,
        editable=False,
    )
    return_reason = models.TextField(_("reason for returning"), blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    idempotency_key = models.UUIDField(_("submission key"), unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=clock.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True, editable=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["station", "started_at"]),
            models.Index(fields=["status", "started_at"]),
            models.Index(fields=["campaign", "status"]),
        ]

    def __str__(self):
        return f"{self.activity_type} {timezone.localtime(self.started_at):%Y-%m-%d}"

    @property
    def is_editable(self) -> bool:
        """A deputy may still correct the activity (until staff verify it)."""
        return self.status in (ActivityStatus.SUBMITTED, ActivityStatus.RETURNED)


class Attendance(models.Model):
    """A deputy present at an activity (the attendance register, 出勤簿)."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="attendances"
    )
    deputy = models.ForeignKey(
        "deputies.Deputy", verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="attendances"
    )
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [models.UniqueConstraint(fields=["activity", "deputy"], name="one_attendance_per_deputy")]

    def __str__(self):
        return f"{self.deputy_id} @ {self.activity_id}"


def photo_path(instance, filename: str) -> str:
    """Private storage path; the name is random, never the uploader's."""
    return f"private/activities/{clock.today():%Y/%m}/{filename}"


class ActivityPhoto(models.Model):
    """A photo of an activity: checked by content, resized and stripped of EXIF (GPS
    included) on upload by :mod:`activities.photos`; served only to who may see the activity."""

    activity = models.ForeignKey(Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to=photo_path)
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), default=clock.now)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.activity_id} #{self.pk}"


class ActivityOpinion(models.Model):
    """An opinion taken during an activity (the opinion itself lives in the lifecycle)."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.PROTECT, related_name="opinion_links"
    )
    opinion = models.OneToOneField(
        "suggestions.Opinion", verbose_name=_("opinion"), on_delete=models.PROTECT, related_name="activity_link"
    )

    class Meta:
        verbose_name = _("opinion taken")
        verbose_name_plural = _("opinions taken")

    def __str__(self):
        return f"{self.activity_id} → {self.opinion_id}"


class ActivityEvent(TrailEvent):
    """One change on an activity's trail: who, when, from which status to which, and why."""

    statuses = ActivityStatus
    action_labels = ACTIVITY_ACTION_LABELS

    activity = models.ForeignKey(Activity, verbose_name=_("activity"), on_delete=models.PROTECT, related_name="events")

    class Meta(TrailEvent.Meta):
        verbose_name = _("activity event")
        verbose_name_plural = _("activity events")

    def __str__(self):
        return f"{self.activity_id} {self.action}"


__all__ = [
    "Activity",
    "ActivityEvent",
    "ActivityOpinion",
    "ActivityPhoto",
    "ActivityQuerySet",
    "ActivityStatus",
    "Attendance",
    "deputy_activities_condition",
    "staff_condition",
]
