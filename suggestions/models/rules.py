"""Admin-editable lists and rules: categories, result classes, deadline rules."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    """A subject category for opinions and suggestions (城乡建设, 教育, 医疗卫生 …)."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class ResultClass(models.Model):
    """The national result class of a reply: A solved, B being solved, C not now, D for reference."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=50)
    description = models.CharField(_("description"), max_length=200, blank=True)
    creates_commitments = models.BooleanField(
        _("creates commitments"), default=False, help_text=_("Replies of this class must list their commitments.")
    )
    counts_as_resolved = models.BooleanField(_("counts as resolved"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("result class")
        verbose_name_plural = _("result classes")
        ordering = ["order", "code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class Tier(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediate (微事马上办)")
    FAST = "fast", _("Fast-assign (一般速交办)")
    SUPERVISED = "supervised", _("Supervised (重大监督办)")


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    CALENDAR_DAYS = "calendar_days", _("calendar days")
    MONTHS = "months", _("months")


class Clock(models.TextChoices):
    """The clocks of the handling process, each with one deadline rule."""

    IMMEDIATE = "tier_immediate", _("Reply due, immediate tier")
    FAST = "tier_fast", _("Reply due, fast-assign tier")
    SUPERVISED = "tier_supervised", _("Reply due, supervised tier")
    CO_INPUT = "co_input", _("Co-handler input due")
    RETURN_WINDOW = "return_window", _("Window to return a misdirected suggestion")
    FEEDBACK_WINDOW = "feedback_window", _("Window for the deputy's rating")
    REHANDLING = "rehandling", _("Re-handling after an unsatisfied rating")
    WARNING_WINDOW = "warning_window", _("Yellow warning before the due date")


TIER_CLOCKS = {Tier.IMMEDIATE: Clock.IMMEDIATE, Tier.FAST: Clock.FAST, Tier.SUPERVISED: Clock.SUPERVISED}

DEFAULT_RULES = {
    Clock.IMMEDIATE: (5, TimeUnit.WORKING_DAYS, None, ""),
    Clock.FAST: (30, TimeUnit.CALENDAR_DAYS, None, ""),
    Clock.SUPERVISED: (3, TimeUnit.MONTHS, 6, TimeUnit.MONTHS),
    Clock.CO_INPUT: (1, TimeUnit.MONTHS, None, ""),
    Clock.RETURN_WINDOW: (7, TimeUnit.WORKING_DAYS, None, ""),
    Clock.FEEDBACK_WINDOW: (20, TimeUnit.WORKING_DAYS, None, ""),
    Clock.REHANDLING: (1, TimeUnit.MONTHS, None, ""),
    Clock.WARNING_WINDOW: (3, TimeUnit.WORKING_DAYS, None, ""),
}


class DeadlineRule(models.Model):
    """How long one clock runs, counted from its start, and how far an extension may go.

    ``max_amount``/``max_unit``, when set, cap any extension, counted from the same start
    (supervised: 3 months, extendable to at most 6 months from assignment). Without a cap an
    extension may not exceed twice the normal time.
    """

    clock = models.CharField(_("clock"), max_length=20, choices=Clock.choices, unique=True)
    amount = models.PositiveSmallIntegerField(_("amount"))
    unit = models.CharField(_("unit"), max_length=15, choices=TimeUnit.choices)
    max_amount = models.PositiveSmallIntegerField(_("extension cap"), null=True, blank=True)
    max_unit = models.CharField(_("extension cap unit"), max_length=15, choices=TimeUnit.choices, blank=True)

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["clock"]

    def __str__(self):
        return f"{self.get_clock_display()}: {self.amount} {self.get_unit_display()}"
