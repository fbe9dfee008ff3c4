"""Campaigns (主题活动): a themed period with targets per township or deputy group."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison import clock


class Measure(models.TextChoices):
    ACTIVITIES_LED = "activities_led", _("Activities led")
    OPINIONS_COLLECTED = "opinions_collected", _("Opinions collected")
    SUGGESTIONS_FORMED = "suggestions_formed", _("Suggestions formed")
    PROBLEMS_SOLVED = "problems_solved", _("Problems solved")
    VOTERS_RECEIVED = "voters_received", _("Voters received")


class CampaignQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def open_on(self, day):
        """Active campaigns running on ``day`` (the ones a deputy may tag an activity with)."""
        return self.active().filter(starts_on__lte=day, ends_on__gte=day)


class Campaign(models.Model):
    """A campaign such as "更好发挥人大代表作用" (2026-05-01 to 2026-07-31). Staff define it and
    its targets; activities (and through them their opinions) and suggestions carry it."""

    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=clock.now, editable=False)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "name"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_dates")]

    def __str__(self):
        return self.name


class CampaignTarget(models.Model):
    """A target of a campaign for one township (its center station) or one deputy group,
    e.g. "each township leads at least one activity" (三个一)."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="targets")
    township = models.ForeignKey(
        "stations.Station",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"kind": "center"},
        related_name="+",
    )
    group = models.ForeignKey(
        "deputies.DeputyGroup",
        verbose_name=_("deputy group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    target = models.PositiveIntegerField(_("target"), default=1)

    class Meta:
        verbose_name = _("campaign target")
        verbose_name_plural = _("campaign targets")
        ordering = ["campaign", "measure", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(township__isnull=False) & Q(group__isnull=True))
                | (Q(township__isnull=True) & Q(group__isnull=False)),
                name="target_township_or_group",
            ),
        ]

    def __str__(self):
        return f"{self.township or self.group}: {self.get_measure_display()} ≥ {self.target}"


class CampaignSuggestion(models.Model):
    """A suggestion tagged with a campaign by staff (suggestions cannot know campaigns, so the
    tag lives here). Suggestions formed from a campaign activity's opinions count without it."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="suggestion_tags"
    )
    suggestion = models.OneToOneField(
        "suggestions.Suggestion", verbose_name=_("suggestion"), on_delete=models.CASCADE, related_name="campaign_tag"
    )
    tagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("tagged by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    tagged_at = models.DateTimeField(_("tagged"), default=clock.now)

    class Meta:
        verbose_name = _("campaign suggestion")
        verbose_name_plural = _("campaign suggestions")

    def __str__(self):
        return f"{self.campaign_id}: {self.suggestion_id}"
