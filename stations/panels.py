"""Panels that higher apps add to a station's public page and poster.

The station app sits below the apps that know about activities, duty rosters or grids, so it
cannot import them. Instead each app registers its panels from ``AppConfig.ready()``; the
station views ask :func:`panels_for` and the templates include each panel's template with the
context its function returned. A function returning ``None`` hides its panel.

Places: ``"top"`` (above the facts, e.g. the deputy's "log an activity" button), ``"page"``
(sections of the station page) and ``"poster"`` (the printable A4 poster).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

PLACES = ("top", "page", "poster")


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: Callable  # (request, station) -> dict | None
    places: tuple[str, ...] = ("page",)
    order: int = 100


@dataclass(frozen=True)
class RenderedPanel:
    name: str
    template: str
    context: dict


_panels: dict[str, Panel] = {}


def register_panel(panel: Panel) -> None:
    """Add (or replace, by name) a panel; call from ``AppConfig.ready()``."""
    unknown = set(panel.places) - set(PLACES)
    if unknown:
        raise ValueError(f"unknown panel places: {sorted(unknown)}")
    _panels[panel.name] = panel


def panels_for(request, station, place: str) -> list[RenderedPanel]:
    """The panels to show at ``place`` of ``station``'s page, in order, with their context."""
    shown = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.name)):
        if place not in panel.places:
            continue
        context = panel.context(request, station)
        if context is not None:
            shown.append(RenderedPanel(panel.name, panel.template, context))
    return shown
