"""Admin for user accounts and their staff profile."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from .admin_mixins import ScopedAdminMixin, ScopedInlineMixin
from .models import StaffProfile

User = get_user_model()


class StaffProfileInline(ScopedInlineMixin, admin.StackedInline):
    model = StaffProfile
    can_delete = False
    extra = 0
    max_num = 1


class ScopedUserAdmin(ScopedAdminMixin, UserAdmin):
    """County staff manage accounts (departments, deputies, liaison officers), not superusers.

    Only superusers grant superuser status, admin permissions and groups.
    """

    inlines = [StaffProfileInline]
    list_display = ("username", "first_name", "last_name", "email", "is_staff", "is_active")
    list_select_related = ("staff_profile",)
    rights_label = "liaison.staffprofile"

    def get_queryset(self, request):
        return self.limit_to_scope(request, super().get_queryset(request))

    def limit_to_scope(self, request, queryset):
        return queryset if request.user.is_superuser else queryset.filter(is_superuser=False)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "groups", "user_permissions", "last_login", "date_joined"]
        return fields


admin.site.unregister(User)
admin.site.register(User, ScopedUserAdmin)
