"""Voters' opinions (群众意见) and their trail of events."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from deputies.models import StationAssignment
from liaison import clock
from liaison.scope import scope_for
from liaison.textnorm import mask_phone

from ..labels import OPINION_ACTION_LABELS
from .events import TrailEvent

TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(10))


class Channel(models.TextChoices):
    RECEPTION_DAY = "reception_day", _("Reception day")
    HOME_VISIT = "home_visit", _("Home visit")
    MARKET_STALL = "market_stall", _("Market stall")
    PHONE = "phone", _("Phone")
    LETTER = "letter", _("Letter")
    STATION_QR = "station_qr", _("Online, station QR code")
    DEPUTY_QR = "deputy_qr", _("Online, deputy QR code")
    OTHER = "other", _("Other")


class OpinionStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    ANSWERED = "answered", _("Answered on the spot")
    MERGED = "merged", _("Merged into a suggestion")
    DECLINED = "declined", _("Declined")


def deputy_condition(deputy_id: int) -> Q:
    """A deputy's opinions: those they received, and those sent to one of their stations
    without naming a deputy (the station's QR code)."""
    addressed = Opinion.deputies.through.objects
    received = addressed.filter(deputy_id=deputy_id).values("opinion_id")
    stations = StationAssignment.objects.filter(deputy_id=deputy_id).values("station_id")
    return Q(pk__in=received) | (Q(station_id__in=stations) & ~Q(pk__in=addressed.values("opinion_id")))


class OpinionQuerySet(models.QuerySet):
    def of_deputy(self, deputy_id: int):
        """A deputy's opinions (see :func:`deputy_condition`)."""
        return self.filter(deputy_condition(deputy_id))

    def visible_to(self, user):
        """Opinions with voters' data: county staff all; township staff their township's;
        liaison officers their stations'; deputies theirs (see :meth:`of_deputy`)."""
        scope = scope_for(user)
        if scope.is_county:
            return self
        condition = Q(station__township_id__in=scope.township_ids) | Q(station_id__in=scope.liaison_station_ids)
        if scope.deputy_id:
            condition |= deputy_condition(scope.deputy_id)
        return self.filter(condition)


class Opinion(models.Model):
    """An opinion brought by a voter, in person or online. Its status changes only through
    :mod:`suggestions.workflow`."""

    tracking_code = models.CharField(_("tracking code"), max_length=12, unique=True, default=new_tracking_code)
    content = models.TextField(pgettext_lazy("text", "content"))
    category = models.ForeignKey(
        "suggestions.Category", verbose_name=_("category"), on_delete=models.PROTECT, null=True, blank=True
    )
    place = models.CharField(_("village or community"), max_length=100, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    station = models.ForeignKey(
        "stations.Station", verbose_name=_("station"), on_delete=models.PROTECT, related_name="opinions"
    )
    grid = models.ForeignKey(
        "stations.Grid",
        verbose_name=_("grid"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opinions",
    )
    deputies = models.ManyToManyField(
        "deputies.Deputy", verbose_name=_("receiving deputies"), blank=True, related_name="opinions_received"
    )
    voter_name = models.CharField(_("voter's name"), max_length=50, blank=True)
    voter_phone = models.CharField(_("voter's phone"), max_length=20, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=OpinionStatus.choices, default=OpinionStatus.RECEIVED, editable=False
    )
    suggestion = models.ForeignKey(
        "suggestions.Suggestion",
        verbose_name=_("suggestion"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="source_opinions",
    )
    answer = models.TextField(_("answer given"), blank=True, editable=False)
    decline_reason = models.TextField(_("reason for declining"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    received_on = models.DateField(_("received on"))
    created_at = models.DateTimeField(_("created"), default=clock.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OpinionQuerySet.as_manager()

    class Meta:
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["status", "station"]), models.Index(fields=["received_on"])]

    def __str__(self):
        return f"{self.tracking_code} {self.content[:20]}"

    @property
    def voter_phone_masked(self) -> str:
        return mask_phone(self.voter_phone)

    @property
    def is_open(self) -> bool:
        return self.status in (OpinionStatus.RECEIVED, OpinionStatus.ACCEPTED)


class OpinionEvent(TrailEvent):
    """One change on an opinion's trail: who, when, from which status to which, and why."""

    statuses = OpinionStatus
    action_labels = OPINION_ACTION_LABELS

    opinion = models.ForeignKey(Opinion, verbose_name=_("opinion"), on_delete=models.PROTECT, related_name="events")

    class Meta(TrailEvent.Meta):
        verbose_name = _("opinion event")
        verbose_name_plural = _("opinion events")

    def __str__(self):
        return f"{self.opinion_id} {self.from_status}→{self.to_status}"
