from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    default = True
    name = "liaison"
    verbose_name = _("Accounts and roles")


class LiaisonAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "liaison.admin_site.LiaisonAdminSite"
