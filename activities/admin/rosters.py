"""The staff's duty-roster pages (liaison officer, township and county staff), outside the
Django admin so that a liaison officer can also use them on a phone:

- ``/activities/rosters/``: the stations with a reception schedule the user manages;
- ``/activities/rosters/<code>/<year>/<month>/``: the month's reception days and who is on
  duty; fill by rotation, add or take off a deputy by hand;
- ``/activities/duty/missed/``: missed duties (past day, no check-in, no approved leave);
- ``/activities/duty/leave/``: leave requests awaiting a decision, approve or refuse.

Every change goes through :mod:`activities.workflow.duty`; refusals are shown as messages.
"""

from __future__ import annotations

import datetime as dt
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from deputies.models import Deputy
from liaison import clock
from liaison.scope import scope_for
from stations.models import Station

from ..models import DutyAssignment, LeaveRequest
from ..permissions import may_manage_roster
from ..rosters import month_bounds
from ..selectors_duty import leave_requests_for, missed_duties, roster_month, rostered_stations, stationed_deputies
from ..workflow.duty import duty_assign, duty_remove, leave_decide, roster_generate
from ..workflow.errors import WorkflowError

PAGE_SIZE = 50


def staff_only(view):
    """Congress staff and liaison officers (the admin roles); others get 403."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not scope_for(request.user).can_use_admin:
            raise PermissionDenied(_("These pages are for the congress staff and liaison officers."))
        return view(request, *args, **kwargs)

    return wrapped


def _month(year: int, month: int) -> dt.date:
    try:
        return dt.date(year, month, 1)
    except ValueError:
        raise Http404 from None


def roster_url(station: Station, month: dt.date) -> str:
    return reverse("activities:roster", args=[station.code, month.year, month.month])


def _managed_station(request, code) -> Station:
    station = get_object_or_404(Station.objects.select_related("township"), code=code)
    if not may_manage_roster(request.user, station):
        raise Http404
    return station


@staff_only
@require_GET
def roster_index(request):
    page = Paginator(rostered_stations(request.user).select_related("township"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    today = clock.today()
    return render(request, "activities/duty/roster_index.html", {"page": page, "month": today.replace(day=1)})


@staff_only
@require_http_methods(["GET", "POST"])
def roster(request, code, year, month):
    station = _managed_station(request, code)
    first = _month(year, month)
    if request.method == "POST":
        _roster_post(request, station, first)
        return redirect(roster_url(station, first))
    days = roster_month(station, first)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = month_bounds(first)[1] + dt.timedelta(days=1)
    return render(
        request,
        "activities/duty/roster.html",
        {
            "station": station,
            "month": first,
            "days": days,
            "deputies": stationed_deputies(station),
            "today": clock.today(),
            "previous_url": roster_url(station, previous),
            "next_url": roster_url(station, following),
        },
    )


def _roster_post(request, station: Station, first: dt.date) -> None:
    action = request.POST.get("action")
    try:
        if action == "generate":
            plan = roster_generate(station=station, month=first, actor=request.user)
            messages.success(request, _("%(count)s duties added by rotation.") % {"count": plan.count})
            for day, missing in sorted(plan.short.items()):
                messages.warning(
                    request,
                    _("%(day)s is short of %(count)s deputies: not enough deputies are free.")
                    % {"day": f"{day:%Y-%m-%d}", "count": missing},
                )
        elif action == "add":
            day = dt.date.fromisoformat(request.POST.get("day", ""))
            deputy = get_object_or_404(Deputy.objects.visible_to(request.user), pk=request.POST.get("deputy") or 0)
            duty_assign(station=station, day=day, deputy=deputy, actor=request.user)
            messages.success(request, _("%(deputy)s is on duty on %(day)s.") % {"deputy": deputy, "day": day})
        elif action == "remove":
            duty = get_object_or_404(DutyAssignment, pk=request.POST.get("duty") or 0, station=station)
            duty_remove(duty=duty, actor=request.user)
            messages.success(request, _("%(deputy)s was taken off the roster.") % {"deputy": duty.deputy})
        else:
            messages.error(request, _("Unknown action."))
    except WorkflowError as refusal:
        messages.error(request, str(refusal))
    except ValueError:
        messages.error(request, _("Please choose a day."))


@staff_only
@require_GET
def missed(request):
    month = None
    if request.GET.get("month"):
        try:
            month = dt.date.fromisoformat(request.GET["month"] + "-01")
        except ValueError:
            month = None
    page = Paginator(missed_duties(request.user, month=month), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "activities/duty/missed.html",
        {"page": page, "month": f"{month:%Y-%m}" if month else ""},
    )


@staff_only
@require_GET
def leave_list(request):
    page = Paginator(leave_requests_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "activities/duty/leave_list.html", {"page": page})


@staff_only
@require_POST
def leave_decision(request, pk):
    leave = get_object_or_404(LeaveRequest.objects.visible_to(request.user).select_related("duty"), pk=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        leave_decide(leave=leave, actor=request.user, approve=approve, note=request.POST.get("note", ""))
    except WorkflowError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Leave approved.") if approve else _("Leave refused."))
    return redirect("activities:leave_list")
