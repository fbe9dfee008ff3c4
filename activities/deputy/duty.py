"""The deputy's duty pages (phone first): check in on the day from the station page, see
my duties, ask for leave (请假) before the day.

Only users with a deputy record get in (others 403); a duty that is not theirs is a 404.
Every change goes through :mod:`activities.workflow.duty`; a refusal is shown as a message
and writes nothing.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liaison import clock
from liaison.scope import scope_for
from stations.models import Station

from ..models import DutyAssignment, DutyStatus, LeaveStatus
from ..selectors_duty import my_duties
from ..workflow.duty import duty_check_in, leave_request
from ..workflow.errors import WorkflowError


def deputy_id_of(request) -> int:
    deputy_id = scope_for(request.user).deputy_id
    if not deputy_id:
        raise PermissionDenied(_("These pages are for deputies."))
    return deputy_id


class LeaveForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The staff of the station decide; you will get a message."),
    )


@login_required
@require_POST
def check_in(request, code):
    """One tap on the station page: check in for today's duty there."""
    deputy_id_of(request)
    station = get_object_or_404(Station.objects.active(), code=code)
    try:
        duty_check_in(station=station, actor=request.user)
    except WorkflowError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("Checked in at %(station)s. The reception day is recorded; add the voters and opinions to it.")
            % {"station": station},
        )
    return redirect(station.get_absolute_url())


@login_required
@require_GET
def mine(request):
    deputy_id = deputy_id_of(request)
    today = clock.today()
    duties = list(my_duties(deputy_id, today=today))
    coming = sorted((d for d in duties if d.day >= today), key=lambda d: (d.day, d.station.name))
    past = [d for d in duties if d.day < today]
    for duty in coming:
        duty.pending_leave = next((r for r in duty.leave_requests.all() if r.status == LeaveStatus.PENDING), None)
        duty.can_ask_leave = duty.status == DutyStatus.PLANNED and duty.day > today and not duty.pending_leave
    return render(request, "activities/duty/mine.html", {"coming": coming, "past": past[:30], "today": today})


@login_required
@require_http_methods(["GET", "POST"])
def ask_leave(request, pk):
    deputy_id = deputy_id_of(request)
    duty = get_object_or_404(DutyAssignment.objects.select_related("station"), pk=pk, deputy_id=deputy_id)
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            leave_request(duty=duty, actor=request.user, reason=form.cleaned_data["reason"])
        except WorkflowError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Your leave request was sent to the station's staff."))
            return redirect("activities:my_duties")
    return render(request, "activities/duty/leave_form.html", {"duty": duty, "form": form})
