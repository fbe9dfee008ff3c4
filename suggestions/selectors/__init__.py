"""Reads the pages share, by audience: :mod:`.shared` (the three-colour supervision, a
suggestion with everything its pages show, its trail), :mod:`.staff` (the admin desk),
:mod:`.department`, :mod:`.deputy`, :mod:`.public` and :mod:`.api`.

Views call these and stay thin: they parse their input, call a selector or the workflow, and
render. The names other apps use are importable from here.
"""

from .shared import (
    COLOUR_LABELS,
    GREEN,
    RED,
    YELLOW,
    colour_conditions,
    filter_colour,
    suggestion_detail_queryset,
    suggestions_of_colour,
    timeline,
    with_colour,
    with_lead_assignment,
    worst_first,
)
from .staff import desk_counts, similar_earlier, similarity, title_bigrams

__all__ = [
    "COLOUR_LABELS",
    "GREEN",
    "RED",
    "YELLOW",
    "colour_conditions",
    "desk_counts",
    "filter_colour",
    "similar_earlier",
    "similarity",
    "suggestion_detail_queryset",
    "suggestions_of_colour",
    "timeline",
    "title_bigrams",
    "with_colour",
    "with_lead_assignment",
    "worst_first",
]
