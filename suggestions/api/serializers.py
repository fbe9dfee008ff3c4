"""What the API shows: opinions, suggestions, assignments and their handling records.

All of these are read-only: state changes arrive as POST actions (see :mod:`.inputs`).
Voters' names and phones are masked unless the serializer context says ``personal_data``
(congress staff, see :func:`liaison.access.can_see_personal_data`).
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from liaison.people import display_name
from liaison.textnorm import mask_phone

from ..models import (
    Assignment,
    Category,
    Commitment,
    CommitmentStatus,
    ContactRecord,
    Department,
    ExtensionRequest,
    Feedback,
    HandlingMode,
    Opinion,
    ProgressLog,
    Reply,
    ResultClass,
    Suggestion,
    SuggestionEvent,
    Tier,
)
from ..selectors import COLOUR_LABELS


def mask_name(name: str) -> str:
    """Keep the family name only: ``王小明`` → ``王**``."""
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


def user_name(user) -> str:
    if user is None:
        return ""
    return display_name(user)


# References: the few fields that name a related object
# ------------------------------------------------------------------------------


class NamedRef(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class UserRef(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return user_name(user)


class ResultClassRef(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class SuggestionRef(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(read_only=True, allow_null=True)
    title = serializers.CharField(read_only=True)


# Reference lists
# ------------------------------------------------------------------------------


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "order", "is_active"]


class ResultClassSerializer(serializers.ModelSerializer):
    class Meta:
        model = ResultClass
        fields = ["id", "code", "name", "description", "creates_commitments", "counts_as_resolved", "order"]


class DepartmentSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    township = NamedRef(read_only=True, allow_null=True)

    class Meta:
        model = Department
        fields = ["id", "name", "level", "level_display", "township", "phone", "is_active"]


# Opinions
# ------------------------------------------------------------------------------


class OpinionSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    channel_display = serializers.CharField(source="get_channel_display", read_only=True)
    category = NamedRef(read_only=True, allow_null=True)
    station = NamedRef(read_only=True)
    deputies = NamedRef(many=True, read_only=True)
    suggestion = SuggestionRef(read_only=True, allow_null=True)
    voter_name = serializers.SerializerMethodField()
    voter_phone = serializers.SerializerMethodField()

    class Meta:
        model = Opinion
        fields = [
            "id",
            "tracking_code",
            "status",
            "status_display",
            "content",
            "category",
            "place",
            "channel",
            "channel_display",
            "station",
            "deputies",
            "voter_name",
            "voter_phone",
            "received_on",
            "suggestion",
            "answer",
            "decline_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def _personal_data(self) -> bool:
        return bool(self.context.get("personal_data"))

    def get_voter_name(self, opinion) -> str:
        return opinion.voter_name if self._personal_data() else mask_name(opinion.voter_name)

    def get_voter_phone(self, opinion) -> str:
        return opinion.voter_phone if self._personal_data() else mask_phone(opinion.voter_phone)


# Handling records
# ------------------------------------------------------------------------------


class CommitmentSummarySerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Commitment
        fields = ["id", "content", "due_on", "status", "status_display", "fulfilled_at", "fulfilled_note"]
        read_only_fields = fields


class ReplySerializer(serializers.ModelSerializer):
    result_class = ResultClassRef(read_only=True)
    replied_by = UserRef(read_only=True)
    department = serializers.CharField(source="assignment.department.name", read_only=True)
    commitments = CommitmentSummarySerializer(many=True, read_only=True)

    class Meta:
        model = Reply
        fields = [
            "id",
            "round",
            "department",
            "result_class",
            "content",
            "replied_by",
            "replied_at",
            "on_time",
            "commitments",
        ]
        read_only_fields = fields


class ReplySummarySerializer(serializers.ModelSerializer):
    result_class = ResultClassRef(read_only=True)

    class Meta:
        model = Reply
        fields = ["id", "round", "result_class", "replied_at", "on_time"]
        read_only_fields = fields


class FeedbackSerializer(serializers.ModelSerializer):
    rating_display = serializers.CharField(source="get_rating_display", read_only=True)
    reply_round = serializers.IntegerField(source="reply.round", read_only=True)

    class Meta:
        model = Feedback
        fields = ["id", "reply_round", "rating", "rating_display", "comment", "rated_at"]
        read_only_fields = fields


class ContactRecordSerializer(serializers.ModelSerializer):
    method_display = serializers.CharField(source="get_method_display", read_only=True)
    created_by = UserRef(read_only=True)

    class Meta:
        model = ContactRecord
        fields = ["id", "contacted_on", "method", "method_display", "note", "created_by", "created_at"]
        read_only_fields = fields


class ProgressLogSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    created_by = UserRef(read_only=True)

    class Meta:
        model = ProgressLog
        fields = ["id", "kind", "kind_display", "text", "created_by", "created_at"]
        read_only_fields = fields


class ExtensionSummarySerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ExtensionRequest
        fields = [
            "id",
            "requested_due_on",
            "reason",
            "status",
            "status_display",
            "granted_due_on",
            "requested_at",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields


class ColourMixin(serializers.Serializer):
    """The three-colour supervision of an open assignment (annotated by ``with_colour``)."""

    colour = serializers.CharField(read_only=True, default="")
    colour_display = serializers.SerializerMethodField()

    def get_colour_display(self, assignment) -> str:
        return str(COLOUR_LABELS.get(getattr(assignment, "colour", ""), ""))


class LeadAssignmentSerializer(ColourMixin, serializers.ModelSerializer):
    department = NamedRef(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "department", "status", "status_display", "round", "due_on", "colour", "colour_display"]
        read_only_fields = fields


class SuggestionAssignmentSerializer(LeadAssignmentSerializer):
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta(LeadAssignmentSerializer.Meta):
        fields = [*LeadAssignmentSerializer.Meta.fields, "role", "role_display", "assigned_at", "completed_at"]
        read_only_fields = fields


# Suggestions
# ------------------------------------------------------------------------------


class PrimaryRef(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(read_only=True, allow_null=True)


class SuggestionSerializer(serializers.ModelSerializer):
    """A suggestion in a list: its state, people, place, the open lead assignment's due date
    and colour, and a summary of the latest reply."""

    status_display = serializers.CharField(source="get_status_display", read_only=True)
    # Empty until the staff accept the suggestion (tier) and assign it (handling mode).
    tier = serializers.ChoiceField(choices=Tier.choices, allow_blank=True, read_only=True)
    handling_mode = serializers.ChoiceField(choices=HandlingMode.choices, allow_blank=True, read_only=True)
    tier_display = serializers.CharField(source="get_tier_display", read_only=True)
    jurisdiction_display = serializers.CharField(source="get_jurisdiction_display", read_only=True)
    handling_mode_display = serializers.CharField(source="get_handling_mode_display", read_only=True)
    category = NamedRef(read_only=True)
    lead_deputy = NamedRef(read_only=True)
    co_signers = NamedRef(many=True, read_only=True)
    station = NamedRef(read_only=True)
    township = NamedRef(read_only=True, allow_null=True)
    primary = PrimaryRef(read_only=True, allow_null=True)
    lead_assignment = serializers.SerializerMethodField()
    due_on = serializers.SerializerMethodField()
    colour = serializers.SerializerMethodField()
    reply = serializers.SerializerMethodField()

    class Meta:
        model = Suggestion
        fields = [
            "id",
            "number",
            "tracking_code",
            "title",
            "status",
            "status_display",
            "tier",
            "tier_display",
            "jurisdiction",
            "jurisdiction_display",
            "handling_mode",
            "handling_mode_display",
            "category",
            "lead_deputy",
            "co_signers",
            "station",
            "township",
            "primary",
            "committee_supervised",
            "reply_published",
            "submitted_at",
            "accepted_at",
            "assigned_at",
            "closed_at",
            "lead_assignment",
            "due_on",
            "colour",
            "reply",
        ]
        read_only_fields = fields

    @staticmethod
    def open_lead(suggestion) -> Assignment | None:
        """The open lead assignment, from the ``open_leads`` prefetch (see the viewset)."""
        leads = getattr(suggestion, "open_leads", None)
        return leads[0] if leads else None

    @extend_schema_field(LeadAssignmentSerializer(allow_null=True))
    def get_lead_assignment(self, suggestion):
        lead = self.open_lead(suggestion)
        return LeadAssignmentSerializer(lead).data if lead else None

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_due_on(self, suggestion):
        lead = self.open_lead(suggestion)
        return lead.due_on.isoformat() if lead else None

    def get_colour(self, suggestion) -> str:
        lead = self.open_lead(suggestion)
        return getattr(lead, "colour", "") if lead else ""

    @extend_schema_field(ReplySummarySerializer(allow_null=True))
    def get_reply(self, suggestion):
        """The latest reply answering it (its primary's, when joined)."""
        replies = list(suggestion.handling_suggestion.replies.all())
        if not replies:
            return None
        return ReplySummarySerializer(max(replies, key=lambda reply: reply.round)).data


class SourceOpinionSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Opinion
        fields = ["id", "tracking_code", "status", "status_display", "received_on"]
        read_only_fields = fields


class SuggestionDetailSerializer(SuggestionSerializer):
    """One suggestion with its content and whole handling record."""

    supervising_leader = UserRef(read_only=True, allow_null=True)
    source_opinions = SourceOpinionSerializer(many=True, read_only=True)
    assignments = SuggestionAssignmentSerializer(many=True, read_only=True)
    replies = ReplySerializer(many=True, read_only=True)
    feedback = FeedbackSerializer(many=True, read_only=True)

    class Meta(SuggestionSerializer.Meta):
        fields = [
            *SuggestionSerializer.Meta.fields,
            "content",
            "supervising_leader",
            "source_opinions",
            "assignments",
            "replies",
            "feedback",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class EventSerializer(serializers.ModelSerializer):
    action_display = serializers.SerializerMethodField()
    actor = UserRef(read_only=True, allow_null=True)
    department = serializers.SerializerMethodField()

    class Meta:
        model = SuggestionEvent
        fields = ["id", "at", "action", "action_display", "from_status", "to_status", "actor", "department", "note"]
        read_only_fields = fields

    def get_action_display(self, event) -> str:
        return event.action_label

    def get_department(self, event) -> str:
        return event.assignment.department.name if event.assignment_id else ""


# Assignments, extension requests, commitments
# ------------------------------------------------------------------------------


class AssignmentSuggestionRef(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(read_only=True, allow_null=True)
    title = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    tier = serializers.CharField(read_only=True)
    category = NamedRef(read_only=True)
    lead_deputy = NamedRef(read_only=True)


class AssignmentSerializer(ColourMixin, serializers.ModelSerializer):
    suggestion = AssignmentSuggestionRef(read_only=True)
    department = NamedRef(read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "suggestion",
            "department",
            "role",
            "role_display",
            "status",
            "status_display",
            "round",
            "assigned_at",
            "due_on",
            "original_due_on",
            "colour",
            "colour_display",
            "accepted_at",
            "completed_at",
            "last_progress_at",
            "return_reason",
        ]
        read_only_fields = fields


class AssignmentDetailSerializer(AssignmentSerializer):
    contacts = ContactRecordSerializer(many=True, read_only=True)
    progress_logs = ProgressLogSerializer(many=True, read_only=True)
    extension_requests = ExtensionSummarySerializer(many=True, read_only=True)
    reply = serializers.SerializerMethodField()

    class Meta(AssignmentSerializer.Meta):
        fields = [*AssignmentSerializer.Meta.fields, "contacts", "progress_logs", "extension_requests", "reply"]
        read_only_fields = fields

    @extend_schema_field(ReplySerializer(allow_null=True))
    def get_reply(self, assignment):
        try:
            reply = assignment.reply
        except Reply.DoesNotExist:
            return None
        return ReplySerializer(reply).data


class ExtensionAssignmentRef(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    department = NamedRef(read_only=True)
    role = serializers.CharField(read_only=True)
    due_on = serializers.DateField(read_only=True)
    suggestion = SuggestionRef(read_only=True)


class ExtensionRequestSerializer(ExtensionSummarySerializer):
    assignment = ExtensionAssignmentRef(read_only=True)
    requested_by = UserRef(read_only=True)
    decided_by = UserRef(read_only=True, allow_null=True)

    class Meta(ExtensionSummarySerializer.Meta):
        fields = [*ExtensionSummarySerializer.Meta.fields, "assignment", "requested_by", "decided_by"]
        read_only_fields = fields


class CommitmentSerializer(CommitmentSummarySerializer):
    suggestion = SuggestionRef(read_only=True)
    reply_round = serializers.IntegerField(source="reply.round", read_only=True)
    department = serializers.CharField(source="reply.assignment.department.name", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta(CommitmentSummarySerializer.Meta):
        fields = [*CommitmentSummarySerializer.Meta.fields, "suggestion", "reply_round", "department", "overdue"]
        read_only_fields = fields

    def get_overdue(self, commitment) -> bool:
        return commitment.status == CommitmentStatus.OPEN and commitment.due_on < timezone.localdate()
