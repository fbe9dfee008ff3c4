"""Reads about deputies and coverage shared by the admin workbench, lists and public pages."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from stations.models import Station, StationKind
from stations.selectors import percent, station_coverage

from .models import Deputy, Mandate, StationAssignment


def township_table(stations):
    """Center stations with their coverage figures, computed in SQL (one query).

    Each row has ``station_total``, ``village_stations`` (village stations in the township)
    and ``stationed_deputies`` (distinct deputies stationed anywhere in the township).
    """

    def stations_in_township(queryset):
        return Coalesce(
            Subquery(
                queryset.filter(township_id=OuterRef("pk"))
                .order_by()
                .values("township_id")
                .annotate(n=Count("id"))
                .values("n"),
                output_field=IntegerField(),
            ),
            0,
        )

    active = Station.objects.filter(is_active=True)
    deputies_here = (
        StationAssignment.objects.filter(
            station__is_active=True, station__township_id=OuterRef("pk"), deputy__is_active=True
        )
        .order_by()
        .values("station__township_id")
        .annotate(n=Count("deputy_id", distinct=True))
        .values("n")
    )
    return (
        stations.filter(kind=StationKind.CENTER, is_active=True)
        .annotate(
            station_total=stations_in_township(active),
            village_stations=stations_in_township(active.filter(kind=StationKind.VILLAGE)),
            stationed_deputies=Coalesce(Subquery(deputies_here, output_field=IntegerField()), 0),
        )
        .order_by("code")
    )


def deputy_coverage(user) -> dict:
    """Serving deputies the user may see, and how many of them are stationed (one query)."""
    figures = (
        Deputy.objects.visible_to(user)
        .filter(is_active=True)
        .aggregate(
            total=Count("id", distinct=True),
            stationed=Count("id", distinct=True, filter=Q(assignments__station__is_active=True)),
        )
    )
    return {
        "deputies_total": figures["total"],
        "deputies_stationed": figures["stationed"],
        "stationed_rate": percent(figures["stationed"], figures["total"]),
    }


def network_summary(user) -> dict:
    """The coverage figures on the admin workbench, for what ``user`` may see."""
    stations = Station.objects.visible_to(user)
    return {
        **station_coverage(stations),
        **deputy_coverage(user),
        "townships": list(township_table(stations)),
    }


def active_mandates():
    return Prefetch("mandates", queryset=Mandate.objects.filter(is_active=True).order_by("level"))


def deputy_public(code: str) -> Deputy:
    return (
        Deputy.objects.filter(is_active=True, code=code)
        .prefetch_related(
            active_mandates(),
            Prefetch("assignments", queryset=StationAssignment.objects.select_related("station")),
        )
        .get()
    )
