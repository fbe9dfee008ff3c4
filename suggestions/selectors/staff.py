"""Reads of the congress staff's desk in the admin: the workbench counts, a suggestion's page,
similar suggestions of earlier years, the supervision lists, opinions to write up, and the
year's ledger totals."""

from __future__ import annotations

import re

from django.db.models import Case, Count, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from deputies.models import Deputy

from ..models import (
    OPEN_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentRole,
    ExtensionRequest,
    ExtensionStatus,
    Opinion,
    OpinionStatus,
    Suggestion,
    SuggestionStatus,
)
from .shared import colour_conditions, with_colour, worst_first


def desk_counts(user) -> dict:
    """What waits for the staff on the workbench, counted in SQL (a handful of queries)."""
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


def handling_assignments(suggestion: Suggestion) -> list[Assignment]:
    """Every assignment of the suggestion's handling (its primary's, when joined), by round
    and role, with extension requests, contacts and progress logs."""
    return list(
        suggestion.handling_suggestion.assignments.select_related("department")
        .prefetch_related("extension_requests", "contacts", "progress_logs")
        .order_by("round", "role", "pk")
    )


def handling_replies(suggestion: Suggestion) -> QuerySet:
    """The replies of the suggestion's handling, with their commitments and ``ratings``."""
    return suggestion.handling_suggestion.replies.select_related(
        "result_class", "assignment__department"
    ).prefetch_related("commitments", Prefetch("feedback", to_attr="ratings"))


def supervision_list(assignments: QuerySet) -> QuerySet:
    """The three-colour supervision list (三色督办): assignments with their colour, worst first."""
    return worst_first(with_colour(assignments))


def pending_first(requests: QuerySet) -> QuerySet:
    """Extension requests waiting for a decision first, then the newest."""
    return requests.order_by(
        Case(When(status=ExtensionStatus.PENDING, then=Value(0)), default=Value(1)), "-requested_at"
    )


def opinions_to_write_up(user, ids) -> list[Opinion]:
    """The opinions among ``ids`` the user sees that may still feed a suggestion."""
    return list(
        Opinion.objects.visible_to(user)
        .filter(pk__in=ids, status__in=[OpinionStatus.RECEIVED, OpinionStatus.ACCEPTED])
        .select_related("station")
    )


def receiving_deputy(user, opinions) -> Deputy | None:
    """A deputy the user sees who received one of ``opinions`` (the usual lead deputy)."""
    receivers = Opinion.deputies.through.objects.filter(opinion__in=opinions).values("deputy_id")
    return Deputy.objects.visible_to(user).filter(pk__in=receivers).first()


def suggestions_of_year(user, year: int) -> QuerySet:
    """The suggestions the user sees that were numbered in ``year``."""
    return Suggestion.objects.visible_to(user).filter(number__startswith=f"{year}-")


def year_totals(suggestions: QuerySet) -> dict:
    """Submitted and closed counts, in one query."""
    return suggestions.aggregate(submitted=Count("pk"), closed=Count("pk", filter=Q(status=SuggestionStatus.CLOSED)))


def opinions_of_year(user, year: int) -> QuerySet:
    return Opinion.objects.visible_to(user).filter(received_on__year=year)
