"""The staff's suggestion desk in the admin: review queue, assignment, joining, closing."""

from __future__ import annotations

from functools import partial
from urllib.parse import quote

from django.contrib import admin, messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy
from liaison.admin_mixins import ScopedModelAdmin
from liaison.scope import can_see_personal_data, scope_for
from liaison.spreadsheets.tabular import write_table
from stations.admin import TownshipFilter
from stations.models import Station
from suggestions.permissions import can_review

from .. import workflow
from ..deadlines import Deadlines
from ..ledgers import OPINION_COLUMNS, SUGGESTION_COLUMNS, opinion_rows, rates_by, suggestion_rows
from ..models import Assignment, Department, Suggestion, SuggestionStatus
from ..reminders import remind_manually
from ..selectors import (
    COLOUR_LABELS,
    GREEN,
    RED,
    YELLOW,
    similar_earlier,
    suggestions_of_colour,
    timeline,
    with_lead_assignment,
)
from ..selectors.staff import (
    handling_assignments,
    handling_replies,
    opinions_of_year,
    suggestions_of_year,
    year_totals,
)
from .forms import AssignForm, CloseForm, JoinForm, NoteForm, ReviewForm
from .views import CreatedThroughWorkflow, action_page, run_for_each


class ColourFilter(admin.SimpleListFilter):
    title = _("supervision colour")
    parameter_name = "colour"

    def lookups(self, request, model_admin):
        return [(RED, _("Red: overdue")), (YELLOW, _("Yellow: warning")), (GREEN, _("Green: on track"))]

    def queryset(self, request, queryset):
        if self.value() in (RED, YELLOW, GREEN):
            return suggestions_of_colour(queryset, self.value())
        return queryset


class DepartmentFilter(admin.SimpleListFilter):
    title = _("department")
    parameter_name = "department"

    def lookups(self, request, model_admin):
        return [(str(pk), name) for pk, name in Department.objects.filter(is_active=True).values_list("pk", "name")]

    def queryset(self, request, queryset):
        if not (self.value() or "").isdigit():
            return queryset
        assigned = Assignment.objects.filter(department_id=int(self.value())).values("suggestion_id")
        return queryset.filter(pk__in=assigned)


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        this_year = timezone.localdate().year
        return [(str(year), str(year)) for year in range(this_year, this_year - 5, -1)]

    def queryset(self, request, queryset):
        return queryset.filter(number__startswith=f"{self.value()}-") if (self.value() or "").isdigit() else queryset


@admin.register(Suggestion)
class SuggestionAdmin(CreatedThroughWorkflow, ScopedModelAdmin):
    list_display = (
        "number",
        "short_title",
        "lead_deputy",
        "tier",
        "status",
        "colour_dot",
        "lead_department",
        "lead_due_on",
    )
    list_display_links = ("number", "short_title")
    list_filter = (
        "status",
        "tier",
        "jurisdiction",
        ColourFilter,
        TownshipFilter,
        DepartmentFilter,
        "category",
        YearFilter,
    )
    search_fields = ("number", "title", "lead_deputy__name")
    list_per_page = 50
    actions = ["bulk_assign", "remind"]
    change_form_template = "admin/suggestions/suggestion/change_form.html"
    fields = ("title", "content", "category", "lead_deputy", "co_signers", "station", "jurisdiction")
    autocomplete_fields = ("lead_deputy", "co_signers", "station")

    def limit_to_scope(self, request, queryset):
        return queryset.visible_to(request.user)

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("lead_deputy", "category", "township", "primary")
        return with_lead_assignment(queryset)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (*self.fields, "number", "status", "tier", "township", "primary", "supervising_leader")

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.fields
        return (
            "number",
            "status",
            "tier",
            "jurisdiction",
            "township",
            "title",
            "content",
            "category",
            "lead_deputy",
            "co_signers",
            "station",
            "primary",
            "supervising_leader",
        )

    @admin.display(description=_("title"))
    def short_title(self, suggestion):
        return suggestion.title[:30]

    @admin.display(description=_("colour"), ordering="colour")
    def colour_dot(self, suggestion):
        if not suggestion.colour:
            return "—"
        return format_html(
            '<span class="colour {}" title="{}">●</span> {}',
            suggestion.colour,
            COLOUR_LABELS[suggestion.colour],
            COLOUR_LABELS[suggestion.colour],
        )

    @admin.display(description=_("lead department"))
    def lead_department(self, suggestion):
        return suggestion.lead_department or "—"

    @admin.display(description=_("due"), ordering="lead_due_on")
    def lead_due_on(self, suggestion):
        return suggestion.lead_due_on or "—"

    # Entering a suggestion on a deputy's behalf goes through the workflow.
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "lead_deputy":
            kwargs["queryset"] = Deputy.objects.visible_to(request.user)
        if db_field.name == "station":
            kwargs["queryset"] = Station.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def create(self, request, data):
        return workflow.suggestion_create(
            actor=request.user,
            lead_deputy=data["lead_deputy"],
            title=data["title"],
            content=data["content"],
            category=data["category"],
            station=data["station"],
            co_signers=data.get("co_signers") or (),
            jurisdiction=data["jurisdiction"],
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        suggestion = self.get_object(request, object_id)
        extra = {}
        if suggestion is not None:
            extra = self.detail_context(request, suggestion)
        extra.update(show_save=False, show_save_and_continue=False, show_save_and_add_another=False, show_delete=False)
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def detail_context(self, request, suggestion) -> dict:
        deadlines = Deadlines()
        today = timezone.localdate()
        assignments = handling_assignments(suggestion)
        for assignment in assignments:
            assignment.days_left = deadlines.working_days_left(today, assignment.due_on) if assignment.is_open else None
        return {
            "suggestion": suggestion,
            "events": timeline(suggestion),
            "assignments": assignments,
            "replies": handling_replies(suggestion),
            "joined": suggestion.joined.select_related("lead_deputy"),
            "opinions": suggestion.source_opinions.select_related("station"),
            "similar": similar_earlier(suggestion) if suggestion.status != SuggestionStatus.DRAFT else [],
            "can_act": can_review(request.user, suggestion),
            "unknown_years": sorted(deadlines.calendar.unknown_years),
            "status": suggestion.status,
        }

    # Action pages ---------------------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/review/", view(self.review_view), name="suggestions_suggestion_review"),
            path("<int:pk>/assign/", view(self.assign_view), name="suggestions_suggestion_assign"),
            path("<int:pk>/join/", view(self.join_view), name="suggestions_suggestion_join"),
            path("<int:pk>/close/", view(self.close_view), name="suggestions_suggestion_close"),
            path("<int:pk>/publish/", view(self.publish_view), name="suggestions_suggestion_publish"),
            path("assign/", view(self.bulk_assign_view), name="suggestions_suggestion_bulk_assign"),
            path("ledger/", view(self.ledger_view), name="suggestions_suggestion_ledger"),
            *super().get_urls(),
        ]

    def _suggestion(self, request, pk):
        return get_object_or_404(Suggestion.objects.visible_to(request.user), pk=pk)

    def _change_url(self, suggestion):
        return reverse("admin:suggestions_suggestion_change", args=[suggestion.pk])

    def _finish(self, request, suggestion, call, success):
        try:
            call()
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
            return False
        messages.success(request, success)
        return True

    def review_view(self, request, pk):
        suggestion = self._suggestion(request, pk)
        form = ReviewForm(request.POST or None, initial={"jurisdiction": suggestion.jurisdiction})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            if data["decision"] == "accept":
                call = partial(
                    workflow.suggestion_accept,
                    suggestion=suggestion,
                    actor=request.user,
                    tier=data["tier"],
                    jurisdiction=data["jurisdiction"],
                    supervising_leader=data["supervising_leader"],
                    note=data["note"],
                )
            else:
                call = partial(
                    workflow.suggestion_reject, suggestion=suggestion, actor=request.user, reason=data["note"]
                )
            if self._finish(request, suggestion, call, gettext("The review is recorded.")):
                return redirect(self._change_url(suggestion))
        return action_page(
            request,
            self,
            title=gettext("Review suggestion %(number)s") % {"number": suggestion.number},
            form=form,
            items=[suggestion],
            back_url=self._change_url(suggestion),
            extra={"similar": similar_earlier(suggestion)},
            template="admin/suggestions/review.html",
        )

    def assign_view(self, request, pk):
        suggestion = self._suggestion(request, pk)
        return self._assign(request, [suggestion], self._change_url(suggestion))

    def bulk_assign_view(self, request):
        ids = [int(i) for i in (request.POST.get("ids") or request.GET.get("ids", "")).split(",") if i.isdigit()]
        suggestions = list(Suggestion.objects.visible_to(request.user).filter(pk__in=ids))
        return self._assign(request, suggestions, reverse("admin:suggestions_suggestion_changelist"))

    def _assign(self, request, suggestions, back_url):
        form = AssignForm(request.POST or None, user=request.user, suggestions=suggestions)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            done, _refusals = run_for_each(
                request,
                suggestions,
                lambda s: workflow.suggestion_assign(
                    suggestion=s,
                    actor=request.user,
                    lead=data["lead"],
                    co_handlers=data["co_handlers"],
                    mode=data["mode"],
                    note=data["note"],
                ),
                gettext("Assign"),
            )
            if done:
                return redirect(back_url)
        return action_page(
            request, self, title=gettext("Assign to departments"), form=form, items=suggestions, back_url=back_url
        )

    @admin.action(description=_("Remind the departments of the selected suggestions (催办)"))
    def remind(self, request, queryset):
        form = NoteForm(request.POST if "confirm" in request.POST else None)
        form.fields["note"].required = False
        form.fields["note"].label = _("Message to the departments")
        if "confirm" in request.POST and form.is_valid():
            reviewable = [s for s in queryset if can_review(request.user, s)]
            count = remind_manually(reviewable, actor=request.user, note=form.cleaned_data["note"])
            messages.success(request, gettext("%(count)s departments reminded.") % {"count": count})
            return None
        return action_page(
            request,
            self,
            title=gettext("Remind the departments"),
            form=form,
            items=list(queryset),
            back_url=reverse("admin:suggestions_suggestion_changelist"),
            template="admin/suggestions/opinion_action.html",
            extra={"action_name": "remind"},
        )

    @admin.action(description=_("Assign the selected suggestions to departments"))
    def bulk_assign(self, request, queryset):
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        return redirect(f"{reverse('admin:suggestions_suggestion_bulk_assign')}?ids={ids}")

    def join_view(self, request, pk):
        suggestion = self._suggestion(request, pk)
        form = JoinForm(request.POST or None, user=request.user, suggestion=suggestion)
        if request.method == "POST" and form.is_valid():
            call = partial(
                workflow.suggestion_join,
                suggestion=suggestion,
                primary=form.cleaned_data["primary"],
                actor=request.user,
            )
            if self._finish(request, suggestion, call, gettext("The suggestion is joined.")):
                return redirect(self._change_url(suggestion))
        return action_page(
            request,
            self,
            title=gettext("Join to another suggestion (并案)"),
            form=form,
            items=[suggestion],
            back_url=self._change_url(suggestion),
        )

    def close_view(self, request, pk):
        suggestion = self._suggestion(request, pk)
        form = CloseForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            call = partial(
                workflow.suggestion_close, suggestion=suggestion, actor=request.user, note=form.cleaned_data["note"]
            )
            if self._finish(request, suggestion, call, gettext("The suggestion is closed.")):
                return redirect(self._change_url(suggestion))
        return action_page(
            request,
            self,
            title=gettext("Close suggestion %(number)s (销号)") % {"number": suggestion.number},
            form=form,
            items=[suggestion],
            back_url=self._change_url(suggestion),
        )

    def publish_view(self, request, pk):
        suggestion = self._suggestion(request, pk)
        if request.method == "POST":
            publish = request.POST.get("publish") == "1"
            self._finish(
                request,
                suggestion,
                partial(workflow.suggestion_publish_reply, suggestion=suggestion, actor=request.user, publish=publish),
                gettext("Publication updated."),
            )
        return redirect(self._change_url(suggestion))

    def has_delete_permission(self, request, obj=None):
        return False  # suggestions are part of the ledger: never deleted

    def get_actions(self, request):
        actions = super().get_actions(request)
        scope = scope_for(request.user)
        if not (scope.is_county or scope.township_ids):
            actions.pop("bulk_assign", None)
            actions.pop("remind", None)
        return actions

    def ledger_view(self, request):
        """Ledgers and rates for a year, on screen and as XLSX/CSV exports."""
        year = request.GET.get("year", "")
        year = int(year) if year.isdigit() else timezone.localdate().year
        suggestions = suggestions_of_year(request.user, year)
        export = request.GET.get("export", "")
        if export:
            return ledger_export(request, export, year, suggestions)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Ledgers and rates"),
            "opts": self.model._meta,
            "year": year,
            "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
            "by_department": rates_by(suggestions, "department"),
            "by_township": rates_by(suggestions, "township"),
            "totals": year_totals(suggestions),
        }
        return TemplateResponse(request, "admin/suggestions/ledger.html", context)


def ledger_export(request, export: str, year: int, suggestions):
    kind, _sep, fmt = export.partition(".")
    if kind == "opinions":
        opinions = opinions_of_year(request.user, year)
        columns, rows = OPINION_COLUMNS, opinion_rows(opinions, personal_data=can_see_personal_data(request.user))
        title = f"{year}年群众意见台账"
    else:
        columns, rows, title = SUGGESTION_COLUMNS, suggestion_rows(suggestions), f"{year}年代表建议台账"
    if fmt == "csv":
        response = HttpResponse(write_table(columns, rows, "csv"), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            write_table(columns, rows, "xlsx", title=title),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        fmt = "xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(title)}.{fmt}"
    return response
