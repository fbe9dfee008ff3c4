"""Reads of the public pages: what the public may know of a suggestion's handling, tracking by
code, and the suggestions whose reply was published.

Nothing personal comes out of here: no voter's name or phone, no deputy's phone, no staff or
handler names, and of a suggestion's trail only the events marked public.
"""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from ..models import Assignment, AssignmentStatus, Category, Opinion, Reply, Suggestion, SuggestionStatus
from .shared import timeline


@dataclass
class PublicEvent:
    """One step of a public trail, with nothing about who took it."""

    at: dt.datetime
    label: str
    status: str = ""
    department: str = ""


@dataclass
class PublicDepartment:
    name: str
    role: str
    status: str
    due_on: dt.date | None


@dataclass
class SuggestionProgress:
    """What the public may know of a suggestion's handling (its primary's, when joined)."""

    suggestion: Suggestion
    handling: Suggestion
    departments: list[PublicDepartment] = field(default_factory=list)
    events: list[PublicEvent] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)

    @property
    def latest_reply(self) -> Reply | None:
        return self.replies[-1] if self.replies else None


@dataclass
class TrackedOpinion:
    opinion: Opinion
    events: list[PublicEvent]
    progress: SuggestionProgress | None
    in_draft: bool = False


def _latest_round_departments(handling: Suggestion) -> list[PublicDepartment]:
    """The departments of the latest handling round, lead first (returned and withdrawn ones
    left out)."""
    assignments = (
        Assignment.objects.filter(suggestion=handling)
        .exclude(status__in=[AssignmentStatus.RETURNED, AssignmentStatus.CANCELLED])
        .select_related("department")
        .order_by("-round", "-role", "pk")  # the latest round, lead ("lead" > "co") first
    )
    latest_round = None
    departments = []
    for assignment in assignments:
        latest_round = latest_round or assignment.round
        if assignment.round != latest_round:
            break
        departments.append(
            PublicDepartment(
                name=assignment.department.name,
                role=assignment.get_role_display(),
                status=assignment.get_status_display(),
                due_on=assignment.due_on if assignment.is_open else None,
            )
        )
    return departments


def suggestion_progress(suggestion: Suggestion) -> SuggestionProgress:
    """The public side of a suggestion's handling: departments, the public trail's steps, and
    the reply once the staff published it.

    Only facts: no event notes (they hold staff remarks, departments' progress notes and the
    deputy's rating comment), and no reply text before it is published. ``suggestion``
    should come with ``primary`` selected. A constant number of queries.
    """
    handling = suggestion.handling_suggestion
    events = [
        PublicEvent(
            at=event.at,
            label=event.action_label,
            status=event.to_label,
            department=event.assignment.department.name if event.assignment_id else "",
        )
        for event in timeline(suggestion, public_only=True)
        .select_related(None)
        .select_related("assignment__department")
    ]
    replies = []
    if handling.reply_published:
        replies = list(
            Reply.objects.filter(suggestion=handling).select_related("result_class").prefetch_related("commitments")
        )
    return SuggestionProgress(
        suggestion=suggestion,
        handling=handling,
        departments=_latest_round_departments(handling),
        events=events,
        replies=replies,
    )


def _opinion_events(opinion: Opinion) -> list[PublicEvent]:
    return [PublicEvent(at=event.at, label=event.action_label, status=event.to_label) for event in opinion.events.all()]


def find_tracked(code: str, digits: str) -> TrackedOpinion | SuggestionProgress | None:
    """The opinion or suggestion with tracking code ``code``, or ``None``.

    An opinion left with a phone number is found only with that number's last four digits.
    Drafts are never found. Every miss looks the same to the caller.
    """
    opinion = (
        Opinion.objects.select_related("category", "station", "suggestion__primary").filter(tracking_code=code).first()
    )
    if opinion is not None:
        if opinion.voter_phone and not hmac.compare_digest(opinion.voter_phone[-4:], digits):
            return None
        merged_into = opinion.suggestion
        in_draft = merged_into is not None and merged_into.status == SuggestionStatus.DRAFT
        progress = suggestion_progress(merged_into) if merged_into is not None and not in_draft else None
        return TrackedOpinion(opinion=opinion, events=_opinion_events(opinion), progress=progress, in_draft=in_draft)
    suggestion = (
        Suggestion.objects.select_related("category", "primary")
        .exclude(status=SuggestionStatus.DRAFT)
        .filter(tracking_code=code)
        .first()
    )
    return suggestion_progress(suggestion) if suggestion is not None else None


def published_suggestions(*, query: str = "", category_id: int | None = None) -> QuerySet:
    """Suggestions whose reply the staff published, newest first, with their replies (latest
    round first); ``query`` searches the title, number and content."""
    replies = Reply.objects.select_related("result_class").order_by("-round")
    suggestions = (
        published()
        .select_related("category")
        .prefetch_related(Prefetch("replies", queryset=replies))
        .order_by("-submitted_at", "-pk")
    )
    if query:
        suggestions = suggestions.filter(
            Q(title__icontains=query) | Q(number__icontains=query) | Q(content__icontains=query)
        )
    if category_id is not None:
        suggestions = suggestions.filter(category_id=category_id)
    return suggestions


def published() -> QuerySet:
    """Suggestions whose reply the staff allowed to show (never a draft)."""
    return Suggestion.objects.filter(reply_published=True).exclude(status=SuggestionStatus.DRAFT)


def published_suggestion(number: str) -> QuerySet:
    """The published suggestion numbered ``number`` (a queryset, for ``get_object_or_404``)."""
    return published().select_related("category", "primary").filter(number=number)


def public_categories() -> QuerySet:
    return Category.objects.filter(is_active=True)


def qr_station(deputy):
    """The station an opinion sent through a deputy's personal QR code goes to: the deputy's
    first active station (with its township), or ``None``."""
    assignment = (
        deputy.assignments.filter(station__is_active=True).select_related("station__township").order_by("pk").first()
    )
    return assignment.station if assignment is not None else None
