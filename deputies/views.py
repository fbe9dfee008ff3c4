"""A deputy's public profile page and personal QR code (一人一码)."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from liaison.qr import public_url, qr_response, qr_svg_inline

from .models import Deputy
from .selectors import deputy_public


def _deputy_or_404(code: str) -> Deputy:
    try:
        return deputy_public(code)
    except Deputy.DoesNotExist as missing:
        raise Http404 from missing


def _opinion_url(request, deputy: Deputy) -> str:
    """The address of the deputy's opinion form (served by the suggestions app, reached by URL name)."""
    return public_url(request, reverse("public:deputy_opinion", args=[deputy.code]))


@require_GET
def detail(request, code):
    deputy = _deputy_or_404(code)
    return render(
        request,
        "deputies/detail.html",
        {
            "deputy": deputy,
            "assignments": [a for a in deputy.assignments.all() if a.station.is_active],
            "opinion_url": _opinion_url(request, deputy),
            "qr_svg": qr_svg_inline(_opinion_url(request, deputy), scale=5),
        },
    )


@require_GET
def qr_code(request, code, fmt):
    if fmt not in ("svg", "png"):
        raise Http404
    deputy = _deputy_or_404(code)
    return qr_response(_opinion_url(request, deputy), fmt, f"deputy-{deputy.code}")
