from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    default = True
    name = "liaison"
    verbose_name = _("Accounts and roles")
