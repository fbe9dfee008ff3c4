"""Reads of the deputies' own pages: their suggestions (lead and co-signed), drafts, replies
waiting for their rating, and the opinions they received that are still open."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from deputies.models import Deputy, DeputyGroup, StationAssignment
from liaison import clock
from stations.models import Station

from ..deadlines import Deadlines
from ..models import Feedback, Opinion, OpinionStatus, Reply, Suggestion, SuggestionStatus
from .shared import suggestion_detail_queryset, with_lead_assignment


def mine(deputy_id: int) -> Q:
    """Suggestions the deputy leads or co-signs."""
    signed = Suggestion.co_signers.through.objects.filter(deputy_id=deputy_id).values("suggestion_id")
    return Q(lead_deputy_id=deputy_id) | Q(pk__in=signed)


def deputy_suggestions(
    deputy_id: int,
    *,
    query: str = "",
    status: str = "",
    role: str = "",
    today: dt.date | None = None,
    deadlines: Deadlines | None = None,
) -> QuerySet:
    """The deputy's suggestions, drafts and unsubmitted first, then the newest submitted; each
    with its handling's open lead assignment and colour (:func:`.with_lead_assignment`).

    ``query`` searches the title and number, ``status`` keeps one status, ``role`` "lead" or
    "co" keeps those the deputy leads or co-signs.
    """
    suggestions = Suggestion.objects.filter(mine(deputy_id)).select_related("category", "primary")
    if query:
        suggestions = suggestions.filter(Q(title__icontains=query) | Q(number__icontains=query))
    if status:
        suggestions = suggestions.filter(status=status)
    if role == "lead":
        suggestions = suggestions.filter(lead_deputy_id=deputy_id)
    elif role == "co":
        suggestions = suggestions.exclude(lead_deputy_id=deputy_id)
    return with_lead_assignment(suggestions, today, deadlines).order_by(F("submitted_at").desc(nulls_first=True), "-pk")


def deputy_suggestion(deputy_id: int) -> QuerySet:
    """The deputy's suggestions (lead or co-signed), with everything their page shows."""
    return suggestion_detail_queryset().filter(mine(deputy_id))


def led_by(deputy_id: int) -> QuerySet:
    """The suggestions the deputy leads (the drafts they may edit and submit among them)."""
    return Suggestion.objects.select_related("category", "station").filter(lead_deputy_id=deputy_id)


def deputy_drafts(deputy_id: int, limit: int) -> list[Suggestion]:
    """Up to ``limit`` of the deputy's drafts, last edited first."""
    drafts = Suggestion.objects.filter(lead_deputy_id=deputy_id, status=SuggestionStatus.DRAFT)
    return list(drafts.order_by("-updated_at")[:limit])


def awaiting_rating(deputy_id: int) -> list[Suggestion]:
    """The deputy's suggestions (as lead) whose latest reply waits for their rating, within the
    window; each with ``latest_reply`` and ``rating_deadline``, soonest deadline first."""
    replied = Q(primary__isnull=True, status=SuggestionStatus.REPLIED) | Q(
        status=SuggestionStatus.JOINED, primary__status=SuggestionStatus.REPLIED
    )
    latest = Reply.objects.filter(suggestion_id=OuterRef("handling_id")).order_by("-round")
    candidates = (
        Suggestion.objects.filter(replied, lead_deputy_id=deputy_id)
        .annotate(handling_id=Coalesce("primary_id", "pk"))
        .annotate(latest_reply_id=Subquery(latest.values("pk")[:1]))
        .annotate(rating_deadline=Subquery(latest.values("feedback_due_on")[:1]))
        .annotate(
            rated=Exists(Feedback.objects.filter(suggestion_id=OuterRef("pk"), reply_id=OuterRef("latest_reply_id")))
        )
        .filter(rated=False, latest_reply_id__isnull=False, rating_deadline__gte=clock.today())
        .select_related("category")
        .order_by("rating_deadline", "pk")
    )
    waiting = list(candidates)
    replies = Reply.objects.select_related("result_class").in_bulk([s.latest_reply_id for s in waiting])
    for suggestion in waiting:
        suggestion.latest_reply = replies[suggestion.latest_reply_id]
    return waiting


def open_opinions_of(deputy_id: int) -> QuerySet:
    """The deputy's opinions (received, or sent to their stations) that may still feed a
    suggestion or be answered, newest first."""
    return (
        Opinion.objects.of_deputy(deputy_id)
        .filter(status__in=[OpinionStatus.RECEIVED, OpinionStatus.ACCEPTED])
        .select_related("station", "category")
        .order_by("-received_on", "-pk")
    )


def search_opinions(opinions: QuerySet, query: str) -> QuerySet:
    """Opinions whose content holds ``query``, or whose tracking code is ``query``."""
    return opinions.filter(Q(content__icontains=query) | Q(tracking_code__iexact=query)) if query else opinions


def stations_of(deputy_id: int) -> QuerySet:
    """The active stations the deputy is stationed in."""
    return Station.objects.active().filter(assignments__deputy_id=deputy_id).order_by("tree_id", "lft").distinct()


def co_signer_choices(deputy_id: int) -> QuerySet:
    """Serving deputies who share a station or a deputy group with the deputy, by name."""
    my_stations = StationAssignment.objects.filter(deputy_id=deputy_id).values("station_id")
    my_groups = DeputyGroup.objects.filter(Q(members__id=deputy_id) | Q(leader_id=deputy_id)).values("pk")
    same_station = StationAssignment.objects.filter(station_id__in=my_stations).values("deputy_id")
    same_group = DeputyGroup.members.through.objects.filter(deputygroup_id__in=my_groups).values("deputy_id")
    group_leaders = DeputyGroup.objects.filter(pk__in=my_groups).values("leader_id")
    return (
        Deputy.objects.active()
        .filter(Q(pk__in=same_station) | Q(pk__in=same_group) | Q(pk__in=group_leaders))
        .exclude(pk=deputy_id)
        .order_by("name", "pk")
    )
