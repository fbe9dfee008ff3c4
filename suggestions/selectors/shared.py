"""Reads every audience shares: the three-colour supervision (三色督办), a suggestion with
everything its pages show, and its trail."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, CharField, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..deadlines import Deadlines
from ..models import (
    OPEN_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentRole,
    Suggestion,
    SuggestionEvent,
)

GREEN, YELLOW, RED = "green", "yellow", "red"
COLOUR_LABELS = {GREEN: _("On track"), YELLOW: _("Warning"), RED: _("Overdue")}


def colour_conditions(today: dt.date, warn_until: dt.date, prefix: str = "") -> tuple[Q, Q]:
    """The SQL conditions for red and yellow on an open assignment (三色督办).

    Red: past its due date. Yellow: due within the warning window, or past half of its time
    with no progress logged. Everything else open is green.
    """
    red = Q(**{f"{prefix}due_on__lt": today})
    yellow = Q(**{f"{prefix}due_on__lte": warn_until}) | Q(
        **{f"{prefix}midpoint_on__lte": today, f"{prefix}last_progress_at__isnull": True}
    )
    return red, yellow


def with_colour(assignments: QuerySet, today: dt.date | None = None, deadlines: Deadlines | None = None) -> QuerySet:
    """Annotate ``colour`` (green/yellow/red, or "" when closed) on assignments, in SQL."""
    today = today or timezone.localdate()
    warn_until = (deadlines or Deadlines()).warning_from(today)
    red, yellow = colour_conditions(today, warn_until)
    is_open = Q(status__in=OPEN_ASSIGNMENT_STATUSES)
    return assignments.annotate(
        colour=Case(
            When(is_open & red, then=Value(RED)),
            When(is_open & yellow, then=Value(YELLOW)),
            When(is_open, then=Value(GREEN)),
            default=Value(""),
            output_field=CharField(),
        )
    )


def filter_colour(assignments: QuerySet, colour: str, today: dt.date | None = None) -> QuerySet:
    """Open assignments of one colour (for list filters)."""
    today = today or timezone.localdate()
    red, yellow = colour_conditions(today, Deadlines().warning_from(today))
    open_ones = assignments.filter(status__in=OPEN_ASSIGNMENT_STATUSES)
    if colour == RED:
        return open_ones.filter(red)
    if colour == YELLOW:
        return open_ones.filter(yellow & ~red)
    if colour == GREEN:
        return open_ones.exclude(red | yellow)
    return assignments


def suggestions_of_colour(suggestions: QuerySet, colour: str, today: dt.date | None = None) -> QuerySet:
    """Suggestions whose open lead assignment has ``colour``."""
    leads = filter_colour(Assignment.objects.filter(role=AssignmentRole.LEAD), colour, today)
    return suggestions.filter(pk__in=leads.values("suggestion_id"))


def worst_first(assignments: QuerySet) -> QuerySet:
    """Assignments annotated with their ``colour``: red, yellow, green, then closed ones, each
    by due date."""
    rank = Case(
        When(colour=RED, then=0),
        When(colour=YELLOW, then=1),
        When(colour=GREEN, then=2),
        default=3,
        output_field=IntegerField(),
    )
    return assignments.order_by(rank, "due_on", "pk")


def timeline(suggestion: Suggestion, public_only: bool = False) -> QuerySet:
    """The suggestion's events (and, for a joined one, its primary's), oldest first."""
    ids = [suggestion.pk] + ([suggestion.primary_id] if suggestion.primary_id else [])
    events = SuggestionEvent.objects.filter(suggestion_id__in=ids).select_related("actor", "assignment__department")
    return events.filter(is_public=True) if public_only else events


def suggestion_detail_queryset() -> QuerySet:
    return Suggestion.objects.select_related(
        "category", "lead_deputy", "station", "township", "primary", "supervising_leader"
    ).prefetch_related(
        "co_signers",
        "source_opinions",
        "attachments",
        Prefetch("assignments", queryset=with_colour(Assignment.objects.select_related("department"))),
        "replies__result_class",
        "replies__commitments",
        "feedback",
    )


def with_lead_assignment(
    suggestions: QuerySet, today: dt.date | None = None, deadlines: Deadlines | None = None
) -> QuerySet:
    """Annotate the open lead assignment of each suggestion's handling (its primary's when
    joined): ``lead_department``, ``lead_due_on`` and its ``colour``, in the same query."""
    today = today or timezone.localdate()
    warn_until = (deadlines or Deadlines()).warning_from(today)
    suggestions = suggestions.annotate(handling_id=Coalesce("primary_id", "pk"))
    open_lead = Assignment.objects.filter(
        suggestion_id=OuterRef("handling_id"), role=AssignmentRole.LEAD, status__in=OPEN_ASSIGNMENT_STATUSES
    )

    def lead(field):
        return Subquery(open_lead.values(field)[:1])

    annotated = suggestions.annotate(
        lead_department=lead("department__name"),
        lead_due_on=lead("due_on"),
        lead_midpoint_on=lead("midpoint_on"),
        lead_last_progress_at=lead("last_progress_at"),
        lead_id=lead("pk"),
    )
    red, yellow = colour_conditions(today, warn_until, prefix="lead_")
    return annotated.annotate(
        colour=Case(
            When(lead_id__isnull=True, then=Value("")),
            When(red, then=Value(RED)),
            When(yellow, then=Value(YELLOW)),
            default=Value(GREEN),
            output_field=CharField(),
        )
    )
