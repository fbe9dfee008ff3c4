"""The admin app configured with the project's own admin site."""

from django.contrib.admin import apps as admin_apps


class LiaisonAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "config.admin_site.LiaisonAdminSite"
