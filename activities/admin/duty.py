"""The duty roster in the admin: the duties with filters (status, township, month, missed),
leave requests with approve / refuse, and the roster's trail. Rows change only through
:mod:`activities.workflow.duty`: adding a duty calls ``duty_assign``, deleting one
``duty_remove``; leave decisions call ``leave_decide``. The month's roster page
(``/activities/rosters/…``) is the everyday tool; these lists are for finding and auditing.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.admin_mixins import ScopedModelAdmin
from liaison.scope import scope_for
from stations.admin import TownshipFilter
from stations.models import Station

from ..models import DutyAssignment, DutyEvent, LeaveRequest, LeaveStatus
from ..models.activities import staff_condition
from ..workflow.duty import duty_assign, duty_remove, leave_decide
from ..workflow.errors import WorkflowError


class DutyTownshipFilter(TownshipFilter):
    def in_township(self, queryset, township_id: int):
        return queryset.filter(station__township_id=township_id)


class LeaveTownshipFilter(TownshipFilter):
    def in_township(self, queryset, township_id: int):
        return queryset.filter(duty__station__township_id=township_id)


class MissedFilter(admin.SimpleListFilter):
    """Missed duties: marked missed, or past and still planned (before the nightly sweep)."""

    title = _("missed")
    parameter_name = "missed"

    def lookups(self, request, model_admin):
        return [("yes", _("Missed duties"))]

    def queryset(self, request, queryset):
        return queryset.missed() if self.value() == "yes" else queryset


@admin.register(DutyAssignment)
class DutyAssignmentAdmin(ScopedModelAdmin):
    list_display = ("day", "station", "deputy", "status", "checked_in_at", "roster_link")
    list_filter = ("status", MissedFilter, DutyTownshipFilter, "day")
    search_fields = ("deputy__name", "station__name", "station__code")
    list_select_related = ("station", "deputy")
    date_hierarchy = "day"
    list_per_page = 100
    fields = ("station", "day", "deputy")
    autocomplete_fields = ("station", "deputy")
    actions = ["remove_selected"]

    def limit_to_scope(self, request, queryset):
        return queryset.visible_to(request.user)

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("station", "day", "deputy", "status", "checked_in_at", "activity")

    def get_fields(self, request, obj=None):
        return self.fields if obj is None else self.get_readonly_fields(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "station":
            kwargs["queryset"] = Station.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("duty roster"))
    def roster_link(self, duty):
        url = reverse("activities:roster", args=[duty.station.code, duty.day.year, duty.day.month])
        return format_html('<a href="{}">{}</a>', url, gettext("month"))

    def save_model(self, request, obj, form, change):
        """Adding goes through the workflow; a refusal is shown and nothing is written."""
        if change:
            return
        try:
            created = duty_assign(station=obj.station, day=obj.day, deputy=obj.deputy, actor=request.user)
        except WorkflowError as refusal:
            request._duty_refusal = str(refusal)
            return
        obj.pk = created.pk
        obj.__dict__.update(created.__dict__)

    def response_add(self, request, obj, post_url_continue=None):
        refusal = getattr(request, "_duty_refusal", None)
        if refusal:
            self.message_user(request, refusal, messages.ERROR)
            return self.response_post_save_add(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def log_addition(self, request, obj, message):
        if obj.pk:
            return super().log_addition(request, obj, message)
        return None

    def delete_model(self, request, obj):
        try:
            duty_remove(duty=obj, actor=request.user)
        except WorkflowError as refusal:
            self.message_user(request, str(refusal), messages.ERROR)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("Take the selected coming duties off the roster"))
    def remove_selected(self, request, queryset):
        done = 0
        for duty in queryset.select_related("station", "deputy"):
            try:
                duty_remove(duty=duty, actor=request.user)
            except WorkflowError as refusal:
                self.message_user(request, f"{duty}: {refusal}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, gettext("%(count)s duties taken off.") % {"count": done})


@admin.register(LeaveRequest)
class LeaveRequestAdmin(ScopedModelAdmin):
    list_display = ("duty_day", "duty_station", "duty_deputy", "reason", "status", "requested_at", "decided_by")
    list_filter = ("status", LeaveTownshipFilter)
    search_fields = ("duty__deputy__name", "duty__station__name", "reason")
    list_select_related = ("duty__station", "duty__deputy", "decided_by")
    readonly_fields = ("duty", "reason", "status", "requested_by", "requested_at", "decided_by", "decided_at")
    fields = (*readonly_fields, "decision_note")
    actions = ["approve_selected"]

    def limit_to_scope(self, request, queryset):
        return queryset.visible_to(request.user)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    @admin.display(description=_("day"), ordering="duty__day")
    def duty_day(self, leave):
        return leave.duty.day

    @admin.display(description=_("station"))
    def duty_station(self, leave):
        return leave.duty.station

    @admin.display(description=_("deputy"))
    def duty_deputy(self, leave):
        return leave.duty.deputy

    @admin.action(description=_("Approve the selected leave requests"))
    def approve_selected(self, request, queryset):
        done = 0
        for leave in queryset.filter(status=LeaveStatus.PENDING):
            try:
                leave_decide(leave=leave, actor=request.user, approve=True)
            except WorkflowError as refusal:
                self.message_user(request, f"{leave}: {refusal}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, gettext("%(count)s leave requests approved.") % {"count": done})


@admin.register(DutyEvent)
class DutyEventAdmin(ScopedModelAdmin):
    list_display = ("at", "day", "station", "deputy", "action_label", "from_status", "to_status", "actor", "note")
    list_filter = ("action",)
    search_fields = ("deputy__name", "station__name")
    list_select_related = ("station", "deputy", "actor")
    date_hierarchy = "at"

    def limit_to_scope(self, request, queryset):
        condition = staff_condition(scope_for(request.user))
        return queryset if condition is None else queryset.filter(condition)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("action"))
    def action_label(self, event):
        return event.action_label
