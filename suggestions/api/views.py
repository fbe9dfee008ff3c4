"""The API's resources. Reads go through the selectors (:mod:`suggestions.selectors.api`, scoped by
each model's ``visible_to``); changes through the workflow."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, ValidationError
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from deputies.models import Deputy
from liaison.scope import can_see_personal_data, scope_for

from .. import workflow
from ..models import (
    Assignment,
    Category,
    Commitment,
    Department,
    ExtensionRequest,
    Opinion,
    ResultClass,
    Suggestion,
)
from ..selectors import timeline
from ..selectors.api import (
    api_assignments,
    api_opinions,
    api_suggestions,
    visible_commitments,
    visible_extension_requests,
)
from . import inputs, serializers
from .base import Pagination, ResourceViewSet
from .filters import AssignmentFilter, CommitmentFilter, ExtensionRequestFilter, OpinionFilter, SuggestionFilter
from .permissions import EntersOpinions, WritesSuggestions

REFUSALS = {
    400: OpenApiResponse(description="Bad input: field errors, or the workflow's message in `detail`."),
    403: OpenApiResponse(description="The user may not take this action."),
    404: OpenApiResponse(description="No such object in the user's scope."),
    409: OpenApiResponse(description="The action is not possible in the object's current status."),
}


def action_schema(response, request=None, **kwargs):
    """The schema of a POST action: its input, the fresh object, and the refusals."""
    return extend_schema(request=request, responses={200: response, **REFUSALS}, **kwargs)


# Opinions
# ------------------------------------------------------------------------------


@extend_schema_view(
    create=extend_schema(request=inputs.OpinionCreateInput, responses={201: serializers.OpinionSerializer})
)
class OpinionViewSet(mixins.CreateModelMixin, ResourceViewSet):
    """Voters' opinions. Voters' names and phones are masked except for congress staff."""

    workflow_target = "opinion"

    queryset = Opinion.objects.none()  # the model, for the schema; get_queryset scopes it
    serializer_class = serializers.OpinionSerializer
    filterset_class = OpinionFilter
    search_fields = ["tracking_code", "content"]
    ordering_fields = ["received_on", "created_at", "id"]

    def get_queryset(self):
        return api_opinions(self.request.user)

    def get_permissions(self):
        if self.action == "create":
            return [*super().get_permissions(), EntersOpinions()]
        return super().get_permissions()

    def create(self, request, *args, **kwargs):
        values = self.read_input(inputs.OpinionCreateInput)
        own_deputy_id = scope_for(request.user).deputy_id
        if own_deputy_id and own_deputy_id not in {deputy.pk for deputy in values["deputies"]}:
            values["deputies"] = [*values["deputies"], Deputy.objects.get(pk=own_deputy_id)]
        opinion = workflow.opinion_create(actor=request.user, **values)
        return self.fresh_response(opinion.pk, status.HTTP_201_CREATED)

    @action_schema(serializers.OpinionSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self.act(workflow.opinion_accept)

    @action_schema(serializers.OpinionSerializer, inputs.AnswerInput)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        return self.act(workflow.opinion_answer, inputs.AnswerInput)

    @action_schema(serializers.OpinionSerializer, inputs.ReasonInput)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self.act(workflow.opinion_decline, inputs.ReasonInput)


# Suggestions
# ------------------------------------------------------------------------------


@extend_schema_view(
    create=extend_schema(
        request=inputs.SuggestionCreateInput, responses={201: serializers.SuggestionDetailSerializer, **REFUSALS}
    ),
    partial_update=extend_schema(
        request=inputs.DraftUpdateInput, responses={200: serializers.SuggestionDetailSerializer, **REFUSALS}
    ),
)
class SuggestionViewSet(mixins.CreateModelMixin, ResourceViewSet):
    """Deputies' suggestions and their lifecycle, one POST action per transition."""

    workflow_target = "suggestion"

    queryset = Suggestion.objects.none()
    serializer_class = serializers.SuggestionSerializer
    detail_serializer_class = serializers.SuggestionDetailSerializer
    filterset_class = SuggestionFilter
    search_fields = ["number", "title"]
    ordering_fields = ["number", "submitted_at", "title", "status", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if self.action == "timeline":
            return Suggestion.objects.visible_to(self.request.user)
        return api_suggestions(self.request.user, detail=self.action != "list")

    def get_permissions(self):
        if self.action == "create":
            return [*super().get_permissions(), WritesSuggestions()]
        return super().get_permissions()

    def create(self, request, *args, **kwargs):
        values = self.read_input(inputs.SuggestionCreateInput)
        lead = values.pop("lead_deputy")
        if lead is None:
            own_deputy_id = scope_for(request.user).deputy_id
            if not own_deputy_id:
                raise ValidationError({"lead_deputy": [_("Name the lead deputy.")]})
            lead = Deputy.objects.get(pk=own_deputy_id)
        suggestion = workflow.suggestion_create(actor=request.user, lead_deputy=lead, **values)
        return self.fresh_response(suggestion.pk, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        """Edit a draft's title, content, category or co-signers (whoever may submit it)."""
        return self.act(workflow.suggestion_update_draft, inputs.DraftUpdateInput, partial=True)

    @action_schema(serializers.SuggestionDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self.act(workflow.suggestion_submit)

    @action_schema(serializers.SuggestionDetailSerializer, inputs.AcceptInput)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self.act(workflow.suggestion_accept, inputs.AcceptInput)

    @action_schema(serializers.SuggestionDetailSerializer, inputs.ReasonInput)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self.act(workflow.suggestion_reject, inputs.ReasonInput)

    @action_schema(serializers.SuggestionDetailSerializer, inputs.JoinInput)
    @action(detail=True, methods=["post"])
    def join(self, request, pk=None):
        return self.act(workflow.suggestion_join, inputs.JoinInput)

    @action_schema(serializers.SuggestionDetailSerializer, inputs.AssignInput)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        return self.act(workflow.suggestion_assign, inputs.AssignInput)

    @action_schema(serializers.SuggestionDetailSerializer, inputs.CloseInput)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self.act(workflow.suggestion_close, inputs.CloseInput)

    @action_schema(serializers.SuggestionDetailSerializer, inputs.PublishInput)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self.act(workflow.suggestion_publish_reply, inputs.PublishInput)

    @action_schema(serializers.SuggestionDetailSerializer, inputs.RateInput)
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        return self.act(workflow.feedback_rate, inputs.RateInput)

    @extend_schema(responses={200: serializers.EventSerializer(many=True), 404: REFUSALS[404]})
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def timeline(self, request, pk=None):
        """The suggestion's trail, oldest first. Internal steps (extension requests, withdrawn
        assignments …) only for congress staff and handling departments."""
        suggestion = self.get_object()
        internal = can_see_personal_data(request.user) or bool(scope_for(request.user).department_ids)
        events = timeline(suggestion, public_only=not internal)
        return Response(serializers.EventSerializer(events, many=True).data)


# Assignments, extension requests, commitments
# ------------------------------------------------------------------------------


class AssignmentViewSet(ResourceViewSet):
    """Departments' assignments (交办单) and the handlers' actions on them."""

    workflow_target = "assignment"

    queryset = Assignment.objects.none()
    serializer_class = serializers.AssignmentSerializer
    detail_serializer_class = serializers.AssignmentDetailSerializer
    filterset_class = AssignmentFilter
    search_fields = ["suggestion__number", "suggestion__title"]
    ordering_fields = ["due_on", "assigned_at", "id"]

    def get_queryset(self):
        return api_assignments(self.request.user, detail=self.action != "list")

    @action_schema(serializers.AssignmentDetailSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self.act(workflow.assignment_accept)

    @action_schema(serializers.AssignmentDetailSerializer, inputs.ReasonInput)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        return self.act(workflow.assignment_return, inputs.ReasonInput)

    @action_schema(serializers.AssignmentDetailSerializer, inputs.ContactInput)
    @action(detail=True, methods=["post"])
    def contact(self, request, pk=None):
        return self.act(workflow.assignment_log_contact, inputs.ContactInput)

    @action_schema(serializers.AssignmentDetailSerializer, inputs.TextInput)
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        return self.act(workflow.assignment_log_progress, inputs.TextInput)

    @action_schema(serializers.AssignmentDetailSerializer, inputs.TextInput)
    @action(detail=True, methods=["post"], url_path="input", url_name="input")
    def give_input(self, request, pk=None):
        return self.act(workflow.assignment_submit_input, inputs.TextInput)

    @action_schema(serializers.AssignmentDetailSerializer, inputs.ReplyInput)
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        def reply_with_commitments(*, commitments, **values):
            promised = [(item["content"], item["due_on"]) for item in commitments]
            return workflow.assignment_reply(commitments=promised, **values)

        return self.act(reply_with_commitments, inputs.ReplyInput)

    @action_schema(serializers.AssignmentDetailSerializer, inputs.ExtensionRequestInput)
    @action(detail=True, methods=["post"], url_path="request-extension", url_name="request-extension")
    def request_extension(self, request, pk=None):
        return self.act(workflow.extension_request, inputs.ExtensionRequestInput)


class ExtensionRequestViewSet(ResourceViewSet):
    """Departments' requests for more time, and the staff's decisions."""

    workflow_target = "request"

    queryset = ExtensionRequest.objects.none()
    serializer_class = serializers.ExtensionRequestSerializer
    filterset_class = ExtensionRequestFilter
    ordering_fields = ["requested_at", "requested_due_on", "id"]

    def get_queryset(self):
        return visible_extension_requests(self.request.user).select_related(
            "assignment__department", "assignment__suggestion", "requested_by", "decided_by"
        )

    @action_schema(serializers.ExtensionRequestSerializer, inputs.ExtensionDecideInput)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        return self.act(workflow.extension_decide, inputs.ExtensionDecideInput)


class CommitmentViewSet(ResourceViewSet):
    """What replies promised (承诺事项), tracked until fulfilled."""

    workflow_target = "commitment"

    queryset = Commitment.objects.none()
    serializer_class = serializers.CommitmentSerializer
    filterset_class = CommitmentFilter
    search_fields = ["content", "suggestion__number"]
    ordering_fields = ["due_on", "id"]

    def get_queryset(self):
        return visible_commitments(self.request.user).select_related("suggestion", "reply__assignment__department")

    @action_schema(serializers.CommitmentSerializer, inputs.FulfilInput)
    @action(detail=True, methods=["post"])
    def fulfil(self, request, pk=None):
        return self.act(workflow.commitment_fulfil, inputs.FulfilInput)


# Reference lists
# ------------------------------------------------------------------------------


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Category.objects.all()
    serializer_class = serializers.CategorySerializer
    pagination_class = Pagination
    filterset_fields = ["is_active"]
    search_fields = ["name"]


class ResultClassViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = ResultClass.objects.all()
    serializer_class = serializers.ResultClassSerializer
    pagination_class = Pagination
    filter_backends = []


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Department.objects.none()
    serializer_class = serializers.DepartmentSerializer
    pagination_class = Pagination
    filterset_fields = ["level", "is_active", "township"]
    search_fields = ["name"]

    def get_queryset(self):
        return Department.objects.visible_to(self.request.user).select_related("township")


# Tokens
# ------------------------------------------------------------------------------


class TokenView(ObtainAuthToken):
    """POST a username and password for your API token; DELETE (authenticated) to revoke it."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(request=None, responses={204: None, 401: OpenApiResponse(description="Not authenticated.")})
    def delete(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            raise NotAuthenticated()
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
