from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "stations"
    verbose_name = _("Station network")

    def ready(self):
        from liaison.scope import register_admin_rights

        from . import signals  # noqa: F401
        from .permissions import ADMIN_RIGHTS

        register_admin_rights(ADMIN_RIGHTS)
