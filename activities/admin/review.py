"""The staff's review list (``/activities/review/``): activities in their scope, awaiting
review first, verified or sent back with a reason in one tap each. The admin changelist
offers the same through its actions; both call the workflow."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from liaison.scope import scope_for
from stations.models import Station

from .. import selectors, workflow
from ..models import Activity, ActivityStatus, ActivityType

PAGE_SIZE = 30


def require_staff(request) -> None:
    if not scope_for(request.user).can_use_admin:
        raise PermissionDenied(_("This page is for the congress staff and liaison officers."))


@login_required
@require_GET
def review_list(request):
    require_staff(request)
    status = request.GET.get("status", ActivityStatus.SUBMITTED)
    status = status if status in ActivityStatus.values or status == "all" else ActivityStatus.SUBMITTED
    township = request.GET.get("township", "")
    type_code = request.GET.get("type", "")
    query = request.GET.get("q", "").strip()[:50]
    activities = Activity.objects.visible_to(request.user)
    if status != "all":
        activities = activities.filter(status=status)
    if township.isdigit():
        activities = activities.filter(station__township_id=int(township))
    if type_code:
        activities = activities.filter(activity_type__code=type_code)
    if query:
        activities = activities.filter(
            Q(place__icontains=query) | Q(summary__icontains=query) | Q(station__name__icontains=query)
        )
    activities = selectors.with_list_data(activities).order_by("-started_at", "-pk")
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    townships = Station.objects.visible_to(request.user).townships().order_by("code").values_list("pk", "name")
    return render(
        request,
        "activities/review.html",
        {
            "page": page,
            "status": status,
            "township": township,
            "type_code": type_code,
            "query": query,
            "statuses": ActivityStatus.choices,
            "townships": list(townships),
            "types": ActivityType.objects.all(),
        },
    )


@login_required
@require_POST
def review_action(request, pk):
    """Verify or return one activity (``action`` = ``verify`` | ``return``, ``reason``)."""
    require_staff(request)
    activity = get_object_or_404(Activity.objects.visible_to(request.user), pk=pk)
    action = request.POST.get("action", "")
    try:
        if action == "verify":
            workflow.activity_verify(activity=activity, actor=request.user)
            messages.success(request, _("The activity is verified."))
        elif action == "return":
            workflow.activity_return(activity=activity, actor=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("The activity is returned to the deputy."))
        else:
            messages.error(request, _("Choose what to do with the activity."))
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("activities:review")
    return redirect(target)
