"""The API of reception days, duty rosters, check-in, leave requests and grids.

- ``GET /api/reception-days/?station=<code>&month=YYYY-MM``: a station's reception days in a
  month with the deputies on duty (any signed-in user; the same facts as the public page);
- ``/api/duties/``: duties in the user's scope (staff: their stations; deputies: their own);
  staff add (``POST``) and take off (``DELETE``) duties, fill a month by rotation
  (``POST /api/duties/generate/``); ``GET /api/duties/mine/`` is the deputy's list;
  ``POST /api/duties/check-in/`` checks the deputy in at a station today;
- ``/api/leave-requests/``: a deputy asks for leave (``POST``), staff decide
  (``POST /api/leave-requests/<id>/decide/``);
- ``/api/grids/``: grids of the stations the user may see, with their leaders.

Reads go through ``visible_to``; changes through :mod:`activities.workflow.duty`, whose
refusals the project's exception handler answers 403 / 409 / 400.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from deputies.models import Deputy
from liaison.scope import scope_for
from stations.models import Grid, Station
from suggestions.api.base import ResourceViewSet

from ..models import DutyAssignment, DutyStatus, LeaveRequest
from ..selectors_duty import roster_month
from ..workflow.duty import duty_assign, duty_check_in, duty_remove, leave_decide, leave_request, roster_generate

REFUSALS = {
    400: OpenApiResponse(description="Bad input: field errors, or the workflow's message in `detail`."),
    403: OpenApiResponse(description="The user may not take this action."),
    404: OpenApiResponse(description="No such object in the user's scope."),
    409: OpenApiResponse(description="The action is not possible in the duty's current status."),
}


def parse_month(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(f"{value}-01")
    except (TypeError, ValueError):
        raise ValidationError({"month": _("Give the month as YYYY-MM.")}) from None


# Serializers --------------------------------------------------------------------------
class DutyDeputySerializer(serializers.ModelSerializer):
    class Meta:
        model = Deputy
        fields = ["id", "code", "name"]


class DutyStationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Station
        fields = ["id", "code", "name"]


class DutySerializer(serializers.ModelSerializer):
    station = DutyStationSerializer(read_only=True)
    deputy = DutyDeputySerializer(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = DutyAssignment
        fields = ["id", "station", "day", "deputy", "status", "status_display", "checked_in_at", "activity"]


class DutyCreateInput(serializers.Serializer):
    station = serializers.SlugRelatedField(slug_field="code", queryset=Station.objects.all())
    day = serializers.DateField()
    deputy = serializers.PrimaryKeyRelatedField(queryset=Deputy.objects.all())


class GenerateInput(serializers.Serializer):
    station = serializers.SlugRelatedField(slug_field="code", queryset=Station.objects.all())
    month = serializers.RegexField(r"^\d{4}-\d{2}$", help_text="YYYY-MM")


class GenerateResult(serializers.Serializer):
    added = serializers.IntegerField()
    short_days = serializers.DictField(child=serializers.IntegerField(), help_text="day → deputies missing")


class CheckInInput(serializers.Serializer):
    station = serializers.SlugRelatedField(slug_field="code", queryset=Station.objects.filter(is_active=True))


class LeaveSerializer(serializers.ModelSerializer):
    duty = DutySerializer(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = LeaveRequest
        fields = ["id", "duty", "reason", "status", "status_display", "requested_at", "decided_at", "decision_note"]


class LeaveCreateInput(serializers.Serializer):
    duty = serializers.IntegerField()
    reason = serializers.CharField(max_length=500)


class LeaveDecideInput(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class GridSerializer(serializers.ModelSerializer):
    station = DutyStationSerializer(read_only=True)
    leaders = DutyDeputySerializer(many=True, read_only=True)

    class Meta:
        model = Grid
        fields = ["id", "code", "name", "description", "is_active", "station", "leaders"]


class RosterDaySerializer(serializers.Serializer):
    day = serializers.DateField()
    is_reception_day = serializers.BooleanField()
    duties = DutySerializer(many=True)


# Views ----------------------------------------------------------------------------------
class ReceptionDaysView(APIView):
    """A station's reception days in a month and who is on duty (the public 公示, as data)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("station", str, required=True, description="station code"),
            OpenApiParameter("month", str, required=True, description="YYYY-MM"),
        ],
        responses={200: RosterDaySerializer(many=True), 400: REFUSALS[400], 404: REFUSALS[404]},
    )
    def get(self, request):
        station = get_object_or_404(Station.objects.active(), code=request.query_params.get("station", ""))
        month = parse_month(request.query_params.get("month", ""))
        days = roster_month(station, month)
        if not scope_for(request.user).can_use_admin:
            days = [day for day in days if day.is_reception_day]
        rows = [
            {"day": day.day, "is_reception_day": day.is_reception_day, "duties": day.duties}
            for day in days
            if day.is_reception_day or day.duties
        ]
        return Response(RosterDaySerializer(rows, many=True).data)


class DutyFilter(django_filters.FilterSet):
    station = django_filters.CharFilter(field_name="station__code")
    status = django_filters.ChoiceFilter(choices=DutyStatus.choices)
    since = django_filters.DateFilter(field_name="day", lookup_expr="gte")
    until = django_filters.DateFilter(field_name="day", lookup_expr="lte")
    missed = django_filters.BooleanFilter(method="filter_missed")

    class Meta:
        model = DutyAssignment
        fields = ["station", "status", "since", "until", "missed"]

    def filter_missed(self, queryset, name, value):
        return queryset.missed() if value else queryset


def _require_audience(request) -> None:
    scope = scope_for(request.user)
    if not (scope.can_use_admin or scope.deputy_id):
        raise PermissionDenied()


class DutyViewSet(mixins.CreateModelMixin, mixins.DestroyModelMixin, ResourceViewSet):
    """Duties of the reception days in the user's scope."""

    queryset = DutyAssignment.objects.none()
    serializer_class = DutySerializer
    filterset_class = DutyFilter
    ordering_fields = ["day", "id"]
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self):
        _require_audience(self.request)
        return (
            DutyAssignment.objects.visible_to(self.request.user)
            .select_related("station", "deputy")
            .order_by("-day", "station__code", "deputy__name")
        )

    @extend_schema(request=DutyCreateInput, responses={201: DutySerializer, **REFUSALS})
    def create(self, request, *args, **kwargs):
        _require_audience(request)
        values = self.read_input(DutyCreateInput)
        duty = duty_assign(actor=request.user, **values)
        return self.fresh_response(duty.pk, status.HTTP_201_CREATED)

    @extend_schema(responses={204: None, **REFUSALS})
    def destroy(self, request, *args, **kwargs):
        duty_remove(duty=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={200: DutySerializer(many=True)})
    @action(detail=False, methods=["get"])
    def mine(self, request):
        deputy_id = scope_for(request.user).deputy_id
        if not deputy_id:
            raise PermissionDenied(_("This list is for deputies."))
        duties = self.filter_queryset(self.get_queryset().filter(deputy_id=deputy_id))
        page = self.paginate_queryset(duties)
        return self.get_paginated_response(DutySerializer(page, many=True).data)

    @extend_schema(request=CheckInInput, responses={200: DutySerializer, **REFUSALS})
    @action(detail=False, methods=["post"], url_path="check-in")
    def check_in(self, request):
        values = self.read_input(CheckInInput)
        duty = duty_check_in(station=values["station"], actor=request.user)
        return self.fresh_response(duty.pk)

    @extend_schema(request=GenerateInput, responses={200: GenerateResult, **REFUSALS})
    @action(detail=False, methods=["post"])
    def generate(self, request):
        _require_audience(request)
        values = self.read_input(GenerateInput)
        plan = roster_generate(station=values["station"], month=parse_month(values["month"]), actor=request.user)
        short = {f"{day:%Y-%m-%d}": missing for day, missing in plan.short.items()}
        return Response({"added": plan.count, "short_days": short})


class LeaveViewSet(mixins.CreateModelMixin, ResourceViewSet):
    """Leave requests (请假): the deputy's own, and those staff decide in their scope."""

    queryset = LeaveRequest.objects.none()
    serializer_class = LeaveSerializer
    filterset_fields = ["status"]
    workflow_target = "leave"

    def get_queryset(self):
        _require_audience(self.request)
        return (
            LeaveRequest.objects.visible_to(self.request.user)
            .select_related("duty__station", "duty__deputy")
            .order_by("-requested_at", "-id")
        )

    @extend_schema(request=LeaveCreateInput, responses={201: LeaveSerializer, **REFUSALS})
    def create(self, request, *args, **kwargs):
        _require_audience(request)
        values = self.read_input(LeaveCreateInput)
        duty = get_object_or_404(DutyAssignment.objects.visible_to(request.user), pk=values["duty"])
        leave = leave_request(duty=duty, actor=request.user, reason=values["reason"])
        return self.fresh_response(leave.pk, status.HTTP_201_CREATED)

    @extend_schema(request=LeaveDecideInput, responses={200: LeaveSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        return self.act(leave_decide, LeaveDecideInput)


class GridViewSet(ResourceViewSet):
    """Grids (网格) of the stations the user may see, with their leaders (网格长)."""

    queryset = Grid.objects.none()
    serializer_class = GridSerializer
    filterset_fields = {"station__code": ["exact"], "is_active": ["exact"]}
    search_fields = ["name", "code"]
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        return (
            Grid.objects.visible_to(self.request.user)
            .select_related("station")
            .prefetch_related(Prefetch("leaders", queryset=Deputy.objects.order_by("name", "id")))
            .order_by("station__code", "code")
        )
