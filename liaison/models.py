"""Who a staff user is in the congress office: county staff or a township's staff."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


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
    contact users (see :mod:`liaison.access`).
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
    title = models.CharField(_("title"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

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
