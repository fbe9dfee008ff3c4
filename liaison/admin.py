"""Admin for user accounts and their staff profile."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from .admin_mixins import ScopedAdminMixin, ScopedInlineMixin, ScopedModelAdmin
from .models import CalendarOverride, Delivery, ReminderLog, ReminderRule, StaffProfile

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


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(ScopedModelAdmin):
    """Local holidays and make-up workdays, and whole years the calendar package does not know yet."""

    list_display = ("day", "is_workday", "note")
    list_filter = ("is_workday",)
    date_hierarchy = "day"
    search_fields = ("note",)


@admin.register(Delivery)
class DeliveryAdmin(ScopedModelAdmin):
    """E-mail and SMS copies of notifications; failures are listed here."""

    list_display = ("notification", "channel", "address", "status", "attempts", "last_error", "sent_at")
    list_filter = ("status", "channel")
    search_fields = ("address", "notification__title")
    list_select_related = ("notification",)
    readonly_fields = (
        "notification",
        "channel",
        "address",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "sent_at",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReminderRule)
class ReminderRuleAdmin(ScopedModelAdmin):
    """The reminder rules per clock and tier (offsets and repetition in working days)."""

    list_display = ("clock", "tier", "offset", "repeat_every", "is_active")
    list_editable = ("offset", "repeat_every", "is_active")
    list_filter = ("clock", "tier", "is_active")


@admin.register(ReminderLog)
class ReminderLogAdmin(ScopedModelAdmin):
    """Every reminder sent, automatic or manual, once per item, clock and occurrence."""

    list_display = ("sent_at", "clock", "item_type", "item_id", "occurrence", "recipients", "sent_by")
    list_filter = ("clock", "item_type")
    search_fields = ("occurrence",)
    date_hierarchy = "sent_at"
    list_select_related = ("sent_by",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
