from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Activities")

    def ready(self):
        from liaison.reminders import register_scan
        from liaison.scope import register_admin_rights

        from . import permissions

        register_admin_rights(permissions.ADMIN_RIGHTS)

        from . import panels

        panels.register()

        from .public.duty import register_duty_panels

        register_duty_panels()

        from .reception import scan_reception_days

        register_scan("reception_days", scan_reception_days)
