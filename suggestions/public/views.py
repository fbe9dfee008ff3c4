"""Public pages of the lifecycle: the opinion form behind the QR codes (一站一码、一人一码),
tracking by code (件件有回音) and the suggestions whose reply was published.

Nothing personal is shown here: no voter's name or phone, no deputy's phone, no staff or
handler names, and of a suggestion's trail only the events marked public.
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited

from deputies.models import Deputy
from liaison.params import positive_id
from stations.models import Station

from .. import workflow
from ..models import Channel
from ..selectors.public import (
    TrackedOpinion,
    find_tracked,
    public_categories,
    published_suggestion,
    published_suggestions,
    qr_station,
    suggestion_progress,
)
from .forms import PublicOpinionForm, TrackForm

OPINION_SENT_SESSION_KEY = "public_opinion_sent"
PUBLIC_PAGE_SIZE = 20


def _rate_limited(request, group: str, rate: str) -> bool:
    """Count this POST against the client's address and say whether it is over ``rate``."""
    return is_ratelimited(request, group=group, key="ip", rate=rate, method="POST", increment=True)


def _too_many_requests(request):
    return render(request, "public/rate_limited.html", status=429)


# The opinion form
# ------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def station_opinion(request, code):
    """The form behind a station's QR code: the opinion goes to that station."""
    station = get_object_or_404(Station.objects.active().select_related("township"), code=code)
    return _opinion_form(request, station=station, deputy=None, channel=Channel.STATION_QR)


@never_cache
@require_http_methods(["GET", "POST"])
def deputy_opinion(request, code):
    """The form behind a deputy's personal QR code: the opinion goes to the deputy's first
    active station, with the deputy as its receiving deputy."""
    deputy = get_object_or_404(Deputy.objects.active(), code=code)
    station = qr_station(deputy)
    if station is None:
        raise Http404
    return _opinion_form(request, station=station, deputy=deputy, channel=Channel.DEPUTY_QR)


def _opinion_form(request, *, station: Station, deputy: Deputy | None, channel: str):
    if request.method == "POST":
        if _rate_limited(request, "public-opinion", settings.OPINION_RATE_LIMIT):
            return _too_many_requests(request)
        form = PublicOpinionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                opinion = workflow.opinion_create(
                    actor=None,
                    content=data["content"],
                    channel=channel,
                    station=station,
                    category=data["category"],
                    place=data["place"],
                    deputies=[deputy] if deputy else (),
                    voter_name=data["name"],
                    voter_phone=data["phone"],
                )
            except workflow.WorkflowError as error:
                form.add_error(None, str(error))
            else:
                request.session[OPINION_SENT_SESSION_KEY] = {
                    "code": opinion.tracking_code,
                    "phone": bool(opinion.voter_phone),
                    "station": station.name,
                    "deputy": deputy.name if deputy else "",
                }
                return redirect("public:opinion_sent")
    else:
        form = PublicOpinionForm()
    return render(request, "public/opinion_form.html", {"form": form, "station": station, "deputy": deputy})


@never_cache
@require_GET
def opinion_sent(request):
    """The confirmation after the redirect: the tracking code, kept in the session so that a
    reload shows it again instead of sending the opinion twice."""
    sent = request.session.get(OPINION_SENT_SESSION_KEY)
    if not sent:
        return redirect("public:track")
    return render(request, "public/opinion_sent.html", {"sent": sent})


# Tracking
# ------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def track(request):
    """Look up an opinion or a suggestion by its tracking code (件件有回音)."""
    found = None
    if request.method == "POST":
        if _rate_limited(request, "public-track", settings.TRACK_RATE_LIMIT):
            return _too_many_requests(request)
        form = TrackForm(request.POST)
        if form.is_valid():
            found = find_tracked(form.cleaned_data["code"], form.cleaned_data["digits"])
            if found is None:
                form.add_error(
                    None,
                    _(
                        "Nothing was found for this tracking code and these digits. Check them and try again; "
                        "if you left a phone number, enter its last four digits."
                    ),
                )
    else:
        form = TrackForm(initial={"code": request.GET.get("code", "")[:30]})
    context = {"form": form}
    if isinstance(found, TrackedOpinion):
        context["tracked_opinion"] = found
        context["progress"] = found.progress
    elif found is not None:
        context["progress"] = found
    return render(request, "public/track.html", context)


# Published suggestions
# ------------------------------------------------------------------------------


@require_GET
def suggestion_list(request):
    """Suggestions whose reply the staff published, with search, category filter and pages."""
    query = request.GET.get("q", "").strip()[:50]
    category = request.GET.get("category", "")
    suggestions = published_suggestions(query=query, category_id=positive_id(category) or (0 if category else None))
    page = Paginator(suggestions, PUBLIC_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "public/suggestion_list.html",
        {
            "page": page,
            "query": query,
            "category": category,
            "categories": public_categories(),
        },
    )


@require_GET
def suggestion_detail(request, number):
    """A published suggestion: its content, departments, public trail and reply."""
    suggestion = get_object_or_404(published_suggestion(number))
    return render(
        request,
        "public/suggestion_detail.html",
        {"suggestion": suggestion, "progress": suggestion_progress(suggestion)},
    )
