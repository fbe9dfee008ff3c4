"""Reads of the API: each resource's rows as the user may see them, with what its list and
detail serializers show, prefetched."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from ..deadlines import Deadlines
from ..models import (
    OPEN_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentRole,
    Commitment,
    ExtensionRequest,
    Opinion,
    Suggestion,
)
from .shared import with_colour


def api_opinions(user) -> QuerySet:
    return (
        Opinion.objects.select_related("category", "station", "suggestion")
        .prefetch_related("deputies")
        .visible_to(user)
    )


def _open_leads(deadlines: Deadlines) -> Prefetch:
    """Each suggestion's open lead assignment with its colour, as ``open_leads``."""
    leads = Assignment.objects.filter(role=AssignmentRole.LEAD, status__in=OPEN_ASSIGNMENT_STATUSES)
    leads = with_colour(leads.select_related("department"), deadlines=deadlines)
    return Prefetch("assignments", queryset=leads, to_attr="open_leads")


def api_suggestions(user, *, detail: bool) -> QuerySet:
    """The suggestions the user sees, with their open lead assignment; for one suggestion
    (``detail``) also its opinions, assignments, replies and ratings."""
    deadlines = Deadlines()
    suggestions = Suggestion.objects.select_related(
        "category", "lead_deputy", "station", "township", "primary"
    ).prefetch_related("co_signers", _open_leads(deadlines), "replies__result_class", "primary__replies__result_class")
    if detail:
        all_assignments = with_colour(Assignment.objects.select_related("department"), deadlines=deadlines)
        suggestions = suggestions.select_related("supervising_leader").prefetch_related(
            "source_opinions",
            Prefetch("assignments", queryset=all_assignments),
            "replies__replied_by",
            "replies__assignment__department",
            "replies__commitments",
            "feedback__reply",
        )
    return suggestions.visible_to(user)


def api_assignments(user, *, detail: bool) -> QuerySet:
    """The assignments the user sees, with their colour; for one (``detail``) also its
    contacts, progress, extension requests and reply."""
    assignments = Assignment.objects.select_related("department", "suggestion__category", "suggestion__lead_deputy")
    if detail:
        assignments = assignments.select_related(
            "reply__result_class", "reply__replied_by", "reply__assignment__department"
        ).prefetch_related(
            "contacts__created_by", "progress_logs__created_by", "extension_requests", "reply__commitments"
        )
    return with_colour(assignments.visible_to(user))


def visible_extension_requests(user) -> QuerySet:
    """Extension requests on the assignments the user sees."""
    return ExtensionRequest.objects.filter(assignment_id__in=Assignment.objects.visible_to(user).values("pk"))


def visible_commitments(user) -> QuerySet:
    """Commitments of the suggestions the user sees."""
    return Commitment.objects.filter(suggestion_id__in=Suggestion.objects.visible_to(user).values("pk"))
