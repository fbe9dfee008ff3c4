"""Actions on opinions: record, accept, answer on the spot, decline, merge."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from liaison.textnorm import normalize_phone

from ..models import Opinion, OpinionEvent, Suggestion
from ..permissions import may_enter_opinion
from .core import lock_opinion, move_opinion, require_text, take, today
from .errors import Invalid, NotAllowed
from .table import OPINION_INITIAL, OPINION_TRANSITIONS, Transition

MAX_CONTENT = 2000


def _move(opinion: Opinion, transition: Transition, actor, *, note: str = "", **fields) -> Opinion:
    """Lock the opinion, check its status and move it."""
    opinion = lock_opinion(opinion)
    move_opinion(opinion, transition, actor, note=note, **fields)
    return opinion


@transaction.atomic
def opinion_create(
    *,
    content: str,
    channel: str,
    station,
    actor=None,
    category=None,
    place: str = "",
    deputies=(),
    voter_name: str = "",
    voter_phone: str = "",
    received_on=None,
    grid=None,
) -> Opinion:
    """Record a new opinion as *received*, with its first event.

    ``actor`` is ``None`` for the public QR form; staff and deputies enter opinions for the
    stations they work in. The voter's phone is normalised; a malformed one is refused. A
    ``grid`` (网格) must lie in the station's area.
    """
    content = require_text(content, _("Please write down the opinion."))
    if len(content) > MAX_CONTENT:
        raise Invalid(_("The opinion is too long (at most %(n)s characters).") % {"n": MAX_CONTENT})
    if not station.is_active:
        raise Invalid(_("This station is not in service."))
    if actor is not None and not may_enter_opinion(actor, station):
        raise NotAllowed(_("You may not enter opinions for this station."))
    if grid is not None and not grid.lies_under(station):
        raise Invalid(_("The grid “%(grid)s” is not in this station's area.") % {"grid": grid.name})
    try:
        phone = normalize_phone(voter_phone)
    except ValueError as error:
        raise Invalid(_("The phone number “%(phone)s” is not valid.") % {"phone": voter_phone}) from error
    opinion = Opinion.objects.create(
        status=OPINION_INITIAL,
        content=content,
        channel=channel,
        station=station,
        category=category,
        place=place.strip()[:100],
        voter_name=voter_name.strip()[:50],
        voter_phone=phone,
        created_by=actor,
        received_on=received_on or today(),
        grid=grid,
    )
    if deputies:
        opinion.deputies.set(deputies)
    OpinionEvent.objects.create(opinion=opinion, action="create", from_status="", to_status=opinion.status, actor=actor)
    return opinion


@transaction.atomic
def opinion_accept(*, opinion: Opinion, actor) -> Opinion:
    """Take the opinion up for follow-up (received → accepted)."""
    return _move(opinion, take(OPINION_TRANSITIONS, "accept", actor, opinion), actor)


@transaction.atomic
def opinion_answer(*, opinion: Opinion, actor, answer: str) -> Opinion:
    """Close the opinion with the answer given on the spot (当场解答)."""
    transition = take(OPINION_TRANSITIONS, "answer", actor, opinion)
    answer = require_text(answer, _("Please write down the answer given."))
    return _move(opinion, transition, actor, note=answer, answer=answer)


@transaction.atomic
def opinion_decline(*, opinion: Opinion, actor, reason: str) -> Opinion:
    """Decline the opinion with a reason (outside the congress's remit, a duplicate …)."""
    transition = take(OPINION_TRANSITIONS, "decline", actor, opinion)
    reason = require_text(reason, _("Please give the reason for declining."))
    return _move(opinion, transition, actor, note=reason, decline_reason=reason)


@transaction.atomic
def opinion_merge(*, opinion: Opinion, suggestion: Suggestion, actor) -> Opinion:
    """Merge the opinion into ``suggestion`` (usually inside the transaction that writes the
    suggestion, see :func:`~.suggestions.suggestion_create`)."""
    transition = take(OPINION_TRANSITIONS, "merge", actor, opinion)
    return _move(opinion, transition, actor, note=suggestion.title, suggestion=suggestion)
