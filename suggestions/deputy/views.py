"""Deputies' own pages (phone-friendly): their suggestions and the opinions they received,
logging an opinion, writing and submitting a suggestion, and rating the reply.

Only users with a deputy record get in (others 403); a deputy asking for a suggestion that is
not theirs (as lead or co-signer) gets 404. Every change goes through the workflow; a refusal
(:class:`~suggestions.workflow.WorkflowError`) is shown as a message or a form error and
writes nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from deputies.models import Deputy
from liaison.panels import panels_for
from liaison.scope import scope_for

from .. import workflow
from ..deadlines import Deadlines
from ..department.views import annotate_days_left
from ..files import display_name
from ..models import Opinion, Suggestion, SuggestionAttachment, SuggestionStatus
from ..selectors import COLOUR_LABELS, suggestion_detail_queryset, timeline
from ..selectors.deputy import (
    awaiting_rating,
    deputy_drafts,
    deputy_suggestion,
    deputy_suggestions,
    led_by,
    open_opinions_of,
    search_opinions,
    stations_of,
)
from .forms import DeputyOpinionForm, OpinionActionForm, RatingForm, SuggestionForm

PAGE_SIZE = 20
DRAFTS_SHOWN = 10


def deputy_id_of(request) -> int:
    """The user's deputy record id, or 403 for anyone who is not a deputy."""
    deputy_id = scope_for(request.user).deputy_id
    if not deputy_id:
        raise PermissionDenied(_("These pages are for deputies."))
    return deputy_id


def safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


# Home
# ------------------------------------------------------------------------------


STATUS_FILTERS = [(value, label) for value, label in SuggestionStatus.choices]


@login_required
@require_GET
def home(request):
    """My suggestions (lead and co-signed), drafts, those awaiting my rating, and the opinions
    I received that are still open, with quick actions."""
    deputy_id = deputy_id_of(request)
    today = timezone.localdate()
    deadlines = Deadlines()
    query = request.GET.get("q", "").strip()[:50]
    status = request.GET.get("status", "")
    status = status if status in SuggestionStatus.values else ""
    role = request.GET.get("role", "")
    role = role if role in ("lead", "co") else ""

    suggestions = deputy_suggestions(deputy_id, query=query, status=status, role=role, today=today, deadlines=deadlines)
    page = Paginator(suggestions, PAGE_SIZE).get_page(request.GET.get("page"))
    for suggestion in page.object_list:
        suggestion.colour_label = COLOUR_LABELS.get(suggestion.colour, "")
        suggestion.is_lead = suggestion.lead_deputy_id == deputy_id

    opinion_query = request.GET.get("oq", "").strip()[:50]
    opinions = search_opinions(open_opinions_of(deputy_id), opinion_query)
    opinion_page = Paginator(opinions, PAGE_SIZE).get_page(request.GET.get("opage"))

    drafts = deputy_drafts(deputy_id, DRAFTS_SHOWN + 1)
    return render(
        request,
        "deputy/home.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "role": role,
            "filtered": bool(query or status or role),
            "statuses": STATUS_FILTERS,
            "awaiting": awaiting_rating(deputy_id),
            "panels": panels_for(request, request.user.deputy, "deputy_home"),
            "drafts": drafts[:DRAFTS_SHOWN],
            "more_drafts": len(drafts) > DRAFTS_SHOWN,
            "opinion_page": opinion_page,
            "opinion_query": opinion_query,
            "today": today,
        },
    )


@login_required
@require_POST
def opinion_action(request, pk):
    """Accept, answer on the spot or decline an opinion I received, through the workflow."""
    deputy_id = deputy_id_of(request)
    opinion = get_object_or_404(Opinion.objects.filter(deputies__id=deputy_id), pk=pk)
    form = OpinionActionForm(request.POST)
    back = safe_next(request, reverse("deputy:home"))
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the opinion."))
        return redirect(back)
    action, text = form.cleaned_data["action"], form.cleaned_data["text"]
    try:
        if action == "accept":
            workflow.opinion_accept(opinion=opinion, actor=request.user)
            message = _("The opinion is taken up for follow-up.")
        elif action == "answer":
            workflow.opinion_answer(opinion=opinion, actor=request.user, answer=text)
            message = _("The answer is recorded; the voter can read it with the tracking code.")
        else:
            workflow.opinion_decline(opinion=opinion, actor=request.user, reason=text)
            message = _("The opinion is declined; the voter can read the reason with the tracking code.")
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, message)
    return redirect(back)


# Logging an opinion
# ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def opinion_new(request):
    """Log an opinion taken down on a reception day, a visit, at a stall, by phone or letter."""
    deputy_id = deputy_id_of(request)
    form = DeputyOpinionForm(request.POST or None, deputy_id=deputy_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            opinion = workflow.opinion_create(
                actor=request.user,
                deputies=[deputy_id],
                content=data["content"],
                channel=data["channel"],
                station=data["station"],
                category=data["category"],
                place=data["place"],
                voter_name=data["voter_name"],
                voter_phone=data["voter_phone"],
                received_on=data["received_on"],
                grid=data.get("grid"),
            )
        except workflow.WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The opinion is logged. Its tracking code for the voter: %(code)s") % {"code": opinion.tracking_code},
            )
            if "another" in request.POST:
                return redirect("deputy:opinion_new")
            return redirect("deputy:home")
    return render(request, "deputy/opinion_form.html", {"form": form, "has_stations": stations_of(deputy_id).exists()})


# Writing a suggestion
# ------------------------------------------------------------------------------


def requested_opinion_ids(request) -> list[int]:
    """``?opinions=1,2`` or ``?opinions=1&opinions=2`` → ``[1, 2]`` (non-numbers are ignored)."""
    parts = [part.strip() for value in request.GET.getlist("opinions") for part in value.split(",")]
    return [int(part) for part in parts if part.isdigit()][:50]


def initial_from_opinions(opinions: list[Opinion]) -> dict:
    """Pre-fill a new suggestion from the chosen opinions: their text, subject and station."""
    if not opinions:
        return {}
    first = opinions[0]
    return {
        "opinions": [opinion.pk for opinion in opinions],
        "content": "\n\n".join(opinion.content for opinion in opinions),
        "category": first.category_id,
        "station": first.station_id,
        "title": first.content.splitlines()[0][:40] if first.content else "",
    }


def save_attachments(suggestion: Suggestion, uploads, user) -> None:
    for upload in uploads:
        SuggestionAttachment.objects.create(
            suggestion=suggestion, file=upload, name=upload.name[:200], uploaded_by=user
        )


@login_required
@require_http_methods(["GET", "POST"])
def suggestion_new(request):
    """Write a suggestion, fresh or from my open opinions; save it as a draft or submit it."""
    deputy_id = deputy_id_of(request)
    if request.method == "POST":
        form = SuggestionForm(request.POST, request.FILES, deputy_id=deputy_id)
        submit = request.POST.get("save") == "submit"
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    suggestion = workflow.suggestion_create(
                        actor=request.user,
                        lead_deputy=Deputy.objects.get(pk=deputy_id),
                        title=data["title"],
                        content=data["content"],
                        category=data["category"],
                        station=data["station"],
                        co_signers=list(data["co_signers"]),
                        opinions=list(data["opinions"]),
                        submit=False,
                    )
                    save_attachments(suggestion, data["attachments"], request.user)
                    if submit:
                        suggestion = workflow.suggestion_submit(suggestion=suggestion, actor=request.user)
            except workflow.WorkflowError as error:
                form.add_error(None, str(error))
            else:
                announce_saved(request, suggestion, submit, _("The draft is saved. You can edit and submit it later."))
                return redirect("deputy:suggestion", pk=suggestion.pk)
    else:
        chosen = list(open_opinions_of(deputy_id).filter(pk__in=requested_opinion_ids(request)))
        form = SuggestionForm(initial=initial_from_opinions(chosen), deputy_id=deputy_id)
    return render(request, "deputy/suggestion_form.html", {"form": form, "suggestion": None})


def announce_saved(request, suggestion: Suggestion, submitted: bool, draft_message: str) -> None:
    if submitted:
        message = _("Suggestion %(number)s is submitted; the congress staff will review it.") % {
            "number": suggestion.number
        }
    else:
        message = draft_message
    messages.success(request, message)


def my_draft(deputy_id: int, pk: int) -> Suggestion:
    """One of my suggestions as lead deputy, or 404: on these pages the lead deputy edits and
    submits drafts (the workflow lets staff do it for them in the admin and the API)."""
    return get_object_or_404(led_by(deputy_id), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def suggestion_edit(request, pk):
    """Edit a draft (``workflow.suggestion_update_draft``), and optionally submit it."""
    deputy_id = deputy_id_of(request)
    suggestion = my_draft(deputy_id, pk)
    if suggestion.status != SuggestionStatus.DRAFT:
        messages.error(request, _("Only a draft can be edited; this suggestion is already submitted."))
        return redirect("deputy:suggestion", pk=suggestion.pk)
    current_co_signers = list(suggestion.co_signers.values_list("pk", flat=True))
    kwargs = {"deputy_id": deputy_id, "with_opinions": False, "current_co_signers": current_co_signers}
    if request.method == "POST":
        form = SuggestionForm(request.POST, request.FILES, **kwargs)
        submit = request.POST.get("save") == "submit"
        if form.is_valid():
            try:
                data = form.cleaned_data
                with transaction.atomic():
                    suggestion = workflow.suggestion_update_draft(
                        suggestion=suggestion,
                        actor=request.user,
                        title=data["title"],
                        content=data["content"],
                        category=data["category"],
                        station=data["station"],
                        co_signers=data["co_signers"],
                    )
                    save_attachments(suggestion, data["attachments"], request.user)
                    if submit:
                        suggestion = workflow.suggestion_submit(suggestion=suggestion, actor=request.user)
            except workflow.WorkflowError as error:
                form.add_error(None, str(error))
            else:
                announce_saved(request, suggestion, submit, _("The draft is saved."))
                return redirect("deputy:suggestion", pk=suggestion.pk)
    else:
        initial = {
            "title": suggestion.title,
            "content": suggestion.content,
            "category": suggestion.category_id,
            "station": suggestion.station_id,
            "co_signers": current_co_signers,
        }
        form = SuggestionForm(initial=initial, **kwargs)
    return render(
        request,
        "deputy/suggestion_form.html",
        {"form": form, "suggestion": suggestion, "attachments": list(suggestion.attachments.all())},
    )


@login_required
@require_POST
def suggestion_submit(request, pk):
    """Submit a draft to the congress staff (it gets its number now)."""
    deputy_id = deputy_id_of(request)
    suggestion = my_draft(deputy_id, pk)
    try:
        suggestion = workflow.suggestion_submit(suggestion=suggestion, actor=request.user)
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Suggestion %(number)s is submitted; the congress staff will review it.") % {"number": suggestion.number},
        )
    return redirect("deputy:suggestion", pk=suggestion.pk)


# One suggestion
# ------------------------------------------------------------------------------


def my_suggestion(deputy_id: int, pk: int) -> Suggestion:
    """One of my suggestions (lead or co-signed), with everything its page shows, or 404."""
    return get_object_or_404(deputy_suggestion(deputy_id), pk=pk)


def rating_state(suggestion: Suggestion, handling: Suggestion, deputy_id: int) -> dict:
    """Whether the deputy may rate the latest reply now, and until when."""
    replies = list(handling.replies.all())
    reply = replies[-1] if replies else None
    if reply is None:
        return {"reply": None, "can_rate": False, "deadline": None, "rated": None}
    rated = next((f for f in suggestion.feedback.all() if f.reply_id == reply.pk), None)
    deadline = workflow.feedback_deadline(reply)
    can_rate = (
        suggestion.lead_deputy_id == deputy_id
        and handling.status == SuggestionStatus.REPLIED
        and rated is None
        and workflow.feedback_window_open(reply)
    )
    return {"reply": reply, "can_rate": can_rate, "deadline": deadline, "rated": rated}


def detail_context(request, suggestion: Suggestion, deputy_id: int, rating_form: RatingForm | None = None) -> dict:
    today = timezone.localdate()
    deadlines = Deadlines()
    handling = suggestion
    if suggestion.primary_id:
        handling = suggestion_detail_queryset().get(pk=suggestion.primary_id)
    assignments = list(handling.assignments.all())
    open_assignments = [a for a in assignments if a.is_open]
    annotate_days_left(open_assignments, today, deadlines)
    for assignment in assignments:
        assignment.colour_label = COLOUR_LABELS.get(getattr(assignment, "colour", ""), "")
    replies = list(handling.replies.all())
    for reply in replies:
        reply.file_label = display_name(reply.file)
    attachments = list(suggestion.attachments.all())
    rating = rating_state(suggestion, handling, deputy_id)
    return {
        "suggestion": suggestion,
        "handling": handling,
        "is_lead": suggestion.lead_deputy_id == deputy_id,
        "assignments": assignments,
        "replies": replies,
        "my_ratings": list(suggestion.feedback.all()),
        "events": list(timeline(suggestion).select_related(None).select_related("assignment__department")),
        "attachments": attachments,
        "source_opinions": list(suggestion.source_opinions.all()),
        "co_signers": list(suggestion.co_signers.all()),
        "rating": rating,
        "rating_form": rating_form or RatingForm(),
        "today": today,
    }


@login_required
@require_GET
def suggestion_detail(request, pk):
    deputy_id = deputy_id_of(request)
    suggestion = my_suggestion(deputy_id, pk)
    return render(request, "deputy/suggestion_detail.html", detail_context(request, suggestion, deputy_id))


@login_required
@require_POST
def suggestion_rate(request, pk):
    """Rate the latest reply: satisfied, basically satisfied or unsatisfied (with a comment)."""
    deputy_id = deputy_id_of(request)
    suggestion = my_suggestion(deputy_id, pk)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            workflow.feedback_rate(
                suggestion=suggestion,
                actor=request.user,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except workflow.WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you, your rating is recorded."))
            return redirect("deputy:suggestion", pk=suggestion.pk)
    context = detail_context(request, suggestion, deputy_id, rating_form=form)
    if not context["rating"]["can_rate"] and form.non_field_errors():
        messages.error(request, " ".join(form.non_field_errors()))
    return render(request, "deputy/suggestion_detail.html", context, status=200)
