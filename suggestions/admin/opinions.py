"""The staff's opinion desk: list, accept, answer, decline, and write up as a suggestion."""

from __future__ import annotations

from functools import partial

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy
from liaison.admin_mixins import ScopedModelAdmin
from liaison.scope import can_see_personal_data
from stations.admin import TownshipFilter
from stations.models import Station

from .. import workflow
from ..models import Category, Opinion
from ..selectors.staff import opinions_to_write_up, receiving_deputy
from .forms import AnswerForm, NoteForm, SuggestionFromOpinionsForm
from .views import CreatedThroughWorkflow, action_page, run_for_each


class OpinionTownshipFilter(TownshipFilter):
    def in_township(self, queryset, township_id: int):
        return queryset.filter(station__township_id=township_id)


@admin.register(Opinion)
class OpinionAdmin(CreatedThroughWorkflow, ScopedModelAdmin):
    list_display = ("tracking_code", "short_content", "station", "channel", "status", "received_on", "voter")
    list_filter = ("status", "channel", OpinionTownshipFilter, "category", "received_on")
    search_fields = ("tracking_code", "content", "place")
    list_select_related = ("station", "category")
    date_hierarchy = "received_on"
    list_per_page = 50
    actions = ["accept_selected", "decline_selected", "answer_selected", "write_suggestion"]
    fields = (
        "content",
        "category",
        "place",
        "channel",
        "station",
        "grid",
        "deputies",
        "voter_name",
        "voter_phone",
        "received_on",
    )
    autocomplete_fields = ("station", "deputies")

    def limit_to_scope(self, request, queryset):
        return queryset.visible_to(request.user)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        fields = [*self.fields, "tracking_code", "status", "suggestion", "answer", "decline_reason", "created_by"]
        if not can_see_personal_data(request.user):
            fields = [f for f in fields if f not in ("voter_name", "voter_phone")]
        return fields

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.fields
        return self.get_readonly_fields(request, obj)

    @admin.display(description=pgettext_lazy("text", "content"))
    def short_content(self, opinion):
        return opinion.content[:40]

    @admin.display(description=_("voter"))
    def voter(self, opinion):
        if not opinion.voter_phone and not opinion.voter_name:
            return "—"
        return f"{opinion.voter_name} {opinion.voter_phone_masked}".strip()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "station":
            kwargs["queryset"] = Station.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def create(self, request, data):
        """New opinions entered by staff are recorded through the workflow."""
        return workflow.opinion_create(
            actor=request.user,
            content=data["content"],
            channel=data["channel"],
            station=data["station"],
            category=data.get("category"),
            place=data.get("place", ""),
            deputies=data.get("deputies") or (),
            voter_name=data.get("voter_name", ""),
            voter_phone=data.get("voter_phone", ""),
            received_on=data.get("received_on"),
            grid=data.get("grid"),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        opinion = self.get_object(request, object_id)
        extra = {
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete": False,
        }
        if opinion is not None:
            extra["opinion_events"] = opinion.events.select_related("actor")
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def has_delete_permission(self, request, obj=None):
        return False

    # Actions --------------------------------------------------------------------------------

    @admin.action(description=_("Accept the selected opinions"))
    def accept_selected(self, request, queryset):
        run_for_each(
            request, queryset, lambda o: workflow.opinion_accept(opinion=o, actor=request.user), gettext("Accept")
        )

    def _with_form(self, request, queryset, form_class, title, apply):
        form = form_class(request.POST if "confirm" in request.POST else None)
        if "confirm" in request.POST and form.is_valid():
            run_for_each(request, queryset, partial(apply, data=form.cleaned_data), title)
            return None
        return action_page(
            request,
            self,
            title=title,
            form=form,
            items=list(queryset),
            back_url=reverse("admin:suggestions_opinion_changelist"),
            template="admin/suggestions/opinion_action.html",
            extra={"action_name": request.POST.get("action")},
        )

    @admin.action(description=_("Decline the selected opinions"))
    def decline_selected(self, request, queryset):
        return self._with_form(
            request,
            queryset,
            NoteForm,
            gettext("Decline"),
            lambda o, data: workflow.opinion_decline(opinion=o, actor=request.user, reason=data["note"]),
        )

    @admin.action(description=_("Record the answer given on the spot"))
    def answer_selected(self, request, queryset):
        return self._with_form(
            request,
            queryset,
            AnswerForm,
            gettext("Answer on the spot"),
            lambda o, data: workflow.opinion_answer(opinion=o, actor=request.user, answer=data["answer"]),
        )

    @admin.action(description=_("Write up the selected opinions as one suggestion"))
    def write_suggestion(self, request, queryset):
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        return redirect(f"{reverse('admin:suggestions_opinion_to_suggestion')}?ids={ids}")

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("to-suggestion/", view(self.to_suggestion_view), name="suggestions_opinion_to_suggestion"),
            *super().get_urls(),
        ]

    def to_suggestion_view(self, request):
        ids = [int(i) for i in (request.POST.get("ids") or request.GET.get("ids", "")).split(",") if i.isdigit()]
        opinions = opinions_to_write_up(request.user, ids)
        back_url = reverse("admin:suggestions_opinion_changelist")
        if not opinions:
            messages.error(request, gettext("Choose opinions that are still open."))
            return redirect(back_url)
        form = SuggestionFromOpinionsForm(
            request.POST or None,
            deputies=Deputy.objects.visible_to(request.user).filter(is_active=True).order_by("name"),
            categories=Category.objects.filter(is_active=True),
            initial={
                "content": "\n".join(o.content for o in opinions),
                "lead_deputy": receiving_deputy(request.user, opinions),
            },
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                suggestion = workflow.suggestion_create(
                    actor=request.user,
                    lead_deputy=data["lead_deputy"],
                    title=data["title"],
                    content=data["content"],
                    category=data["category"],
                    station=opinions[0].station,
                    opinions=opinions,
                    submit=data["submit"],
                )
            except workflow.WorkflowError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request, gettext("Suggestion written up from %(count)s opinions.") % {"count": len(opinions)}
                )
                return redirect(reverse("admin:suggestions_suggestion_change", args=[suggestion.pk]))
        return action_page(
            request, self, title=gettext("Write up as a suggestion"), form=form, items=opinions, back_url=back_url
        )
