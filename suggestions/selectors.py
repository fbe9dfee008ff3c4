"""Reads shared by the staff, department and deputy pages, the API and the ledgers."""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import Case, CharField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .deadlines import Deadlines
from .models import (
    OPEN_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentRole,
    Suggestion,
    SuggestionEvent,
    SuggestionStatus,
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


def department_queue(department_ids, today: dt.date | None = None) -> QuerySet:
    """A department's open assignments, overdue first, then by due date."""
    assignments = Assignment.objects.filter(
        department_id__in=department_ids, status__in=OPEN_ASSIGNMENT_STATUSES
    ).select_related("suggestion", "suggestion__category", "suggestion__lead_deputy", "department")
    return with_colour(assignments, today).order_by(
        Case(When(colour=RED, then=0), When(colour=YELLOW, then=1), default=2), "due_on", "pk"
    )


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


_PUNCTUATION = re.compile(r"[\s\W_]+", re.UNICODE)
_BOILERPLATE = re.compile(r"^(关于)|(的)?(建议|意见|提案)$")


def title_bigrams(title: str) -> set[str]:
    """Character bigrams of a Chinese title, the unit of the similarity measure."""
    text = _BOILERPLATE.sub("", _PUNCTUATION.sub("", title))
    return {text[i : i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


def similarity(a: str, b: str) -> float:
    """Dice coefficient on title bigrams: 1.0 same title, 0.0 nothing in common."""
    first, second = title_bigrams(a), title_bigrams(b)
    if not first or not second:
        return 0.0
    return 2 * len(first & second) / (len(first) + len(second))


def similar_earlier(suggestion: Suggestion, limit: int = 5, threshold: float = 0.3) -> list[tuple[Suggestion, float]]:
    """Suggestions of earlier years in the same category with a similar title (年年提年年办),
    most similar first, with their replies prefetched."""
    year = timezone.localtime(suggestion.submitted_at or timezone.now()).year
    candidates = (
        Suggestion.objects.filter(category_id=suggestion.category_id, submitted_at__year__lt=year)
        .exclude(pk=suggestion.pk)
        .exclude(status=SuggestionStatus.DRAFT)
        .only("pk", "number", "title", "status", "submitted_at")
    )
    scored = [(other, similarity(suggestion.title, other.title)) for other in candidates.iterator(chunk_size=2000)]
    best = sorted((pair for pair in scored if pair[1] >= threshold), key=lambda pair: -pair[1])[:limit]
    replies = {
        s.pk: s
        for s in Suggestion.objects.filter(pk__in=[s.pk for s, _score in best]).prefetch_related(
            "replies__result_class"
        )
    }
    return [(replies[s.pk], score) for s, score in best]


def with_lead_assignment(
    suggestions: QuerySet, today: dt.date | None = None, deadlines: Deadlines | None = None
) -> QuerySet:
    """Annotate the open lead assignment of each suggestion's handling (its primary's when
    joined): ``lead_department``, ``lead_due_on`` and its ``colour``, in the same query."""
    from django.db.models import OuterRef, Subquery
    from django.db.models.functions import Coalesce

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


def desk_counts(user) -> dict:
    """What waits for the staff on the workbench, counted in SQL (a handful of queries)."""
    from django.db.models import Count

    from .models import ExtensionRequest, ExtensionStatus

    today = timezone.localdate()
    suggestions = Suggestion.objects.visible_to(user)
    by_status = dict(
        suggestions.filter(
            status__in=[
                SuggestionStatus.SUBMITTED,
                SuggestionStatus.ACCEPTED,
                SuggestionStatus.RATED,
                SuggestionStatus.REPLIED,
            ]
        )
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    open_leads = Assignment.objects.visible_to(user).filter(
        role=AssignmentRole.LEAD, status__in=OPEN_ASSIGNMENT_STATUSES
    )
    red, _yellow = colour_conditions(today, today)
    return {
        "to_review": by_status.get(SuggestionStatus.SUBMITTED, 0),
        "to_assign": by_status.get(SuggestionStatus.ACCEPTED, 0),
        "to_close": by_status.get(SuggestionStatus.RATED, 0),
        "awaiting_rating": by_status.get(SuggestionStatus.REPLIED, 0),
        "overdue": open_leads.filter(red).count(),
        "extensions": ExtensionRequest.objects.filter(
            status=ExtensionStatus.PENDING, assignment__in=Assignment.objects.visible_to(user)
        ).count(),
    }
