"""Panels that higher apps add to pages of lower ones.

A page of a lower layer (a station's public page, the deputy's home) cannot import the apps
above it that know about activities, duty rosters or grids. Instead each app registers its
panels from ``AppConfig.ready()``; the page's view asks :func:`panels_for` and its template
includes each panel's template with the context the panel's function returned
(``{% include panel.template with panel=panel.context %}``). A function returning ``None``
hides its panel.

Places:
- ``station_top``: above a station's facts (the deputy's "log an activity" button);
- ``station_page``: sections of the station's public page;
- ``station_poster``: the station's printable A4 poster;
- ``deputy_home``: sections of the deputy's home page (``/me/``), called with the deputy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

PLACES = ("station_top", "station_page", "station_poster", "deputy_home")


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: Callable  # (request, obj) -> dict | None
    places: tuple[str, ...] = ("station_page",)
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


def panels_for(request, obj, place: str) -> list[RenderedPanel]:
    """The panels to show at ``place`` for ``obj`` (a station, a deputy), in order, with their context."""
    shown = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.name)):
        if place not in panel.places:
            continue
        context = panel.context(request, obj)
        if context is not None:
            shown.append(RenderedPanel(panel.name, panel.template, context))
    return shown
