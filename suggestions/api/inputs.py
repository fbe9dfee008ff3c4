"""What the API accepts: new opinions and suggestions, a draft's edits, and each action's input.

The choices of related objects are limited to what the requesting user may see (stations,
opinions, suggestions, departments through :mod:`liaison.access`). Texts that the workflow
requires (reasons, answers, replies) are required keys here but may be blank: the workflow
then refuses with its own message, answered as 400.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from deputies.models import Deputy
from liaison.scope import scope_for
from stations.models import Station

from ..models import (
    Category,
    Channel,
    ContactMethod,
    Department,
    HandlingMode,
    Jurisdiction,
    Opinion,
    OpinionStatus,
    Rating,
    ResultClass,
    Suggestion,
    Tier,
)
from ..selectors.deputy import co_signer_choices


def text(**kwargs) -> serializers.CharField:
    """A text the workflow checks: the key must be sent, blank is the workflow's to refuse."""
    return serializers.CharField(allow_blank=True, trim_whitespace=True, **kwargs)


def optional_text(**kwargs) -> serializers.CharField:
    return serializers.CharField(required=False, allow_blank=True, default="", **kwargs)


def co_signers_for(user):
    """Whom ``user`` may name as co-signers: a deputy the deputies sharing a station or a group
    with them (as the page offers); congress staff the deputies they may see."""
    scope = scope_for(user)
    if scope.deputy_id and not scope.sees_personal_data:
        # their own record may be listed too: the workflow leaves the lead out of the co-signers
        return Deputy.objects.filter(Q(pk__in=co_signer_choices(scope.deputy_id).values("pk")) | Q(pk=scope.deputy_id))
    return Deputy.objects.visible_to(user).filter(is_active=True)


class UserScopedInput(serializers.Serializer):
    """An input whose related-object choices depend on the requesting user."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        self.user = getattr(request, "user", None)
        if self.user is not None:
            self.limit_choices(self.user)

    def limit_choices(self, user) -> None:
        """Narrow the querysets of related fields to what ``user`` may see."""


# Opinions
# ------------------------------------------------------------------------------


class OpinionCreateInput(UserScopedInput):
    content = text(max_length=2000)
    channel = serializers.ChoiceField(choices=Channel.choices)
    station = serializers.PrimaryKeyRelatedField(queryset=Station.objects.none())
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.filter(is_active=True), required=False, allow_null=True, default=None
    )
    place = optional_text(max_length=100)
    deputies = serializers.PrimaryKeyRelatedField(
        queryset=Deputy.objects.filter(is_active=True), many=True, required=False, default=list
    )
    voter_name = optional_text(max_length=50)
    voter_phone = optional_text(max_length=20)
    received_on = serializers.DateField(required=False, allow_null=True, default=None)

    def limit_choices(self, user) -> None:
        self.fields["station"].queryset = Station.objects.visible_to(user).filter(is_active=True)


class AnswerInput(serializers.Serializer):
    answer = text()


class ReasonInput(serializers.Serializer):
    reason = text()


# Suggestions
# ------------------------------------------------------------------------------


class SuggestionCreateInput(UserScopedInput):
    title = text(max_length=200)
    content = text()
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.filter(is_active=True))
    station = serializers.PrimaryKeyRelatedField(queryset=Station.objects.none())
    lead_deputy = serializers.PrimaryKeyRelatedField(
        queryset=Deputy.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The lead deputy; a deputy's own record when left out."),
    )
    co_signers = serializers.PrimaryKeyRelatedField(
        queryset=Deputy.objects.filter(is_active=True), many=True, required=False, default=list
    )
    opinions = serializers.PrimaryKeyRelatedField(
        queryset=Opinion.objects.none(), many=True, required=False, default=list
    )
    jurisdiction = serializers.ChoiceField(choices=Jurisdiction.choices, default=Jurisdiction.COUNTY)
    submit = serializers.BooleanField(default=True, help_text=_("Submit at once (true) or keep it as a draft."))

    def limit_choices(self, user) -> None:
        self.fields["station"].queryset = Station.objects.visible_to(user).filter(is_active=True)
        self.fields["opinions"].child_relation.queryset = Opinion.objects.visible_to(user).filter(
            status__in=[OpinionStatus.RECEIVED, OpinionStatus.ACCEPTED]
        )
        self.fields["co_signers"].child_relation.queryset = co_signers_for(user)
        self.fields["lead_deputy"].queryset = Deputy.objects.visible_to(user).filter(is_active=True)


class DraftUpdateInput(UserScopedInput):
    """The fields of a draft its writer may still change (never its status)."""

    title = serializers.CharField(max_length=200, required=False)
    content = serializers.CharField(required=False)
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.filter(is_active=True), required=False)
    co_signers = serializers.PrimaryKeyRelatedField(
        queryset=Deputy.objects.filter(is_active=True), many=True, required=False
    )

    def limit_choices(self, user) -> None:
        self.fields["co_signers"].child_relation.queryset = co_signers_for(user)


def supervising_leaders():
    """Who may supervise a suggestion: active congress staff accounts and superusers."""
    return get_user_model().objects.filter(is_active=True).filter(Q(is_superuser=True) | Q(staff_profile__isnull=False))


class AcceptInput(serializers.Serializer):
    tier = serializers.ChoiceField(choices=Tier.choices)
    jurisdiction = serializers.ChoiceField(choices=Jurisdiction.choices)
    supervising_leader = serializers.PrimaryKeyRelatedField(
        queryset=supervising_leaders(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("A user id; required for the supervised tier."),
    )
    note = optional_text()


class JoinInput(UserScopedInput):
    primary = serializers.PrimaryKeyRelatedField(queryset=Suggestion.objects.none())
    note = optional_text()

    def limit_choices(self, user) -> None:
        self.fields["primary"].queryset = Suggestion.objects.visible_to(user)


class AssignInput(serializers.Serializer):
    """Any active department may be named; the workflow checks it suits the jurisdiction."""

    lead = serializers.PrimaryKeyRelatedField(queryset=Department.objects.filter(is_active=True))
    co_handlers = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.filter(is_active=True), many=True, required=False, default=list
    )
    mode = serializers.ChoiceField(choices=HandlingMode.choices)
    note = optional_text()


class CloseInput(serializers.Serializer):
    note = optional_text(help_text=_("Required when the suggestion was not rated satisfied."))


class PublishInput(serializers.Serializer):
    publish = serializers.BooleanField(default=True, help_text=_("true publishes the reply, false withdraws it."))


class RateInput(serializers.Serializer):
    rating = serializers.ChoiceField(choices=Rating.choices)
    comment = optional_text(help_text=_("Required for an unsatisfied rating."))


# Assignments
# ------------------------------------------------------------------------------


class ContactInput(serializers.Serializer):
    contacted_on = serializers.DateField()
    method = serializers.ChoiceField(choices=ContactMethod.choices)
    note = optional_text()


class TextInput(serializers.Serializer):
    text = text()


class CommitmentInput(serializers.Serializer):
    content = serializers.CharField(max_length=300)
    due_on = serializers.DateField()


class ReplyInput(serializers.Serializer):
    result_class = serializers.SlugRelatedField(
        slug_field="code", queryset=ResultClass.objects.all(), help_text=_("The result class code (A, B, C, D).")
    )
    content = text()
    commitments = CommitmentInput(many=True, required=False, default=list)


class ExtensionRequestInput(serializers.Serializer):
    requested_due_on = serializers.DateField()
    reason = text()


class ExtensionDecideInput(serializers.Serializer):
    approve = serializers.BooleanField()
    due_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text=_("The granted date; the requested one when left out.")
    )
    note = optional_text(help_text=_("Required when refusing."))


class FulfilInput(serializers.Serializer):
    note = text()
