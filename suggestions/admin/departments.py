"""Admin for handling departments: their list, import and export, and handler counts."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from liaison.admin_mixins import ScopedModelAdmin
from liaison.scope import scope_for
from liaison.spreadsheets.admin import ScopedImportExportMixin
from stations.models import Station, StationKind

from ..models import Assignment, Department
from ..resources import DepartmentResource


@admin.register(Department)
class DepartmentAdmin(ScopedImportExportMixin, ScopedModelAdmin, ImportExportModelAdmin):
    resource_classes = [DepartmentResource]
    list_display = ("name", "level", "township", "phone", "handler_count", "is_active")
    list_filter = ("level", "township", "is_active")
    search_fields = ("name",)
    autocomplete_fields = ("contact_users",)
    list_select_related = ("township",)

    def limit_to_scope(self, request, queryset):
        return queryset.visible_to(request.user)

    actions = ["remind_departments"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(handler_total=Count("contact_users"))

    @admin.action(description=_("Remind the selected departments of all their open assignments (催办)"))
    def remind_departments(self, request, queryset):
        from ..reminders import remind_assignments

        mine = Assignment.objects.visible_to(request.user).filter(department__in=queryset)
        count = remind_assignments(mine, actor=request.user)
        self.message_user(request, _("%(count)s assignments reminded.") % {"count": count})

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not scope_for(request.user).is_county and not scope_for(request.user).township_ids:
            actions.pop("remind_departments", None)
        return actions

    @admin.display(description=_("handlers"), ordering="handler_total")
    def handler_count(self, department):
        return department.handler_total

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "township":
            kwargs["queryset"] = Station.objects.visible_to(request.user).filter(kind=StationKind.CENTER)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
