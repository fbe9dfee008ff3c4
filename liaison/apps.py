from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    default = True
    name = "liaison"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .sessions import on_login

        user_logged_in.connect(on_login, dispatch_uid="liaison.sessions.on_login")
