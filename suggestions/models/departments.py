"""Handling departments (承办单位): county departments and township governments."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.scope import scope_for


class DepartmentLevel(models.TextChoices):
    COUNTY = "county", _("County department")
    TOWNSHIP = "township", _("Township government")


class DepartmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """County staff see all departments; township staff the county ones and their
        township's government; a handler their own department(s)."""
        scope = scope_for(user)
        if scope.is_county:
            return self
        condition = Q(pk__in=scope.department_ids)
        if scope.township_ids:
            condition |= Q(level=DepartmentLevel.COUNTY) | Q(township_id__in=scope.township_ids)
        return self.filter(condition)


class Department(models.Model):
    """A handling department (承办单位): a county department or a township government."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    level = models.CharField(_("level"), max_length=10, choices=DepartmentLevel.choices, default=DepartmentLevel.COUNTY)
    township = models.ForeignKey(
        "stations.Station",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"kind": "center"},
        related_name="departments",
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    contact_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("handler accounts"), blank=True, related_name="departments"
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("handling department")
        verbose_name_plural = _("handling departments")
        ordering = ["level", "name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.level == DepartmentLevel.TOWNSHIP and not self.township_id:
            raise ValidationError({"township": _("A township government must name its township.")})
        if self.level == DepartmentLevel.COUNTY and self.township_id:
            raise ValidationError(
                {"township": _("A county department belongs to no township; leave the township empty.")}
            )
