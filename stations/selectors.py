"""Reads of the station network shared by the admin, the dashboards and the public pages."""

from django.apps import apps
from django.db.models import Case, Count, Prefetch, Q, Sum, When
from django.db.models.functions import Coalesce

from liaison.params import positive_id

from .models import Station, StationKind


def kind_counts(stations) -> dict[str, int]:
    """Number of active stations of each kind, in one grouped query."""
    rows = stations.filter(is_active=True).values("kind").annotate(n=Count("id")).order_by()
    counts = {kind.value: 0 for kind in StationKind}
    counts.update({row["kind"]: row["n"] for row in rows})
    return counts


def station_coverage(stations) -> dict:
    """Station counts by kind and village coverage for the given stations, in SQL."""
    kinds = kind_counts(stations)
    villages_total = stations.filter(kind=StationKind.CENTER, is_active=True).aggregate(
        n=Coalesce(Sum("village_count"), 0)
    )["n"]
    villages_covered = min(kinds[StationKind.VILLAGE], villages_total)
    return {
        "kinds": [(StationKind(kind).label, n) for kind, n in kinds.items()],
        "station_total": sum(kinds.values()),
        "villages_total": villages_total,
        "villages_covered": villages_covered,
        "village_coverage": percent(villages_covered, villages_total),
    }


def percent(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def public_directory(*, query: str = "", township_id: str = "", kind: str = ""):
    """Active stations for the public directory, filtered by the visitor's search."""
    stations = Station.objects.active().select_related("township").order_by("tree_id", "lft")
    if query:
        stations = stations.filter(Q(name__icontains=query) | Q(address__icontains=query) | Q(code__iexact=query))
    if township_id:
        stations = stations.filter(township_id=positive_id(township_id))
    if kind in StationKind.values:
        stations = stations.filter(kind=kind)
    return stations


def townships():
    return Station.objects.active().townships().order_by("code")


def deputies_on_display(station: Station):
    """Assignments of the serving deputies shown on a station's public page, master first.

    Reached through the reverse relation so that this app does not import the deputies app.
    """
    mandate_model = apps.get_model("deputies", "Mandate")
    return (
        station.assignments.filter(deputy__is_active=True)
        .select_related("deputy")
        .prefetch_related(Prefetch("deputy__mandates", queryset=mandate_model.objects.filter(is_active=True)))
        .order_by(Case(When(role="master", then=0), default=1), "deputy__name")
    )
