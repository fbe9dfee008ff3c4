"""Campaign pages (``/activities/campaigns/``): the list and one campaign's progress against
its targets per township and group, in figures and a bar chart (ECharts, served from
``static/vendor/echarts``), with the table beside every chart.

Staff and deputies see them: the figures are counts, with no personal data.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from liaison.scope import scope_for

from .. import selectors
from ..models import Campaign, Measure


def require_staff_or_deputy(request) -> None:
    scope = scope_for(request.user)
    if not (scope.can_use_admin or scope.deputy_id):
        raise PermissionDenied(_("Campaign figures are for the congress staff and deputies."))


@login_required
@require_GET
def campaign_list(request):
    require_staff_or_deputy(request)
    return render(request, "activities/campaigns.html", {"campaigns": Campaign.objects.all()[:100]})


@login_required
@require_GET
def campaign_detail(request, pk):
    require_staff_or_deputy(request)
    campaign = get_object_or_404(Campaign, pk=pk)
    progress = selectors.campaign_progress(campaign)
    groups = progress.by_measure()
    charts = [
        {
            "id": f"chart-{measure}",
            "title": label,
            "units": [row.unit for row in rows],
            "target": [row.target for row in rows],
            "reached": [row.reached for row in rows],
        }
        for measure, label, rows in groups
    ]
    headline = [(str(label), progress.totals.get(value, 0)) for value, label in Measure.choices]
    return render(
        request,
        "activities/campaign.html",
        {
            "campaign": campaign,
            "progress": progress,
            "groups": groups,
            "charts": charts,
            "headline": headline,
            "labels": {"target": _("Target"), "reached": _("Reached")},
        },
    )
