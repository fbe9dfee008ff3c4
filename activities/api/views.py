"""The activities API: activities (list, read, record with an idempotency key, correct
one's own, verify, return), activity types, and campaigns with their progress.

Reads go through ``visible_to``; changes through :mod:`activities.workflow`, whose refusals
the project's exception handler answers 403 / 409 / 400.
"""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from liaison.params import IdFilter
from liaison.scope import scope_for
from suggestions.api.base import Pagination, ResourceViewSet

from .. import selectors, workflow
from ..models import Activity, ActivityOpinion, ActivityStatus, ActivityType, Campaign
from . import serializers

REFUSALS = {
    400: OpenApiResponse(description="Bad input: field errors, or the workflow's message in `detail`."),
    403: OpenApiResponse(description="The user may not take this action."),
    404: OpenApiResponse(description="No such object in the user's scope."),
    409: OpenApiResponse(description="The action is not possible in the activity's current status."),
}


class ActivityFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ActivityStatus.choices)
    station = django_filters.CharFilter(field_name="station__code")
    township = IdFilter(field_name="station__township_id")
    type = django_filters.CharFilter(field_name="activity_type__code")
    campaign = IdFilter(field_name="campaign_id")
    since = django_filters.IsoDateTimeFilter(field_name="started_at", lookup_expr="gte")
    until = django_filters.IsoDateTimeFilter(field_name="started_at", lookup_expr="lt")

    class Meta:
        model = Activity
        fields = ["status", "station", "township", "type", "campaign", "since", "until"]


class StaffOrDeputy:
    """Activities and campaigns are for congress staff, liaison officers and deputies."""

    def check_audience(self, request) -> None:
        scope = scope_for(request.user)
        if not (scope.can_use_admin or scope.deputy_id):
            raise PermissionDenied()


@extend_schema_view(
    create=extend_schema(
        request=serializers.ActivityCreateInput,
        responses={
            201: serializers.ActivityDetailSerializer,
            200: OpenApiResponse(serializers.ActivityDetailSerializer, description="Already recorded (same key)."),
            **REFUSALS,
        },
    ),
    partial_update=extend_schema(
        request=serializers.ActivityUpdateInput, responses={200: serializers.ActivityDetailSerializer, **REFUSALS}
    ),
)
class ActivityViewSet(StaffOrDeputy, mixins.CreateModelMixin, mixins.UpdateModelMixin, ResourceViewSet):
    """Deputies' activities in the user's scope (staff: their stations; deputies: their own)."""

    queryset = Activity.objects.none()  # the model, for the schema; get_queryset scopes it
    serializer_class = serializers.ActivitySerializer
    detail_serializer_class = serializers.ActivityDetailSerializer
    filterset_class = ActivityFilter
    search_fields = ["place", "summary"]
    ordering_fields = ["started_at", "created_at", "id"]
    pagination_class = Pagination
    http_method_names = ["get", "post", "patch", "head", "options"]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.check_audience(request)

    def get_queryset(self):
        activities = selectors.with_list_data(Activity.objects.visible_to(self.request.user))
        if self.action != "list":
            activities = activities.prefetch_related(
                "photos",
                "events",
                Prefetch("opinion_links", queryset=ActivityOpinion.objects.select_related("opinion").order_by("pk")),
            )
        return activities.order_by("-started_at", "-pk")

    def create(self, request, *args, **kwargs):
        values = self.read_input(serializers.ActivityCreateInput)
        activity = workflow.activity_create(actor=request.user, **values)
        code = status.HTTP_200_OK if activity.was_repeated else status.HTTP_201_CREATED
        return self.fresh_response(activity.pk, code)

    def partial_update(self, request, *args, **kwargs):
        activity = self.get_object()
        values = self.read_input(serializers.ActivityUpdateInput, partial=True)
        workflow.activity_update(
            activity=activity,
            actor=request.user,
            deputies=values.pop("deputies", None),
            opinions=values.pop("opinions", ()),
            **values,
        )
        return self.fresh_response(activity.pk)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    workflow_target = "activity"

    @extend_schema(request=None, responses={200: serializers.ActivityDetailSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        return self.act(workflow.activity_verify)

    @extend_schema(
        request=serializers.ActivityReturnInput, responses={200: serializers.ActivityDetailSerializer, **REFUSALS}
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        return self.act(workflow.activity_return, serializers.ActivityReturnInput)


class ActivityTypeViewSet(viewsets.ReadOnlyModelViewSet):
    """The kinds of activity (an admin-editable list)."""

    queryset = ActivityType.objects.all()
    serializer_class = serializers.ActivityTypeSerializer
    pagination_class = None
    filter_backends = []


class CampaignViewSet(StaffOrDeputy, viewsets.ReadOnlyModelViewSet):
    """Campaigns with their targets, and each campaign's progress (counts only)."""

    queryset = Campaign.objects.prefetch_related("targets").order_by("-starts_on", "pk")
    serializer_class = serializers.CampaignSerializer
    pagination_class = Pagination
    filter_backends = []

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.check_audience(request)

    @extend_schema(responses={200: serializers.CampaignProgressSerializer})
    @action(detail=True, methods=["get"])
    def progress(self, request, pk=None):
        progress = selectors.campaign_progress(self.get_object())
        return Response(serializers.CampaignProgressSerializer(progress).data)
