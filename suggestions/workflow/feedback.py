"""The deputies' rating of a reply, and what follows: rated, or handled again."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from liaison.notifications import notify
from suggestions.permissions import can_review, is_deputy

from ..deadlines import Deadlines, midpoint
from ..models import Assignment, AssignmentRole, Clock, Feedback, Rating, Reply, Suggestion
from ..recipients import reviewer_ids
from ..reminders import reschedule
from .core import check, lock_suggestion, move_suggestion, now, suggestion_event, today
from .errors import Invalid, NotAllowed
from .suggestions import _notify_department, staff_link
from .table import SUGGESTION_TRANSITIONS

ESCALATE_AFTER_UNSATISFIED_ROUNDS = 2


def latest_reply(suggestion: Suggestion) -> Reply | None:
    """The newest reply answering ``suggestion`` (its primary's, when joined)."""
    return suggestion.handling_suggestion.replies.order_by("-round").first()


def feedback_deadline(reply: Reply):
    """The last day to rate ``reply`` (computed from the rule when the reply was posted)."""
    return reply.feedback_due_on


def feedback_window_open(reply: Reply) -> bool:
    return today() <= feedback_deadline(reply)


@transaction.atomic
def feedback_rate(*, suggestion: Suggestion, actor, rating: str, comment: str = "") -> Feedback:
    """The lead deputy rates the latest reply (staff may enter a paper rating form for them).

    When every deputy of a joined group has rated and none is unsatisfied, the suggestion is
    *rated*. An unsatisfied rating opens re-handling with a new deadline for the lead
    department; the second unsatisfied round escalates it to the standing committee.
    """
    if rating not in Rating.values:
        raise Invalid(_("Please choose a rating."))
    if rating == Rating.UNSATISFIED and not comment.strip():
        raise Invalid(_("Please say what is unsatisfactory, so that the department can act on it."))
    current = Suggestion.objects.get(pk=suggestion.pk)
    primary = lock_suggestion(current.handling_suggestion)
    suggestion = lock_suggestion(current) if current.primary_id else primary
    if actor is None or not (is_deputy(actor, suggestion.lead_deputy_id) or can_review(actor, suggestion)):
        raise NotAllowed(_("Only the lead deputy rates the reply."))
    reply = latest_reply(primary)
    if reply is None or primary.status not in SUGGESTION_TRANSITIONS["rate"].sources:
        raise Invalid(_("There is no reply waiting for a rating."))
    if Feedback.objects.filter(suggestion=suggestion, reply=reply).exists():
        raise Invalid(_("This reply has already been rated."))
    if not feedback_window_open(reply):
        raise Invalid(
            _("The rating window ended on %(date)s; the staff will close the suggestion.")
            % {"date": feedback_deadline(reply)}
        )
    feedback = Feedback.objects.create(
        suggestion=suggestion,
        reply=reply,
        deputy=suggestion.lead_deputy,
        rating=rating,
        comment=comment.strip(),
        rated_at=now(),
    )
    note = f"{feedback.get_rating_display()} {feedback.comment}".strip()
    if suggestion.pk != primary.pk:
        suggestion_event(suggestion, "rate_partly", actor, to_status=suggestion.status, note=note)
    _advance_after_rating(primary, reply, actor, note)
    primary.refresh_from_db()
    reschedule(primary)
    return feedback


def _advance_after_rating(primary: Suggestion, reply: Reply, actor, note: str) -> None:
    group_ids = [primary.pk, *primary.joined.values_list("pk", flat=True)]
    ratings = dict(
        Feedback.objects.filter(reply=reply, suggestion_id__in=group_ids).values_list("suggestion_id", "rating")
    )
    if Rating.UNSATISFIED in ratings.values():
        _start_rehandling(primary, reply, actor, note)
    elif len(ratings) == len(group_ids):
        move_suggestion(primary, check(SUGGESTION_TRANSITIONS, "rate", primary.status, ""), actor, note=note)
    elif primary.pk in ratings:
        suggestion_event(primary, "rate_partly", actor, to_status=primary.status, note=note)


def _start_rehandling(primary: Suggestion, reply: Reply, actor, note: str) -> Assignment:
    """Open a new handling round for the lead department, due by the re-handling rule."""
    transition = check(SUGGESTION_TRANSITIONS, "rate_unsatisfied", primary.status, primary.get_status_display())
    unsatisfied_rounds = (
        Feedback.objects.filter(suggestion__in=[primary, *primary.joined.all()], rating=Rating.UNSATISFIED)
        .values("reply__round")
        .distinct()
        .count()
    )
    start = today()
    due_on = Deadlines().due(Clock.REHANDLING, start)
    assignment = Assignment.objects.create(
        suggestion=primary,
        department=reply.assignment.department,
        role=AssignmentRole.LEAD,
        status="accepted",
        round=reply.round + 1,
        assigned_at=now(),
        accepted_at=now(),
        assigned_by=None,
        due_on=due_on,
        original_due_on=due_on,
        midpoint_on=midpoint(start, due_on),
    )
    move_suggestion(primary, transition, actor, assignment=assignment, note=note)
    _notify_department(
        assignment, "rehandling", _("Suggestion %(number)s was rated unsatisfied: handle it again by %(due)s"), note
    )
    if unsatisfied_rounds >= ESCALATE_AFTER_UNSATISFIED_ROUNDS and not primary.committee_supervised:
        primary.committee_supervised = True
        primary.save(update_fields=["committee_supervised", "updated_at"])
        suggestion_event(primary, "escalate", actor, to_status=primary.status, assignment=assignment)
        leaders = reviewer_ids(primary) | ({primary.supervising_leader_id} - {None})
        notify(
            recipients=leaders,
            kind="escalated",
            title=_("Suggestion %(number)s was rated unsatisfied twice and is escalated") % {"number": primary.number},
            body=primary.title,
            link=staff_link(primary),
        )
    return assignment
