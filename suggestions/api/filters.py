"""Filters of the API lists (django-filter). Search and ordering are declared on the viewsets."""

from __future__ import annotations

import django_filters as filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.params import IdFilter

from ..models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Channel,
    Commitment,
    CommitmentStatus,
    ExtensionRequest,
    ExtensionStatus,
    Jurisdiction,
    Opinion,
    OpinionStatus,
    Suggestion,
    SuggestionStatus,
    Tier,
)
from ..selectors import COLOUR_LABELS, filter_colour, suggestions_of_colour

COLOUR_CHOICES = list(COLOUR_LABELS.items())


def year_filter(field_name: str) -> filters.NumberFilter:
    """A year (1 … 9999): anything else is a 400 with the field's message, never a 500."""
    return filters.NumberFilter(field_name=field_name, lookup_expr="year", min_value=1, max_value=9999)


class OpinionFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=OpinionStatus.choices)
    channel = filters.MultipleChoiceFilter(choices=Channel.choices)
    station = IdFilter(field_name="station_id")
    township = IdFilter(field_name="station__township_id", label=_("Township station id"))
    category = IdFilter(field_name="category_id")
    year = year_filter("received_on")
    received_after = filters.DateFilter(field_name="received_on", lookup_expr="gte")
    received_before = filters.DateFilter(field_name="received_on", lookup_expr="lte")

    class Meta:
        model = Opinion
        fields = []


class SuggestionFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=SuggestionStatus.choices)
    tier = filters.MultipleChoiceFilter(choices=Tier.choices)
    jurisdiction = filters.ChoiceFilter(choices=Jurisdiction.choices)
    category = IdFilter(field_name="category_id")
    township = IdFilter(field_name="township_id", label=_("Township station id"))
    station = IdFilter(field_name="station_id")
    lead_deputy = IdFilter(field_name="lead_deputy_id")
    department = IdFilter(method="filter_department", label=_("Assigned to department id"))
    colour = filters.ChoiceFilter(
        choices=COLOUR_CHOICES, method="filter_colour", label=_("Colour of the open lead assignment")
    )
    year = year_filter("submitted_at")

    class Meta:
        model = Suggestion
        fields = []

    def filter_department(self, queryset: QuerySet, name: str, value) -> QuerySet:
        assigned = Assignment.objects.filter(department_id=value).values("suggestion_id")
        return queryset.filter(pk__in=assigned)

    def filter_colour(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return suggestions_of_colour(queryset, value)


class AssignmentFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=AssignmentStatus.choices)
    role = filters.ChoiceFilter(choices=AssignmentRole.choices)
    department = IdFilter(field_name="department_id")
    colour = filters.ChoiceFilter(choices=COLOUR_CHOICES, method="filter_colour")
    tier = filters.MultipleChoiceFilter(field_name="suggestion__tier", choices=Tier.choices)
    category = IdFilter(field_name="suggestion__category_id")
    township = IdFilter(field_name="suggestion__township_id", label=_("Township station id"))
    suggestion = IdFilter(field_name="suggestion_id")
    year = year_filter("assigned_at")

    class Meta:
        model = Assignment
        fields = []

    def filter_colour(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return filter_colour(queryset, value)


class ExtensionRequestFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=ExtensionStatus.choices)
    department = IdFilter(field_name="assignment__department_id")
    suggestion = IdFilter(field_name="assignment__suggestion_id")

    class Meta:
        model = ExtensionRequest
        fields = []


class CommitmentFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=CommitmentStatus.choices)
    overdue = filters.BooleanFilter(method="filter_overdue", label=_("Open and past its due date"))
    department = IdFilter(field_name="reply__assignment__department_id")
    suggestion = IdFilter(field_name="suggestion_id")

    class Meta:
        model = Commitment
        fields = []

    def filter_overdue(self, queryset: QuerySet, name: str, value) -> QuerySet:
        overdue = {"status": CommitmentStatus.OPEN, "due_on__lt": timezone.localdate()}
        return queryset.filter(**overdue) if value else queryset.exclude(**overdue)
