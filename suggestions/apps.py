from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    name = "suggestions"
    verbose_name = _("Opinions and suggestions")

    def ready(self):
        from liaison.reminders import register_scan
        from liaison.scope import register_admin_rights

        from .permissions import ADMIN_RIGHTS
        from .reminders.scan import scan_suggestion_reminders

        register_admin_rights(ADMIN_RIGHTS)
        register_scan("suggestions", scan_suggestion_reminders)  # runs first: INSTALLED_APPS order
