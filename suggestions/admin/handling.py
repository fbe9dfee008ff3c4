"""Admin for the handling side: supervision list, extension requests, rules and lists."""

from __future__ import annotations

from functools import partial

from django.contrib import admin, messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.admin_mixins import ScopedModelAdmin

from .. import workflow
from ..models import (
    Assignment,
    Category,
    Commitment,
    CommitmentStatus,
    DeadlineRule,
    ExtensionRequest,
    ExtensionStatus,
    ResultClass,
    Suggestion,
)
from ..selectors import COLOUR_LABELS, GREEN, RED, YELLOW, filter_colour
from ..selectors.staff import pending_first, supervision_list
from .forms import ExtensionDecisionForm
from .views import action_page


class AssignmentColourFilter(admin.SimpleListFilter):
    title = _("supervision colour")
    parameter_name = "colour"

    def lookups(self, request, model_admin):
        return [(RED, _("Red: overdue")), (YELLOW, _("Yellow: warning")), (GREEN, _("Green: on track"))]

    def queryset(self, request, queryset):
        return filter_colour(queryset, self.value()) if self.value() in (RED, YELLOW, GREEN) else queryset


@admin.register(Assignment)
class AssignmentAdmin(ScopedModelAdmin):
    """The three-colour supervision list (三色督办) of every assignment, read-only."""

    list_display = ("suggestion", "department", "role", "status", "colour_dot", "assigned_at", "due_on")
    list_filter = (AssignmentColourFilter, "status", "role", "department", "suggestion__tier")
    search_fields = ("suggestion__number", "suggestion__title", "department__name")
    list_select_related = ("suggestion", "department")
    list_per_page = 50

    def limit_to_scope(self, request, queryset):
        return queryset.visible_to(request.user)

    def get_queryset(self, request):
        return supervision_list(super().get_queryset(request))

    @admin.display(description=_("colour"), ordering="colour")
    def colour_dot(self, assignment):
        if not assignment.colour:
            return "—"
        return format_html('<span class="colour {}">●</span> {}', assignment.colour, COLOUR_LABELS[assignment.colour])

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ScopedModelAdmin):
    list_display = ("assignment", "requested_due_on", "status", "requested_at", "decide_link")
    list_filter = ("status",)
    search_fields = ("assignment__suggestion__number", "assignment__department__name")
    list_select_related = ("assignment__suggestion", "assignment__department")
    readonly_fields = (
        "assignment",
        "requested_due_on",
        "reason",
        "status",
        "granted_due_on",
        "requested_by",
        "requested_at",
        "decided_by",
        "decided_at",
        "decision_note",
    )
    fields = readonly_fields

    def limit_to_scope(self, request, queryset):
        return queryset.filter(assignment__in=Assignment.objects.visible_to(request.user))

    def get_queryset(self, request):
        return pending_first(super().get_queryset(request))

    @admin.display(description=_("decision"))
    def decide_link(self, request_obj):
        if request_obj.status != ExtensionStatus.PENDING:
            return request_obj.get_status_display()
        url = reverse("admin:suggestions_extensionrequest_decide", args=[request_obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Decide"))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/decide/", view(self.decide_view), name="suggestions_extensionrequest_decide"),
            *super().get_urls(),
        ]

    def decide_view(self, request, pk):
        extension = get_object_or_404(self.get_queryset(request).select_related("assignment__suggestion"), pk=pk)
        back_url = reverse("admin:suggestions_extensionrequest_changelist")
        form = ExtensionDecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            decide = partial(
                workflow.extension_decide,
                request=extension,
                actor=request.user,
                approve=data["decision"] == "approve",
                due_on=data["due_on"],
                note=data["note"],
            )
            try:
                decide()
            except workflow.WorkflowError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, gettext("The decision is recorded."))
                return redirect(back_url)
        cap = workflow.extension_cap(extension.assignment.suggestion, extension.assignment)
        return action_page(
            request,
            self,
            title=gettext("Extension request"),
            form=form,
            items=[extension],
            back_url=back_url,
            template="admin/suggestions/extension_decide.html",
            extra={"extension": extension, "cap": cap},
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CommitmentOverdueFilter(admin.SimpleListFilter):
    title = _("due")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "yes":
            return queryset.filter(status=CommitmentStatus.OPEN, due_on__lt=today)
        if self.value() == "no":
            return queryset.exclude(status=CommitmentStatus.OPEN, due_on__lt=today)
        return queryset


@admin.register(Commitment)
class CommitmentAdmin(ScopedModelAdmin):
    """The commitments (承诺事项) that replies made, tracked until fulfilled; read-only here —
    departments mark them fulfilled on their pages, through the workflow."""

    list_display = ("content", "suggestion", "due_on", "status", "fulfilled_at")
    list_filter = ("status", CommitmentOverdueFilter)
    search_fields = ("content", "suggestion__number", "suggestion__title")
    list_select_related = ("suggestion",)
    readonly_fields = ("suggestion", "reply", "content", "due_on", "status", "fulfilled_at", "fulfilled_note")
    fields = readonly_fields

    def limit_to_scope(self, request, queryset):
        return queryset.filter(suggestion__in=Suggestion.objects.visible_to(request.user))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Category)
class CategoryAdmin(ScopedModelAdmin):
    list_display = ("name", "order", "is_active")
    list_editable = ("order", "is_active")
    search_fields = ("name",)


@admin.register(ResultClass)
class ResultClassAdmin(ScopedModelAdmin):
    list_display = ("code", "name", "creates_commitments", "counts_as_resolved", "order")
    search_fields = ("code", "name")

    def has_delete_permission(self, request, obj=None):
        return False  # replies refer to their class


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(ScopedModelAdmin):
    list_display = ("clock", "amount", "unit", "max_amount", "max_unit")
    list_editable = ("amount", "unit", "max_amount", "max_unit")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
