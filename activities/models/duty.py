"""Duty rosters (值班表) of the reception days: who is on duty at which station on which day,
their check-in, missed duties, leave requests (请假), and the trail of every change.

Statuses change only through :mod:`activities.workflow.duty`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison import clock
from liaison.scope import scope_for
from suggestions.models.events import TrailEvent

from ..labels import DUTY_ACTION_LABELS
from .activities import staff_condition


class DutyStatus(models.TextChoices):
    PLANNED = "planned", _("On duty")
    CHECKED_IN = "checked_in", _("Checked in")
    MISSED = "missed", _("Missed")
    ON_LEAVE = "on_leave", _("On leave")


class LeaveStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting decision")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


def _visible_condition(user, prefix: str) -> Q | None:
    """Staff see the duties of the stations they manage; a deputy their own."""
    scope = scope_for(user)
    condition = staff_condition(scope, prefix=f"{prefix}station__")
    if condition is None:
        return None
    if scope.deputy_id:
        condition |= Q(**{f"{prefix}deputy_id": scope.deputy_id})
    return condition


class DutyAssignmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """County staff all; township staff their township's; a liaison officer their
        station(s) and those below; a deputy their own duties."""
        condition = _visible_condition(user, "")
        return self if condition is None else self.filter(condition)

    def missed(self, today=None):
        """Duties past their day without a check-in or an approved leave: marked missed, or
        still planned because the nightly sweep has not passed yet."""
        today = today or clock.today()
        return self.filter(Q(status=DutyStatus.MISSED) | Q(status=DutyStatus.PLANNED, day__lt=today))


class DutyAssignment(models.Model):
    """One deputy on duty at one station on one reception day."""

    station = models.ForeignKey(
        "stations.Station", verbose_name=_("station"), on_delete=models.PROTECT, related_name="duties"
    )
    day = models.DateField(_("day"))
    deputy = models.ForeignKey(
        "deputies.Deputy", verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="duties"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=DutyStatus.choices, default=DutyStatus.PLANNED, editable=False
    )
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True, editable=False)
    activity = models.ForeignKey(
        "activities.Activity",
        verbose_name=_("activity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="duties",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("put on duty by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=clock.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = DutyAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("duty")
        verbose_name_plural = _("duty roster")
        ordering = ["day", "station", "deputy"]
        constraints = [
            models.UniqueConstraint(fields=["station", "day", "deputy"], name="one_duty_per_deputy_station_day")
        ]
        indexes = [models.Index(fields=["deputy", "day"]), models.Index(fields=["day", "status"])]

    def __str__(self):
        return f"{self.deputy} @ {self.station} {self.day:%Y-%m-%d}"


class LeaveRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        condition = _visible_condition(user, "duty__")
        return self if condition is None else self.filter(condition)

    def pending(self):
        return self.filter(status=LeaveStatus.PENDING)


class LeaveRequest(models.Model):
    """A deputy's request to be excused (请假) from one duty, asked before the day; staff who
    manage the station approve (the duty turns "on leave") or refuse it."""

    duty = models.ForeignKey(
        DutyAssignment, verbose_name=_("duty"), on_delete=models.PROTECT, related_name="leave_requests"
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=LeaveStatus.choices, default=LeaveStatus.PENDING, editable=False
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("asked"), default=clock.now, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)
    decision_note = models.TextField(_("decision note"), blank=True, editable=False)

    objects = LeaveRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["duty"], condition=Q(status="pending"), name="one_pending_leave_request_per_duty"
            )
        ]

    def __str__(self):
        return f"{self.duty} ({self.get_status_display()})"


class DutyEvent(TrailEvent):
    """One change on the roster's trail. It keeps station, day and deputy, so the trail
    survives a planned duty that staff took off the roster."""

    statuses = DutyStatus
    action_labels = DUTY_ACTION_LABELS

    duty = models.ForeignKey(
        DutyAssignment,
        verbose_name=_("duty"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    station = models.ForeignKey(
        "stations.Station", verbose_name=_("station"), on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("day"))
    deputy = models.ForeignKey("deputies.Deputy", verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="+")

    class Meta(TrailEvent.Meta):
        verbose_name = _("duty event")
        verbose_name_plural = _("duty events")
        indexes = [models.Index(fields=["station", "day"])]

    def __str__(self):
        return f"{self.deputy_id} {self.day:%Y-%m-%d} {self.action}"


__all__ = [
    "DutyAssignment",
    "DutyEvent",
    "DutyStatus",
    "LeaveRequest",
    "LeaveStatus",
]
