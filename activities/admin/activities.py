"""Activities and their types in the admin: the staff's changelist of activities in their
scope with the verify action (returning asks for a reason on the review page), read-only
change pages with the trail, and the editable list of activity types."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.admin_mixins import ScopedModelAdmin
from stations.admin import TownshipFilter
from suggestions.admin.views import run_for_each

from .. import selectors, workflow
from ..models import Activity, ActivityType


class ActivityTownshipFilter(TownshipFilter):
    def in_township(self, queryset, township_id: int):
        return queryset.filter(station__township_id=township_id)


@admin.register(ActivityType)
class ActivityTypeAdmin(ScopedModelAdmin):
    list_display = ("name", "code", "order", "is_active")
    list_editable = ("order", "is_active")
    search_fields = ("name", "code")

    def get_readonly_fields(self, request, obj=None):
        # The code is what the program refers to (channels, check-in): fixed once created.
        return ("code",) if obj is not None else ()

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.activities.exists():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Activity)
class ActivityAdmin(ScopedModelAdmin):
    list_display = ("started_at", "activity_type", "station", "present", "voters_received", "opinion_count", "status")
    list_filter = ("status", "activity_type", ActivityTownshipFilter, "campaign", "started_at")
    search_fields = ("place", "summary", "station__name", "deputies__name")
    date_hierarchy = "started_at"
    list_per_page = 50
    actions = ["verify_selected"]
    fields = (
        "station",
        "activity_type",
        "started_at",
        "place",
        "group",
        "campaign",
        "voters_received",
        "materials_handed_out",
        "summary",
        "status",
        "return_reason",
        "recorded_by",
        "created_at",
        "verified_at",
        "verified_by",
        "review_link",
    )
    readonly_fields = fields

    def limit_to_scope(self, request, queryset):
        return queryset.visible_to(request.user)

    def get_queryset(self, request):
        return selectors.with_list_data(super().get_queryset(request))

    @admin.display(description=_("deputies present"))
    def present(self, activity):
        return "、".join(deputy.name for deputy in activity.deputies.all())

    @admin.display(description=_("opinions"))
    def opinion_count(self, activity):
        return activity.opinion_count

    @admin.display(description=_("review"))
    def review_link(self, activity):
        return format_html('<a href="{}">{}</a>', reverse("activities:detail", args=[activity.pk]), gettext("Open"))

    def has_add_permission(self, request, *args):
        return False  # activities are logged on the station pages (/activities/log/)

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete": False,
        }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    @admin.action(description=_("Verify the selected activities"))
    def verify_selected(self, request, queryset):
        run_for_each(
            request,
            queryset.select_related("station"),
            lambda activity: workflow.activity_verify(activity=activity, actor=request.user),
            gettext("Verify"),
        )
