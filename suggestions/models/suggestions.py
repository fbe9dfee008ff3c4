"""Deputies' suggestions (代表建议), their numbering, attachments and trail of events."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from liaison import clock
from liaison.scope import scope_for

from .events import TrailEvent
from .handling import Assignment
from .opinions import new_tracking_code
from .rules import Tier


class Jurisdiction(models.TextChoices):
    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township")


class HandlingMode(models.TextChoices):
    TAKE_AND_DO = "take_and_do", _("Take and do (接单即办)")
    ON_SITE = "on_site", _("On-site coordination (现场协办)")
    JOINT = "joint", _("Joint handling (联合会办)")


class SuggestionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, awaiting review")
    REJECTED = "rejected", _("Not accepted")
    ACCEPTED = "accepted", _("Accepted, awaiting assignment")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("Being handled")
    REPLIED = "replied", _("Replied, awaiting rating")
    REHANDLING = "rehandling", _("Being handled again")
    RATED = "rated", _("Rated")
    CLOSED = "closed", _("Closed")
    JOINED = "joined", _("Joined to another suggestion")


OPEN_STATUSES = (
    SuggestionStatus.ACCEPTED,
    SuggestionStatus.ASSIGNED,
    SuggestionStatus.IN_PROGRESS,
    SuggestionStatus.REPLIED,
    SuggestionStatus.REHANDLING,
    SuggestionStatus.RATED,
)


class SuggestionCounter(models.Model):
    """The last number given to a suggestion in a year (numbers are ``YYYY-NNNN``)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"


class SuggestionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Suggestions the user may follow: staff by township (liaison officers their
        stations'), deputies their own (lead or co-signer), handlers those assigned to their
        department."""
        scope = scope_for(user)
        if scope.is_county:
            return self
        condition = Q(township_id__in=scope.township_ids) | Q(station_id__in=scope.liaison_station_ids)
        if scope.deputy_id:
            signed = self.model.co_signers.through.objects.filter(deputy_id=scope.deputy_id).values("suggestion_id")
            condition |= Q(lead_deputy_id=scope.deputy_id) | Q(pk__in=signed)
        if scope.department_ids:
            assigned = Assignment.objects.filter(department_id__in=scope.department_ids).values("suggestion_id")
            condition |= Q(pk__in=assigned)
        return self.filter(condition)


class Suggestion(models.Model):
    """A deputy's suggestion. Status and handling fields change only through
    :mod:`suggestions.workflow`, which writes a :class:`SuggestionEvent` for each change."""

    number = models.CharField(_("number"), max_length=12, unique=True, null=True, blank=True, editable=False)
    tracking_code = models.CharField(_("tracking code"), max_length=12, unique=True, default=new_tracking_code)
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(pgettext_lazy("text", "content"))
    category = models.ForeignKey("suggestions.Category", verbose_name=_("category"), on_delete=models.PROTECT)
    lead_deputy = models.ForeignKey(
        "deputies.Deputy", verbose_name=_("lead deputy"), on_delete=models.PROTECT, related_name="suggestions_led"
    )
    co_signers = models.ManyToManyField(
        "deputies.Deputy", verbose_name=_("co-signing deputies"), blank=True, related_name="suggestions_signed"
    )
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("station"),
        on_delete=models.PROTECT,
        related_name="suggestions",
        help_text=_("The station where the suggestion was raised; it decides the township."),
    )
    township = models.ForeignKey(
        "stations.Station",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="township_suggestions",
    )
    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=10, choices=Jurisdiction.choices, default=Jurisdiction.COUNTY
    )
    tier = models.CharField(_("tier"), max_length=12, choices=Tier.choices, blank=True, editable=False)
    handling_mode = models.CharField(
        _("handling mode"), max_length=12, choices=HandlingMode.choices, blank=True, editable=False
    )
    supervising_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervising leader"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="supervised_suggestions",
    )
    committee_supervised = models.BooleanField(_("under standing committee supervision"), default=False, editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=SuggestionStatus.choices, default=SuggestionStatus.DRAFT, editable=False
    )
    primary = models.ForeignKey(
        "self",
        verbose_name=_("joined to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="joined",
    )
    reply_published = models.BooleanField(_("reply published"), default=False, editable=False)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    accepted_at = models.DateTimeField(pgettext_lazy("suggestion", "accepted"), null=True, blank=True, editable=False)
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=clock.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["status", "tier"]),
            models.Index(fields=["township", "status"]),
            models.Index(fields=["category", "submitted_at"]),
        ]

    def __str__(self):
        return f"{self.number or _('draft')} {self.title}"

    def save(self, *args, **kwargs):
        self.township_id = self.station.township_id if self.station_id else None
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def handling_suggestion(self) -> "Suggestion":
        """The suggestion whose handling answers this one (itself unless joined)."""
        return self.primary if self.primary_id else self


def attachment_path(instance, filename):
    return f"suggestions/{instance.suggestion_id}/{filename}"


class SuggestionAttachment(models.Model):
    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("suggestion"), on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path)
    name = models.CharField(_("name"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=clock.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name


class SuggestionEvent(TrailEvent):
    """One step on a suggestion's trail: actor, time, from and to status, and a note.

    Assignment steps (accept, progress, reply, extension …) are recorded here too, with the
    assignment, so the suggestion's timeline is one ordered list.
    """

    statuses = SuggestionStatus

    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("suggestion"), on_delete=models.PROTECT, related_name="events"
    )
    assignment = models.ForeignKey(
        "suggestions.Assignment",
        verbose_name=_("assignment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    is_public = models.BooleanField(_("shown to the public"), default=True)

    class Meta(TrailEvent.Meta):
        verbose_name = _("suggestion event")
        verbose_name_plural = _("suggestion events")

    def __str__(self):
        return f"{self.suggestion_id} {self.action}"
