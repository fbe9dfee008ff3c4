"""The client's address, taken only from where the deployment says it can be trusted.

Without a reverse proxy the address is the socket's (``REMOTE_ADDR``). Behind the county's
proxy, ``TRUSTED_PROXY_HEADER`` names the header the proxy sets (``X-Forwarded-For``,
``X-Real-IP``…) and ``TRUSTED_PROXY_COUNT`` how many proxies append to it: the address is read
that many entries from the right, the part a client cannot forge. The middleware writes it
into ``REMOTE_ADDR`` so that every consumer (django-axes, DRF throttles, django-ratelimit,
logs) agrees on one address.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def meta_key(header: str) -> str:
    """``X-Forwarded-For`` → ``HTTP_X_FORWARDED_FOR``."""
    return "HTTP_" + header.upper().replace("-", "_")


def address_from_header(value: str, count: int) -> str | None:
    """The ``count``-th address from the right of a comma-separated header, if it is one."""
    entries = [entry.strip() for entry in value.split(",") if entry.strip()]
    if not entries:
        return None
    candidate = entries[-count] if len(entries) >= count else entries[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address for ``request`` (also django-axes' ``AXES_CLIENT_IP_CALLABLE``)."""
    header = settings.TRUSTED_PROXY_HEADER
    if header:
        found = address_from_header(request.META.get(meta_key(header), ""), settings.TRUSTED_PROXY_COUNT)
        if found:
            return found
    return request.META.get("REMOTE_ADDR")


class TrustedProxyMiddleware:
    """Put the trusted client address into ``REMOTE_ADDR`` (a no-op without a configured proxy)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.TRUSTED_PROXY_HEADER:
            address = client_ip(request)
            if address:
                request.META["REMOTE_ADDR"] = address
        return self.get_response(request)
