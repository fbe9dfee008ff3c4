"""Public station pages: the directory, a station's page, its QR code and printable poster."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from liaison.panels import panels_for
from liaison.qr import public_url, qr_response, qr_svg_inline

from .models import Station, StationKind
from .selectors import deputies_on_display, public_directory, townships


@require_GET
def directory(request):
    query = request.GET.get("q", "").strip()[:50]
    township = request.GET.get("township", "")
    kind = request.GET.get("kind", "")
    stations = public_directory(query=query, township_id=township, kind=kind)
    page = Paginator(stations, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "stations/directory.html",
        {
            "page": page,
            "query": query,
            "township": township,
            "kind": kind,
            "townships": townships(),
            "kinds": StationKind.choices,
        },
    )


def _public_station(code: str) -> Station:
    return get_object_or_404(Station.objects.active().select_related("township", "parent"), code=code)


def _opinion_url(request, station: Station) -> str:
    """The address of the station's opinion form (served by the suggestions app, reached by URL name)."""
    return public_url(request, reverse("public:station_opinion", args=[station.code]))


@require_GET
def detail(request, code):
    station = _public_station(code)
    return render(
        request,
        "stations/detail.html",
        {
            "station": station,
            "assignments": deputies_on_display(station),
            "children": station.get_children().filter(is_active=True),
            "opinion_url": _opinion_url(request, station),
            "qr_svg": qr_svg_inline(_opinion_url(request, station), scale=5),
            "top_panels": panels_for(request, station, "station_top"),
            "panels": panels_for(request, station, "station_page"),
        },
    )


@require_GET
def qr_code(request, code, fmt):
    if fmt not in ("svg", "png"):
        raise Http404
    station = _public_station(code)
    return qr_response(_opinion_url(request, station), fmt, f"station-{station.code}")


@require_GET
def poster(request, code):
    """An A4 poster to print and hang at the station: name, schedule and the QR code."""
    station = _public_station(code)
    return render(
        request,
        "stations/poster.html",
        {
            "station": station,
            "assignments": deputies_on_display(station),
            "opinion_url": _opinion_url(request, station),
            "qr_svg": qr_svg_inline(_opinion_url(request, station), scale=9),
            "panels": panels_for(request, station, "station_poster"),
        },
    )
