"""QR codes for stations and deputies (一站一码、一人一码), as SVG and PNG."""

import io

import segno
from django.conf import settings
from django.http import HttpResponse


def public_url(request, path: str) -> str:
    """The absolute address of ``path`` as printed on posters: PUBLIC_BASE_URL or the request host."""
    if settings.PUBLIC_BASE_URL:
        return settings.PUBLIC_BASE_URL + path
    return request.build_absolute_uri(path)


def qr_svg_inline(url: str, scale: int = 6) -> str:
    """An ``<svg>`` element for embedding in a page."""
    return segno.make(url, error="m").svg_inline(scale=scale, border=2)


def qr_response(url: str, fmt: str, filename: str) -> HttpResponse:
    """The QR code of ``url`` as a downloadable SVG or PNG file."""
    code = segno.make(url, error="m")
    buffer = io.BytesIO()
    if fmt == "svg":
        code.save(buffer, kind="svg", scale=10, border=2, title=url)
        content_type = "image/svg+xml"
    else:
        code.save(buffer, kind="png", scale=12, border=2)
        content_type = "image/png"
    response = HttpResponse(buffer.getvalue(), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}.{fmt}"'
    response["Cache-Control"] = "public, max-age=3600"
    return response
