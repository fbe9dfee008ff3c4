"""Kinds of deputies' activities (履职活动类型): an admin-editable list with defaults."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityTypeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class ActivityType(models.Model):
    """A kind of activity: reception day, home visit, inspection …

    ``code`` is what the code refers to (the reception day's check-in, the opinion channel
    of a visit); the name is what people read and may be edited freely.
    """

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=50)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = ActivityTypeQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity type")
        verbose_name_plural = _("activity types")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name
