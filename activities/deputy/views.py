"""The deputy's activity pages (phone first): log an activity from a station page, my
activities with filters, one activity, correcting it, its photos, and the deputy search.

Staff who manage a station may log there too (for a deputy who has no phone at hand).
Every change goes through :mod:`activities.workflow`; a refusal is shown on the form and
writes nothing.
"""

from __future__ import annotations

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from deputies.models import Deputy
from liaison.scope import scope_for
from stations.models import Station

from .. import permissions, selectors, workflow
from ..models import Activity, ActivityPhoto, ActivityStatus, ActivityType
from .forms import ActivityForm

PAGE_SIZE = 20
SEARCH_LIMIT = 20


def draft_key(station: Station) -> str:
    """The browser's localStorage key of the station's draft (cleared once it is recorded)."""
    return f"activity-draft:{station.code}"


def loggable_stations(user):
    """The active stations where the user may log: a deputy's stations, a staff member's."""
    scope = scope_for(user)
    if scope.deputy_id:
        return Station.objects.active().filter(assignments__deputy_id=scope.deputy_id).order_by("tree_id", "lft")
    if scope.can_use_admin:
        return Station.objects.visible_to(user).active().order_by("tree_id", "lft")
    return Station.objects.none()


@login_required
@require_http_methods(["GET", "POST"])
def log(request):
    """Log an activity at ``?station=<code>``; without a station, pick one of mine."""
    code = request.GET.get("station", "")
    if not code:
        stations = list(loggable_stations(request.user)[:200])
        if not stations:
            raise PermissionDenied(_("You may log activities only at the stations you are stationed in or manage."))
        if len(stations) == 1:
            return redirect(f"{reverse('activities:log')}?station={stations[0].code}")
        return render(request, "activities/pick_station.html", {"stations": stations})
    station = get_object_or_404(Station.objects.active().select_related("township"), code=code)
    if not permissions.may_log_at(request.user, station):
        raise PermissionDenied(_("You may log activities only at the stations you are stationed in or manage."))
    deputy_id = scope_for(request.user).deputy_id
    form = ActivityForm(request.POST or None, request.FILES or None, station=station, deputy_id=deputy_id)
    if request.method == "POST" and form.is_valid():
        try:
            activity = workflow.activity_create(
                station=station,
                actor=request.user,
                idempotency_key=form.cleaned_data["idempotency_key"],
                **form.workflow_arguments(),
            )
        except workflow.WorkflowError as error:
            form.add_error(None, str(error))
        else:
            if activity.was_repeated:
                messages.info(request, _("This activity was already recorded; here it is."))
            else:
                messages.success(request, _("The activity is recorded and awaits the staff's review."))
            return redirect(f"{reverse('activities:detail', args=[activity.pk])}?recorded={station.code}")
    return render(
        request,
        "activities/log.html",
        {
            "form": form,
            "station": station,
            "draft_key": draft_key(station),
            "reception_type": ActivityType.objects.filter(code="reception_day").values_list("pk", flat=True).first(),
        },
    )


STATUS_FILTERS = ActivityStatus.choices


@login_required
@require_GET
def mine(request):
    """My activities (attended or recorded), filtered by status, type and year, paginated."""
    scope = scope_for(request.user)
    if not scope.deputy_id:
        raise PermissionDenied(_("These pages are for deputies."))
    activities = selectors.mine(scope.deputy_id, scope.user_id)
    status = request.GET.get("status", "")
    status = status if status in ActivityStatus.values else ""
    type_code = request.GET.get("type", "")
    year = request.GET.get("year", "")
    year = year if year.isdigit() and len(year) == 4 else ""
    if status:
        activities = activities.filter(status=status)
    if type_code:
        activities = activities.filter(activity_type__code=type_code)
    if year:
        activities = activities.filter(started_at__year=int(year))
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "activities/mine.html",
        {
            "page": page,
            "status": status,
            "type_code": type_code,
            "year": year,
            "statuses": STATUS_FILTERS,
            "types": ActivityType.objects.all(),
            "filtered": bool(status or type_code or year),
        },
    )


@login_required
@require_GET
def detail(request, pk):
    """One activity, for whoever may see it: its facts, opinions, photos and trail."""
    activity = get_object_or_404(selectors.activity_detail_queryset(request.user), pk=pk)
    recorded = request.GET.get("recorded", "")
    return render(
        request,
        "activities/detail.html",
        {
            "activity": activity,
            "events": selectors.trail(activity),
            "may_correct": permissions.may_correct(request.user, activity),
            "may_review": permissions.may_review(request.user, activity)
            and activity.status == ActivityStatus.SUBMITTED,
            "clear_draft": f"activity-draft:{recorded}" if recorded else "",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    """Correct my activity until it is verified; after a return, this resubmits it."""
    activity = get_object_or_404(
        Activity.objects.visible_to(request.user).select_related("station", "station__township", "activity_type"),
        pk=pk,
    )
    if not permissions.may_correct(request.user, activity):
        if activity.recorded_by_id == request.user.pk:
            messages.error(request, _("The activity is verified and can no longer be corrected."))
            return redirect("activities:detail", pk=activity.pk)
        raise PermissionDenied(_("Only who recorded the activity may correct it, until it is verified."))
    deputy_id = scope_for(request.user).deputy_id
    form = ActivityForm(
        request.POST or None, request.FILES or None, station=activity.station, deputy_id=deputy_id, activity=activity
    )
    if request.method == "POST" and form.is_valid():
        arguments = form.workflow_arguments()
        try:
            workflow.activity_update(
                activity=activity,
                actor=request.user,
                deputies=arguments.pop("deputies"),
                opinions=arguments.pop("opinions"),
                photos=arguments.pop("photos"),
                **arguments,
            )
        except workflow.WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The activity is corrected."))
            return redirect("activities:detail", pk=activity.pk)
    return render(request, "activities/log.html", {"form": form, "station": activity.station, "activity": activity})


@login_required
@require_GET
def photo(request, pk):
    """One photo, to whoever may see its activity; 404 for anyone else."""
    row = ActivityPhoto.objects.filter(pk=pk).values_list("image", "activity_id").first()
    if row is None or not Activity.objects.visible_to(request.user).filter(pk=row[1]).exists():
        raise Http404
    storage = ActivityPhoto._meta.get_field("image").storage
    try:
        handle = storage.open(row[0], "rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(handle, content_type="image/jpeg", filename=os.path.basename(row[0]))
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_GET
def deputy_search(request):
    """Serving deputies by name, for adding a fellow deputy from another station (names and
    stations only: what the public station pages show)."""
    if not (scope_for(request.user).deputy_id or scope_for(request.user).can_use_admin):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()[:20]
    if len(query) < 1:
        return JsonResponse({"results": []})
    deputies = (
        Deputy.objects.active()
        .filter(Q(name__contains=query))
        .order_by("name", "pk")
        .prefetch_related("assignments__station")[:SEARCH_LIMIT]
    )
    results = [
        {
            "id": deputy.pk,
            "name": deputy.name,
            "stations": "、".join(a.station.name for a in deputy.assignments.all()[:3]),
        }
        for deputy in deputies
    ]
    return JsonResponse({"results": results})
