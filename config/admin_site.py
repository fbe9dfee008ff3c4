"""The admin site used by congress staff, with access decided by :mod:`liaison.scope`."""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from liaison.scope import scope_for


class StaffAuthenticationForm(AdminAuthenticationForm):
    """Lets in the users whose role works in the admin, whether or not ``is_staff`` is set."""

    def confirm_login_allowed(self, user):
        if not user.is_active:
            raise ValidationError(self.error_messages["inactive"], code="inactive")
        if not scope_for(user).can_use_admin:
            raise ValidationError(
                _(
                    "This account cannot use the administration. "
                    "Deputies and departments work on their own pages, linked from the home page."
                ),
                code="invalid_login",
            )


class LiaisonAdminSite(admin.AdminSite):
    site_header = _("County deputy liaison station network")
    site_title = _("Liaison station administration")
    index_title = _("Workbench")
    login_form = StaffAuthenticationForm
    index_template = "admin/liaison_index.html"

    def has_permission(self, request):
        return request.user.is_active and scope_for(request.user).can_use_admin

    def index(self, request, extra_context=None):
        from deputies.selectors import network_summary
        from suggestions.selectors import desk_counts

        extra_context = {
            **(extra_context or {}),
            "summary": network_summary(request.user),
            "desk": desk_counts(request.user),
        }
        return super().index(request, extra_context)
