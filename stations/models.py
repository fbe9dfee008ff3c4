"""The station network: a tree of liaison stations, their reception schedule and standards."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from mptt.managers import TreeManager
from mptt.models import MPTTModel, TreeForeignKey

from liaison.scope import Scope, scope_for
from liaison.textnorm import format_phone


class StationKind(models.TextChoices):
    COUNTY_HUB = "county_hub", _("County hub")
    CENTER = "center", _("Township center station")
    AREA = "area", _("Area station")
    VILLAGE = "village", _("Village station")
    POINT = "point", _("Liaison point")
    STUDIO = "studio", _("Deputy studio")
    CROSS_BORDER = "cross_border", _("Cross-border station")
    INDUSTRY = "industry", _("Industry station")


class ReceptionFrequency(models.TextChoices):
    NONE = "none", _("By appointment")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    DATES = "dates", _("On set dates")


def managed_condition(scope: Scope) -> Q | None:
    """A filter on Station for what ``scope`` may manage; ``None`` means everything.

    Township staff manage their township's stations; a liaison officer their station(s) and
    the stations below (one range condition per station on django-mptt's columns).
    """
    if scope.is_county:
        return None
    condition = Q(township_id__in=scope.township_ids)
    for _station_id, tree_id, lft, rght in scope.liaison_station_ranges:
        condition |= Q(tree_id=tree_id, lft__gte=lft, rght__lte=rght)
    return condition


class StationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def refresh_townships(self, tree_ids=None) -> None:
        """Recompute ``township`` for every node of the given trees (all trees if None).

        A node's township is the center station at or above it. Centers sit directly under a
        county hub, so their subtrees never overlap and one UPDATE per center is enough.
        """
        nodes = self.model.objects.all()
        if tree_ids is not None:
            nodes = nodes.filter(tree_id__in=list(tree_ids))
        centers = list(nodes.filter(kind=StationKind.CENTER).values_list("id", "tree_id", "lft", "rght"))
        nodes.exclude(township=None).update(township=None)
        for center_id, tree_id, lft, rght in centers:
            self.model.objects.filter(tree_id=tree_id, lft__gte=lft, rght__lte=rght).update(township_id=center_id)

    def managed_by(self, scope: Scope):
        """The stations ``scope`` may manage (see :func:`managed_condition`)."""
        condition = managed_condition(scope)
        return self if condition is None else self.filter(condition)

    def visible_to(self, user):
        """Stations the user may see in the staff pages (not the public pages, which show all):
        those they manage, and for a deputy the stations they are stationed in."""
        scope = scope_for(user)
        condition = managed_condition(scope)
        if condition is None:
            return self
        if scope.deputy_id:
            return self.filter(condition | Q(assignments__deputy_id=scope.deputy_id)).distinct()
        return self.filter(condition)

    def townships(self):
        """The township center stations, which stand for their township (镇/街道)."""
        return self.filter(kind=StationKind.CENTER)


class Station(MPTTModel):
    """A liaison station, point or studio, placed in the county's tree.

    A township is represented by its center station (中心联络站): ``township`` points to the
    nearest center station at or above this node. ``save()`` derives it for the node, and
    ``Station.objects.refresh_townships()`` for whole trees after moves and imports.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=StationKind.choices, db_index=True)
    parent = TreeForeignKey(
        "self",
        verbose_name=_("parent station"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    township = models.ForeignKey(
        "self",
        verbose_name=_("township"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="township_stations",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    liaison_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("liaison officer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="liaison_stations",
    )
    village_count = models.PositiveIntegerField(
        _("administrative villages"),
        default=0,
        help_text=_(
            "Center stations only: the number of administrative villages and communities "
            "in the township, used for the coverage figure."
        ),
    )
    reception_frequency = models.CharField(
        _("reception frequency"),
        max_length=10,
        choices=ReceptionFrequency.choices,
        default=ReceptionFrequency.NONE,
    )
    reception_day = models.PositiveSmallIntegerField(
        _("reception day"),
        null=True,
        blank=True,
        help_text=_("Monthly: day of the month (1–31). Weekly: day of the week (1 = Monday … 7 = Sunday)."),
    )
    reception_start = models.TimeField(_("reception starts"), null=True, blank=True)
    reception_end = models.TimeField(_("reception ends"), null=True, blank=True)
    reception_note = models.CharField(_("reception note"), max_length=200, blank=True)
    deputies_per_reception = models.PositiveSmallIntegerField(
        _("deputies on duty per reception day"),
        default=2,
        help_text=_("The duty roster's rotation puts at least this many deputies on duty each reception day."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = TreeManager.from_queryset(StationQuerySet)()

    class MPTTMeta:
        order_insertion_by = ["code"]

    class Meta:
        verbose_name = _("station")
        verbose_name_plural = _("stations")
        indexes = [models.Index(fields=["township", "kind"])]

    def __str__(self):
        return self.name

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_shape = (instance.__dict__.get("parent_id"), instance.__dict__.get("kind"))
        return instance

    def save(self, *args, **kwargs):
        """Save, then derive the township of this node (and of its subtree if it changed shape)."""
        loaded = getattr(self, "_loaded_shape", None)
        reshaped = loaded is not None and loaded != (self.parent_id, self.kind)
        super().save(*args, **kwargs)
        self._loaded_shape = (self.parent_id, self.kind)
        if reshaped and not self.is_leaf_node():
            Station.objects.refresh_townships([self.tree_id])
            self.refresh_from_db(fields=["township"])
            return
        if self.kind == StationKind.CENTER:
            township_id = self.pk
        else:
            township_id = self.parent.township_id if self.parent_id else None
        if township_id != self.township_id:
            Station.objects.filter(pk=self.pk).update(township_id=township_id)
            self.township_id = township_id

    def get_absolute_url(self):
        return reverse("stations:detail", args=[self.code])

    @property
    def phone_display(self) -> str:
        return format_phone(self.phone)

    def clean(self):
        super().clean()
        errors = {}
        parent = self.parent if self.parent_id else None
        if self.kind == StationKind.COUNTY_HUB and parent:
            errors["parent"] = _("A county hub is the root of the network and has no parent.")
        elif self.kind != StationKind.COUNTY_HUB and not parent:
            errors["parent"] = _("Every station except the county hub needs a parent station.")
        elif parent and parent.kind == StationKind.POINT:
            errors["parent"] = _("A liaison point cannot have stations below it.")
        elif self.kind == StationKind.CENTER and parent and parent.kind != StationKind.COUNTY_HUB:
            errors["parent"] = _("A township center station must sit directly under the county hub.")
        if self.reception_frequency == ReceptionFrequency.MONTHLY and not (
            self.reception_day and 1 <= self.reception_day <= 31
        ):
            errors["reception_day"] = _("For a monthly reception, enter a day of the month between 1 and 31.")
        if self.reception_frequency == ReceptionFrequency.WEEKLY and not (
            self.reception_day and 1 <= self.reception_day <= 7
        ):
            errors["reception_day"] = _("For a weekly reception, enter a weekday between 1 and 7.")
        if self.deputies_per_reception is not None and self.deputies_per_reception < 1:
            errors["deputies_per_reception"] = _("At least one deputy must be on duty.")
        if self.reception_start and self.reception_end and self.reception_end <= self.reception_start:
            errors["reception_end"] = _("The reception must end after it starts.")
        if errors:
            raise ValidationError(errors)

    def reception_schedule_display(self) -> str:
        """The reception schedule in words, e.g. ``每月15日 09:00–12:00``."""
        if self.reception_frequency == ReceptionFrequency.MONTHLY and self.reception_day:
            text = gettext("Monthly on day %(day)s") % {"day": self.reception_day}
        elif self.reception_frequency == ReceptionFrequency.WEEKLY and self.reception_day:
            text = gettext("Every %(weekday)s") % {"weekday": WEEKDAYS[(self.reception_day - 1) % 7]}
        elif self.reception_frequency == ReceptionFrequency.DATES:
            text = gettext("On the dates announced")
        else:
            text = gettext("No fixed day, please call ahead")
        if self.reception_start and self.reception_end:
            text += f" {self.reception_start:%H:%M}–{self.reception_end:%H:%M}"
        if self.reception_note:
            text += f"（{self.reception_note}）"
        return text

    reception_schedule_display.short_description = _("reception schedule")


class ReceptionDate(models.Model):
    """One set reception day of a station whose schedule is "on set dates" (a list the
    liaison officer keeps, e.g. market days or the days announced each quarter)."""

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.CASCADE, related_name="reception_dates"
    )
    day = models.DateField(_("day"))
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("reception date")
        verbose_name_plural = _("reception dates")
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["station", "day"], name="one_reception_date_per_day")]
        indexes = [models.Index(fields=["day"])]

    def __str__(self):
        return f"{self.station} {self.day:%Y-%m-%d}"


GRID_STATION_KINDS = (StationKind.VILLAGE, StationKind.AREA)


class GridQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, station__is_active=True)

    def under(self, station):
        """The grids of ``station`` and of the stations below it (a township's, an area's)."""
        return self.filter(
            station__tree_id=station.tree_id, station__lft__gte=station.lft, station__rght__lte=station.rght
        )

    def visible_to(self, user):
        """Grids of the stations the user may see in the staff pages (the public pages show
        every active grid of a station)."""
        return self.filter(station__in=Station.objects.visible_to(user))


class Grid(models.Model):
    """A grid (网格): a named area under a village or community station, e.g. a few streets
    or hamlets. Its leaders (网格长) are deputies, linked from ``deputies`` (``Deputy.grids_led``)
    because the station network does not know about deputies."""

    station = models.ForeignKey(Station, verbose_name=_("station"), on_delete=models.PROTECT, related_name="grids")
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = GridQuerySet.as_manager()

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["station", "code"]
        constraints = [models.UniqueConstraint(fields=["station", "name"], name="unique_grid_name_per_station")]

    def __str__(self):
        return self.name

    def lies_under(self, station) -> bool:
        """Whether this grid belongs to ``station`` or to a station below it."""
        own = self.station
        return own.tree_id == station.tree_id and station.lft <= own.lft and own.rght <= station.rght

    def clean(self):
        super().clean()
        if self.station_id and self.station.kind not in GRID_STATION_KINDS:
            raise ValidationError({"station": grid_station_problem()})


def grid_station_problem() -> str:
    return gettext("A grid lies under a village (community) or area station.")


WEEKDAYS = [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday")]


class StandardChecklist(models.Model):
    """A standards checklist such as "十有" or "六个有", assessed per station and year."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("standards checklist")
        verbose_name_plural = _("standards checklists")

    def __str__(self):
        return self.name


class StandardItem(models.Model):
    checklist = models.ForeignKey(
        StandardChecklist, verbose_name=_("checklist"), on_delete=models.CASCADE, related_name="items"
    )
    title = models.CharField(_("item"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["checklist", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["checklist", "title"], name="unique_item_per_checklist")]

    def __str__(self):
        return self.title


class StationAssessment(models.Model):
    """One station's yearly assessment against a checklist: which items it meets."""

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.CASCADE, related_name="assessments"
    )
    checklist = models.ForeignKey(
        StandardChecklist, verbose_name=_("checklist"), on_delete=models.PROTECT, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    met_items = models.ManyToManyField(StandardItem, verbose_name=_("items met"), blank=True)
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("standards assessment")
        verbose_name_plural = _("standards assessments")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["station", "checklist", "year"], name="one_assessment_per_station_year")
        ]

    def __str__(self):
        return f"{self.station} {self.year} {self.checklist}"
