"""The deputies' rating of a reply, and what follows: rated, or handled again."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from liaison.workdays import WorkCalendar

from ..deadlines import Deadlines
from ..models import AssignmentRole, Clock, Feedback, Rating, Reply, Suggestion
from ..reminders import reschedule
from . import notices
from .core import (
    lock_suggestion,
    move_assignment,
    move_suggestion,
    new_assignment,
    now,
    suggestion_event,
    take,
    today,
)
from .errors import IllegalTransition, Invalid
from .table import ASSIGNMENT_TRANSITIONS, SUGGESTION_TRANSITIONS

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

    The table's ``rate`` row decides who may rate (*rater*) and when: while the suggestion's
    handling (its primary's, when joined) is *replied*. When every deputy of a joined group
    has rated and none is unsatisfied, the suggestion is *rated*. An unsatisfied rating opens
    re-handling with a new deadline for the lead department; the second unsatisfied round
    escalates it to the standing committee.
    """
    if rating not in Rating.values:
        raise Invalid(_("Please choose a rating."))
    if rating == Rating.UNSATISFIED and not comment.strip():
        raise Invalid(_("Please say what is unsatisfactory, so that the department can act on it."))
    current = Suggestion.objects.get(pk=suggestion.pk)
    primary = lock_suggestion(current.handling_suggestion)
    suggestion = lock_suggestion(current) if current.primary_id else primary
    rate = take(SUGGESTION_TRANSITIONS, "rate", actor, suggestion)
    reply = latest_reply(primary)
    if reply is None or primary.status not in rate.sources:
        raise IllegalTransition(_("There is no reply waiting for a rating."))
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
    calendar = WorkCalendar()  # one calendar for the new due date and the reminders
    _advance_after_rating(primary, reply, actor, note, calendar)
    primary.refresh_from_db()
    reschedule(primary, calendar=calendar, today=today())
    return feedback


def _advance_after_rating(primary: Suggestion, reply: Reply, actor, note: str, calendar: WorkCalendar) -> None:
    group_ids = [primary.pk, *primary.joined.values_list("pk", flat=True)]
    ratings = dict(
        Feedback.objects.filter(reply=reply, suggestion_id__in=group_ids).values_list("suggestion_id", "rating")
    )
    if Rating.UNSATISFIED in ratings.values():
        _start_rehandling(primary, reply, actor, note, calendar)
    elif len(ratings) == len(group_ids):
        move_suggestion(primary, SUGGESTION_TRANSITIONS["rate"], actor, note=note)
    elif primary.pk in ratings:
        move_suggestion(primary, SUGGESTION_TRANSITIONS["rate_partly"], actor, note=note)


def _start_rehandling(primary: Suggestion, reply: Reply, actor, note: str, calendar: WorkCalendar):
    """Open a new handling round for the lead department, due by the re-handling rule: a new
    assignment in the table's initial status, taken straight to *accepted* (``rehandle``)."""
    unsatisfied_rounds = (
        Feedback.objects.filter(suggestion__in=[primary, *primary.joined.all()], rating=Rating.UNSATISFIED)
        .values("reply__round")
        .distinct()
        .count()
    )
    start = today()
    assignment = new_assignment(
        primary,
        reply.assignment.department,
        role=AssignmentRole.LEAD,
        round_number=reply.round + 1,
        start=start,
        due_on=Deadlines(calendar=calendar).due(Clock.REHANDLING, start),
    )
    move_assignment(assignment, ASSIGNMENT_TRANSITIONS["rehandle"], accepted_at=assignment.assigned_at)
    move_suggestion(primary, SUGGESTION_TRANSITIONS["rate_unsatisfied"], actor, assignment=assignment, note=note)
    notices.rehandling_opened(assignment, note)
    if unsatisfied_rounds >= ESCALATE_AFTER_UNSATISFIED_ROUNDS and not primary.committee_supervised:
        primary.committee_supervised = True
        primary.save(update_fields=["committee_supervised", "updated_at"])
        suggestion_event(primary, "escalate", actor, to_status=primary.status, assignment=assignment)
        notices.escalated(primary)
    return assignment
