"""Who may act on opinions, suggestions and their handling.

Which rows a user may see is decided by each model's ``visible_to`` (``suggestions.models``);
this module answers who may *do* something to a row they see. The workflow actions, the pages,
the admin desks and the API all ask here.

The transition table (:mod:`suggestions.workflow.table`) names in its ``actor`` column one
:class:`Actor` per transition; :func:`may_take` answers whether a user holds that right on an
object, and every workflow action asks it before it moves anything.
"""

from __future__ import annotations

from enum import StrEnum

from liaison.models import Role
from liaison.scope import scope_for

from .models import Jurisdiction, Opinion

ADMIN_RIGHTS = {
    "suggestions.department": {Role.COUNTY_STAFF: "vacd", Role.TOWNSHIP_STAFF: "v"},
    "suggestions.opinion": {Role.COUNTY_STAFF: "vac", Role.TOWNSHIP_STAFF: "vac", Role.STATION_LIAISON: "vac"},
    "suggestions.suggestion": {Role.COUNTY_STAFF: "vac", Role.TOWNSHIP_STAFF: "vac", Role.STATION_LIAISON: "v"},
    "suggestions.assignment": {Role.COUNTY_STAFF: "v", Role.TOWNSHIP_STAFF: "v"},
    "suggestions.extensionrequest": {Role.COUNTY_STAFF: "vc", Role.TOWNSHIP_STAFF: "vc"},
    "suggestions.commitment": {Role.COUNTY_STAFF: "v", Role.TOWNSHIP_STAFF: "v"},
    "suggestions.category": {Role.COUNTY_STAFF: "vacd", Role.TOWNSHIP_STAFF: "v"},
    "suggestions.resultclass": {Role.COUNTY_STAFF: "vac", Role.TOWNSHIP_STAFF: "v"},
    "suggestions.deadlinerule": {Role.COUNTY_STAFF: "vc", Role.TOWNSHIP_STAFF: "v"},
}


def can_review(user, suggestion) -> bool:
    """Review, assign, approve extensions and close: county staff for county-jurisdiction
    suggestions (and all), township staff for township-jurisdiction ones of their township."""
    scope = scope_for(user)
    if scope.is_county:
        return True
    return suggestion.jurisdiction == Jurisdiction.TOWNSHIP and suggestion.township_id in scope.township_ids


def handles(user, assignment) -> bool:
    """Whether the user is a handler of the assignment's department."""
    return assignment.department_id in scope_for(user).department_ids


def is_deputy(user, deputy_id) -> bool:
    """Whether the user is the deputy ``deputy_id``."""
    return deputy_id is not None and scope_for(user).deputy_id == deputy_id


def may_write_for(user, lead_deputy_id: int, township_id: int | None) -> bool:
    """Whether ``user`` may write, edit or submit a suggestion led by ``lead_deputy_id`` and
    raised in ``township_id``: the deputy, county staff, or the township's staff entering it
    for them."""
    scope = scope_for(user)
    return scope.deputy_id == lead_deputy_id or scope.is_county or township_id in scope.township_ids


def may_write(user, suggestion) -> bool:
    """Whether ``user`` may edit and submit the draft ``suggestion`` (see :func:`may_write_for`)."""
    return may_write_for(user, suggestion.lead_deputy_id, suggestion.township_id)


def may_rate(user, suggestion) -> bool:
    """The lead deputy rates the reply; the reviewing staff may enter a paper rating form."""
    return is_deputy(user, suggestion.lead_deputy_id) or can_review(user, suggestion)


def may_act_on_opinion(user, opinion) -> bool:
    """Staff of the opinion's township (county staff: all), its station's liaison officer and
    its receiving deputies: whoever may see it."""
    return Opinion.objects.visible_to(user).filter(pk=opinion.pk).exists()


def may_enter_opinion(user, station) -> bool:
    """Whether ``user`` records opinions received at ``station``: county staff, the staff of
    its township, its liaison officer, and the deputies stationed there."""
    scope = scope_for(user)
    return bool(
        scope.is_county
        or station.township_id in scope.township_ids
        or station.pk in scope.liaison_station_ids
        or (scope.deputy_id and station.assignments.filter(deputy_id=scope.deputy_id).exists())
    )


def may_fulfil(user, commitment) -> bool:
    """The lead department that promised it, or the reviewing staff."""
    return handles(user, commitment.reply.assignment) or can_review(user, commitment.suggestion)


class Actor(StrEnum):
    """Who may take a transition: the values of the transition table's ``actor`` column."""

    WRITER = "writer"  # the lead deputy, or staff writing for them (:func:`may_write`)
    REVIEWER = "reviewer"  # the reviewing staff (:func:`can_review`)
    HANDLER = "handler"  # the handlers of the assignment's department (:func:`handles`)
    RATER = "rater"  # the lead deputy, or the reviewing staff with a paper form (:func:`may_rate`)
    RECEIVER = "receiver"  # whoever may see the opinion (:func:`may_act_on_opinion`)


RIGHTS = {
    Actor.WRITER: may_write,
    Actor.REVIEWER: can_review,
    Actor.HANDLER: handles,
    Actor.RATER: may_rate,
    Actor.RECEIVER: may_act_on_opinion,
}


def may(user, actor: Actor, obj) -> bool:
    """Whether ``user`` holds the right ``actor`` on ``obj``: a suggestion for the writer,
    reviewer and rater, an assignment for the handler, an opinion for the receiver."""
    return user is not None and RIGHTS[actor](user, obj)


def may_take(user, transition, obj) -> bool:
    """Whether ``user`` may take ``transition`` (a row of the transition table) on ``obj``, as
    its ``actor`` column says (``obj`` as for :func:`may`)."""
    return may(user, transition.actor, obj)
