"""Campaigns in the admin: the campaign with its targets inline, and suggestions tagged
with a campaign by staff."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from deputies.models import DeputyGroup
from liaison.admin_mixins import ScopedInlineMixin, ScopedModelAdmin
from stations.models import Station
from suggestions.models import Suggestion

from ..models import Campaign, CampaignSuggestion, CampaignTarget


class CampaignTargetInline(ScopedInlineMixin, admin.TabularInline):
    model = CampaignTarget
    extra = 1
    fields = ("township", "group", "measure", "target")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "township":
            kwargs["queryset"] = Station.objects.townships().order_by("code")
        if db_field.name == "group":
            kwargs["queryset"] = DeputyGroup.objects.order_by("name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Campaign)
class CampaignAdmin(ScopedModelAdmin):
    list_display = ("name", "starts_on", "ends_on", "is_active", "progress_link")
    list_filter = ("is_active",)
    search_fields = ("name",)
    inlines = [CampaignTargetInline]

    @admin.display(description=_("progress"))
    def progress_link(self, campaign):
        return format_html(
            '<a href="{}">{}</a>', reverse("activities:campaign", args=[campaign.pk]), gettext("Progress")
        )


@admin.register(CampaignSuggestion)
class CampaignSuggestionAdmin(ScopedModelAdmin):
    list_display = ("suggestion", "campaign", "tagged_by", "tagged_at")
    list_filter = ("campaign",)
    list_select_related = ("suggestion", "campaign", "tagged_by")
    fields = ("campaign", "suggestion")
    autocomplete_fields = ("suggestion",)

    def limit_to_scope(self, request, queryset):
        return queryset.filter(suggestion__in=Suggestion.objects.visible_to(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "suggestion":
            kwargs["queryset"] = Suggestion.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        obj.tagged_by = request.user
        super().save_model(request, obj, form, change)
