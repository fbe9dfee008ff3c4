"""Reads shared by the activities pages, the panels, the admin and the API.

Every list here runs a fixed number of queries whatever its length (counts as subqueries,
deputies prefetched); campaign figures are SQL aggregates, never Python loops over rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from deputies.models import Deputy
from stations.models import Station
from suggestions.models import Opinion, OpinionStatus, Reply, Suggestion, SuggestionStatus

from .models import Activity, ActivityOpinion, ActivityPhoto, ActivityStatus, Campaign, CampaignSuggestion, Measure

PUBLIC_RECENT = 8


def _count(queryset, column: str = "activity_id"):
    """A correlated ``COUNT(*)`` subquery on ``column`` = the outer activity."""
    return Coalesce(
        Subquery(
            queryset.filter(**{column: OuterRef("pk")})
            .order_by()
            .values(column)
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def with_list_data(activities):
    """Activities ready for a list: station, type, counts of opinions and photos, and the
    deputies present (one prefetch query)."""
    return (
        activities.select_related("station", "activity_type", "campaign", "group")
        .annotate(opinion_count=_count(ActivityOpinion.objects), photo_count=_count(ActivityPhoto.objects))
        .prefetch_related(Prefetch("deputies", queryset=Deputy.objects.only("id", "name", "code").order_by("name")))
    )


def activity_detail_queryset(user):
    """One activity with everything its page shows, limited to what ``user`` may see."""
    return (
        Activity.objects.visible_to(user)
        .select_related("station", "station__township", "activity_type", "campaign", "group", "recorded_by")
        .prefetch_related(
            Prefetch("deputies", queryset=Deputy.objects.only("id", "name", "code").order_by("name")),
            "photos",
            Prefetch(
                "opinion_links",
                queryset=ActivityOpinion.objects.select_related("opinion", "opinion__suggestion").order_by("pk"),
            ),
        )
    )


def trail(activity: Activity):
    return activity.events.select_related("actor").order_by("at", "id")


def public_recent(station: Station, limit: int = PUBLIC_RECENT):
    """A station's recent verified activities for its public page: type, date, deputies and
    voters received (never voters' names or phones). Includes the stations below it."""
    below = Station.objects.filter(tree_id=station.tree_id, lft__gte=station.lft, rght__lte=station.rght)
    return list(
        Activity.objects.verified()
        .filter(station__in=below.values("pk"))
        .select_related("activity_type", "station")
        .only(
            "id",
            "started_at",
            "voters_received",
            "activity_type__name",
            "station__name",
            "station__code",
            "station_id",
            "activity_type_id",
        )
        .prefetch_related(Prefetch("deputies", queryset=Deputy.objects.only("id", "name", "code").order_by("name")))
        .order_by("-started_at", "-pk")[:limit]
    )


def mine(deputy_id: int, user_id: int | None):
    """A deputy's activities (attended or recorded), newest first, ready for a list."""
    return with_list_data(Activity.objects.of_deputy(deputy_id, user_id)).order_by("-started_at", "-pk")


# Campaign progress
# ------------------------------------------------------------------------------


@dataclass
class TargetRow:
    """One target with the figure reached so far."""

    target_id: int
    unit: str
    measure: str
    measure_label: str
    target: int
    reached: int

    @property
    def met(self) -> bool:
        return self.reached >= self.target

    @property
    def percent(self) -> int:
        return 100 if not self.target else min(999, round(100 * self.reached / self.target))


@dataclass
class Progress:
    campaign: Campaign
    totals: dict[str, int]
    rows: list[TargetRow] = field(default_factory=list)

    def by_measure(self) -> list[tuple[str, str, list[TargetRow]]]:
        """The rows grouped by measure, in the measures' order (one chart and table each)."""
        grouped: dict[str, list[TargetRow]] = defaultdict(list)
        for row in self.rows:
            grouped[row.measure].append(row)
        return [(value, str(label), grouped[value]) for value, label in Measure.choices if grouped[value]]

    @property
    def met_count(self) -> int:
        return sum(row.met for row in self.rows)


def campaign_activities(campaign: Campaign):
    """The campaign's verified activities (only those count)."""
    return Activity.objects.filter(campaign=campaign, status=ActivityStatus.VERIFIED)


def campaign_suggestions(campaign: Campaign):
    """Suggestions of the campaign: formed from an opinion taken at one of its verified
    activities, or tagged with it by staff; drafts and refused ones do not count."""
    from_activity = ActivityOpinion.objects.filter(
        opinion__suggestion_id=OuterRef("pk"), activity__campaign=campaign, activity__status=ActivityStatus.VERIFIED
    )
    tagged = CampaignSuggestion.objects.filter(suggestion_id=OuterRef("pk"), campaign=campaign)
    return Suggestion.objects.exclude(status__in=[SuggestionStatus.DRAFT, SuggestionStatus.REJECTED]).filter(
        Q(Exists(from_activity)) | Q(Exists(tagged))
    )


def _resolved():
    return Exists(Reply.objects.filter(suggestion_id=OuterRef("pk"), result_class__counts_as_resolved=True))


def _grouped(queryset, key: str, **aggregates) -> dict:
    """``{key value: {aggregate: number}}`` from one GROUP BY query."""
    rows = queryset.order_by().values(key).annotate(**aggregates)
    return {row[key]: {name: row[name] or 0 for name in aggregates} for row in rows}


def campaign_progress(campaign: Campaign) -> Progress:
    """Headline totals and each target's figure, in a fixed number of GROUP BY queries.

    Per township (the activity's station's township; a suggestion's own township) and per
    group (activities logged for the group; suggestions led by its members):
    activities led, voters received, opinions collected, suggestions formed, and problems
    solved (opinions answered on the spot + suggestions with a reply of a resolved class).
    """
    activities = campaign_activities(campaign)
    opinions = Opinion.objects.filter(
        activity_link__activity__campaign=campaign, activity_link__activity__status=ActivityStatus.VERIFIED
    )
    suggestions = campaign_suggestions(campaign).annotate(resolved=_resolved())
    answered = Count("pk", filter=Q(status=OpinionStatus.ANSWERED))

    activity_totals = activities.aggregate(n=Count("pk"), voters=Sum("voters_received"))
    opinion_totals = opinions.aggregate(n=Count("pk"), answered=answered)
    suggestion_totals = suggestions.aggregate(n=Count("pk"), solved=Count("pk", filter=Q(resolved=True)))
    totals = {
        Measure.ACTIVITIES_LED: activity_totals["n"] or 0,
        Measure.VOTERS_RECEIVED: activity_totals["voters"] or 0,
        Measure.OPINIONS_COLLECTED: opinion_totals["n"] or 0,
        Measure.SUGGESTIONS_FORMED: suggestion_totals["n"] or 0,
        Measure.PROBLEMS_SOLVED: (opinion_totals["answered"] or 0) + (suggestion_totals["solved"] or 0),
    }

    targets = list(campaign.targets.select_related("township", "group").order_by("measure", "pk"))
    figures: dict[tuple[str, int | None], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    if any(t.township_id for t in targets):
        _add_figures(figures, "township", activities, opinions, suggestions, answered, "station__township_id")
    if any(t.group_id for t in targets):
        _add_group_figures(figures, activities, opinions, suggestions, answered)

    rows = [
        TargetRow(
            target_id=t.pk,
            unit=str(t.township.name if t.township_id else t.group.name),
            measure=t.measure,
            measure_label=str(t.get_measure_display()),
            target=t.target,
            reached=figures[("township", t.township_id) if t.township_id else ("group", t.group_id)][t.measure],
        )
        for t in targets
    ]
    return Progress(campaign=campaign, totals={str(k): v for k, v in totals.items()}, rows=rows)


def _add_figures(figures, kind, activities, opinions, suggestions, answered, activity_key):
    for key, row in _grouped(activities, activity_key, n=Count("pk"), voters=Sum("voters_received")).items():
        figures[(kind, key)][Measure.ACTIVITIES_LED] += row["n"]
        figures[(kind, key)][Measure.VOTERS_RECEIVED] += row["voters"]
    for key, row in _grouped(opinions, "station__township_id", n=Count("pk"), answered=answered).items():
        figures[(kind, key)][Measure.OPINIONS_COLLECTED] += row["n"]
        figures[(kind, key)][Measure.PROBLEMS_SOLVED] += row["answered"]
    solved = Count("pk", filter=Q(resolved=True))
    for key, row in _grouped(suggestions, "township_id", n=Count("pk"), solved=solved).items():
        figures[(kind, key)][Measure.SUGGESTIONS_FORMED] += row["n"]
        figures[(kind, key)][Measure.PROBLEMS_SOLVED] += row["solved"]


def _add_group_figures(figures, activities, opinions, suggestions, answered):
    group_activities = activities.filter(group__isnull=False)
    for key, row in _grouped(group_activities, "group_id", n=Count("pk"), voters=Sum("voters_received")).items():
        figures[("group", key)][Measure.ACTIVITIES_LED] += row["n"]
        figures[("group", key)][Measure.VOTERS_RECEIVED] += row["voters"]
    group_opinions = opinions.filter(activity_link__activity__group__isnull=False)
    for key, row in _grouped(
        group_opinions, "activity_link__activity__group_id", n=Count("pk"), answered=answered
    ).items():
        figures[("group", key)][Measure.OPINIONS_COLLECTED] += row["n"]
        figures[("group", key)][Measure.PROBLEMS_SOLVED] += row["answered"]
    # A suggestion counts for every group its lead deputy belongs to.
    solved = Count("pk", filter=Q(resolved=True))
    for key, row in _grouped(suggestions, "lead_deputy__groups", n=Count("pk"), solved=solved).items():
        if key is None:
            continue
        figures[("group", key)][Measure.SUGGESTIONS_FORMED] += row["n"]
        figures[("group", key)][Measure.PROBLEMS_SOLVED] += row["solved"]
