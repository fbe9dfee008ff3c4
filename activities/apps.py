from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Activities")

    def ready(self):
        from liaison.reminders import register_scan

        from .reception import scan_reception_days

        register_scan("reception_days", scan_reception_days)
