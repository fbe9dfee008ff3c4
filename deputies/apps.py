from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeputiesConfig(AppConfig):
    name = "deputies"
    verbose_name = _("Deputies")

    def ready(self):
        from liaison.scope import register_admin_rights

        from .permissions import ADMIN_RIGHTS

        register_admin_rights(ADMIN_RIGHTS)
