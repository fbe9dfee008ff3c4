"""Deputies, their mandates at each level, where they are stationed and their groups."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from liaison.scope import scope_for
from liaison.textnorm import format_phone, mask_phone
from stations.models import Station


class Level(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township")


LEVEL_ORDER = [choice.value for choice in Level]


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


def new_public_code() -> str:
    """A short random code for public URLs and QR codes (not guessable from the roster order)."""
    return secrets.token_hex(5)


class DeputyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def stationed(self):
        return self.filter(assignments__isnull=False).distinct()

    def visible_to(self, user):
        """Deputies the user may see with their personal data: those stationed in the stations
        the user manages, and the user's own record."""
        scope = scope_for(user)
        if scope.is_county:
            return self
        managed = Station.objects.managed_by(scope)
        stationed = StationAssignment.objects.filter(station__in=managed).values("deputy_id")
        own = Q(pk=scope.deputy_id) if scope.deputy_id else Q(pk__in=[])
        return self.filter(Q(pk__in=stationed) | own)


class DeputyGroupQuerySet(models.QuerySet):
    def visible_to(self, user):
        """County staff see every group; others the groups of their township(s), a liaison
        officer those of the townships of their stations."""
        scope = scope_for(user)
        if scope.is_county:
            return self
        townships = set(scope.township_ids)
        if scope.liaison_station_ranges:
            officer_townships = Station.objects.filter(pk__in=scope.liaison_station_ids).values_list(
                "township_id", flat=True
            )
            townships |= set(officer_townships)
        return self.filter(township_id__in=[t for t in townships if t])


class Deputy(models.Model):
    """A person who holds one or more deputy mandates (一人可兼多级代表)."""

    code = models.CharField(_("public code"), max_length=16, unique=True, default=new_public_code, editable=False)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50, db_index=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True)
    birth_month = models.DateField(
        _("birth month"), null=True, blank=True, help_text=_("Stored as the first day of the month.")
    )
    political_status = models.CharField(_("political affiliation"), max_length=30, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    unit_title = models.CharField(_("work unit and title"), max_length=200, blank=True)
    expertise = models.CharField(_("field of expertise"), max_length=100, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deputy",
    )
    is_active = models.BooleanField(_("serving"), default=True)
    grids_led = models.ManyToManyField(
        "stations.Grid",
        verbose_name=_("grids led"),
        blank=True,
        related_name="leaders",
        help_text=_("The grids (网格) this deputy leads as grid leader (网格长)."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = DeputyQuerySet.as_manager()

    class Meta:
        verbose_name = _("deputy")
        verbose_name_plural = _("deputies")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["phone"], condition=~Q(phone=""), name="unique_deputy_phone")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("deputies:detail", args=[self.code])

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def phone_display(self) -> str:
        return format_phone(self.phone)

    def level_labels(self) -> str:
        """Active mandate levels in constitutional order, e.g. ``县、乡镇``.

        Uses the prefetched ``mandates`` when present, so list pages stay at a fixed number of
        queries.
        """
        levels = {m.level for m in self.mandates.all() if m.is_active}
        return "、".join(str(Level(level).label) for level in LEVEL_ORDER if level in levels)

    level_labels.short_description = _("levels")


class Mandate(models.Model):
    """A deputy's seat at one level in one congress term (届)."""

    deputy = models.ForeignKey(Deputy, verbose_name=_("deputy"), on_delete=models.CASCADE, related_name="mandates")
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    term = models.CharField(_("term"), max_length=20, help_text=_("For example 第十八届."))
    constituency = models.CharField(_("constituency"), max_length=100, blank=True)
    is_active = models.BooleanField(_("in force"), default=True)

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        constraints = [models.UniqueConstraint(fields=["deputy", "level", "term"], name="one_mandate_per_level_term")]
        indexes = [models.Index(fields=["level", "is_active"])]

    def __str__(self):
        return f"{self.get_level_display()}{self.term}"


class AssignmentRole(models.TextChoices):
    MEMBER = "member", _("Member")
    MASTER = "master", _("Station master")


class StationAssignment(models.Model):
    """A deputy stationed (进驻) in a station, as member or as its station master."""

    deputy = models.ForeignKey(Deputy, verbose_name=_("deputy"), on_delete=models.CASCADE, related_name="assignments")
    station = models.ForeignKey(
        "stations.Station", verbose_name=_("station"), on_delete=models.CASCADE, related_name="assignments"
    )
    role = models.CharField(_("role"), max_length=10, choices=AssignmentRole.choices, default=AssignmentRole.MEMBER)
    created_at = models.DateTimeField(_("stationed since"), auto_now_add=True)

    class Meta:
        verbose_name = _("station assignment")
        verbose_name_plural = _("station assignments")
        constraints = [
            models.UniqueConstraint(fields=["deputy", "station"], name="one_assignment_per_station"),
            models.UniqueConstraint(fields=["station"], condition=Q(role="master"), name="one_master_per_station"),
        ]

    def __str__(self):
        return f"{self.deputy} @ {self.station}"


class GroupKind(models.TextChoices):
    REGIONAL = "regional", _("Regional group")
    FIELD = "field", _("Field group")


class DeputyGroup(models.Model):
    """A deputy group (代表小组) of mixed levels, by region or by field."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=GroupKind.choices, default=GroupKind.REGIONAL)
    township = models.ForeignKey(
        "stations.Station",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"kind": "center"},
        related_name="deputy_groups",
    )
    leader = models.ForeignKey(
        Deputy, verbose_name=_("leader"), on_delete=models.SET_NULL, null=True, blank=True, related_name="led_groups"
    )
    members = models.ManyToManyField(Deputy, verbose_name=_("members"), blank=True, related_name="groups")
    description = models.TextField(_("description"), blank=True)

    objects = DeputyGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("deputy group")
        verbose_name_plural = _("deputy groups")
        ordering = ["name"]

    def __str__(self):
        return self.name
