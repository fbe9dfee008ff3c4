"""Who a staff user is in the congress office: county staff or a township's staff."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import clock


class Role(models.TextChoices):
    COUNTY_STAFF = "county_staff", _("County congress staff")
    TOWNSHIP_STAFF = "township_staff", _("Township congress staff")
    STATION_LIAISON = "station_liaison", _("Station liaison officer")
    DEPUTY = "deputy", _("Deputy")
    DEPARTMENT_HANDLER = "department_handler", _("Department handler")


class StaffProfile(models.Model):
    """The office a congress staff user works for.

    Only the two congress-staff roles are stored here. The other roles follow from the
    records themselves: a station's liaison officer, a deputy's login, a department's
    contact users (see :mod:`liaison.scope`).
    """

    STAFF_ROLES = [
        (Role.COUNTY_STAFF.value, Role.COUNTY_STAFF.label),
        (Role.TOWNSHIP_STAFF.value, Role.TOWNSHIP_STAFF.label),
    ]

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="staff_profile"
    )
    role = models.CharField(_("role"), max_length=20, choices=STAFF_ROLES)
    township = models.ForeignKey(
        "stations.Station",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"kind": "center"},
        related_name="staff_profiles",
    )
    title = models.CharField(pgettext_lazy("job", "title"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    is_leader = models.BooleanField(
        _("standing committee leader"),
        default=False,
        help_text=_("Receives second-level escalations (overdue suggestions and repeated dissatisfaction)."),
    )

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"

    def clean(self):
        super().clean()
        if self.role == Role.TOWNSHIP_STAFF and not self.township_id:
            raise ValidationError({"township": _("Township staff must have a township.")})
        if self.role == Role.COUNTY_STAFF and self.township_id:
            raise ValidationError({"township": _("County staff belong to no township; leave the township empty.")})


class CalendarOverride(models.Model):
    """A local correction to the working-day calendar.

    Overrides win over the ``chinesecalendar`` package: a county may add a local holiday, or
    enter next year's statutory holidays and make-up workdays (调休) before the package knows
    them. A year with no override that the package does not know falls back to Monday–Friday,
    with a warning.
    """

    day = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(
        _("working day"), help_text=_("Ticked: a working day (e.g. a make-up Saturday). Unticked: a day off.")
    )
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["day"]

    def __str__(self):
        return f"{self.day:%Y-%m-%d} {self.note}"


class Notification(models.Model):
    """One message in a user's in-app inbox; e-mail and SMS copies are :class:`Delivery` rows."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("sent"), default=clock.now, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.title


class DeliveryChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed, will retry")
    GAVE_UP = "gave_up", _("Failed, gave up")


class Delivery(models.Model):
    """A copy of a notification sent through an outside channel, retried with backoff."""

    notification = models.ForeignKey(
        Notification, verbose_name=_("notification"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=DeliveryChannel.choices)
    address = models.CharField(_("address"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-id"]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.address}"


class ReminderClock(models.TextChoices):
    ACCEPTANCE = "acceptance", _("Assignment not accepted")
    DUE_SOON = "due_soon", _("Reply due soon")
    DUE_TODAY = "due_today", _("Reply due today")
    OVERDUE = "overdue", _("Reply overdue")
    ESCALATION_1 = "escalation_1", _("Escalation, first level")
    ESCALATION_2 = "escalation_2", _("Escalation, second level")
    MONTHLY_REPORT = "monthly_report", _("Monthly progress report (月督办)")
    CO_DUE_SOON = "co_due_soon", _("Co-handler input due soon")
    CO_OVERDUE = "co_overdue", _("Co-handler input overdue")
    FEEDBACK_DUE = "feedback_due", _("Rating window closing")
    FEEDBACK_LAPSED = "feedback_lapsed", _("Rating window passed without a rating")
    COMMITMENT_DUE_SOON = "commitment_due_soon", _("Commitment due soon")
    COMMITMENT_OVERDUE = "commitment_overdue", _("Commitment overdue")
    RECEPTION_DAY = "reception_day", _("Reception day tomorrow")
    MANUAL = "manual", _("Manual reminder")


class ReminderRule(models.Model):
    """When a reminder of one clock goes out, for one tier (or all tiers).

    ``offset`` counts working days: before the due date for "due soon" clocks, after the
    assignment for acceptance, after the due date for overdue and escalation clocks.
    ``repeat_every`` (working days) repeats a reminder while the condition holds; 0 sends it once.
    """

    TIERS = [
        ("", _("All tiers")),
        ("immediate", _("Immediate")),
        ("fast", _("Fast-assign")),
        ("supervised", _("Supervised")),
    ]

    clock = models.CharField(_("clock"), max_length=20, choices=ReminderClock.choices)
    tier = models.CharField(_("tier"), max_length=12, choices=TIERS, blank=True)
    offset = models.PositiveSmallIntegerField(_("offset (working days)"), default=0)
    repeat_every = models.PositiveSmallIntegerField(_("repeat every (working days)"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("reminder rule")
        verbose_name_plural = _("reminder rules")
        ordering = ["clock", "tier"]
        constraints = [models.UniqueConstraint(fields=["clock", "tier"], name="one_rule_per_clock_and_tier")]

    def __str__(self):
        return f"{self.get_clock_display()} {self.get_tier_display()}"


class ReminderLog(models.Model):
    """A reminder that went out: once per item, clock and occurrence (the unique key makes a
    second scan, a retried task or a second worker a no-op)."""

    item_type = models.CharField(_("item type"), max_length=20)
    item_id = models.PositiveBigIntegerField(_("item"))
    clock = models.CharField(_("clock"), max_length=20, choices=ReminderClock.choices)
    occurrence = models.CharField(_("occurrence"), max_length=40)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["item_type", "item_id", "clock", "occurrence"], name="remind_once")
        ]

    def __str__(self):
        return f"{self.item_type}#{self.item_id} {self.clock} {self.occurrence}"
