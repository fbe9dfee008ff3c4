"""Who gets told of what: the notices the workflow's actions send.

Each function is called by an action inside its transaction: the inbox messages are written
with the change (and roll back with it), their e-mail and SMS copies are queued to go once it
commits (:mod:`liaison.notifications`). The recipients are the reviewing staff
(:func:`suggestions.recipients.reviewer_ids`), the departments' handlers
(:func:`suggestions.recipients.handler_ids`) and the lead deputies of a suggestion and of the
suggestions joined to it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from liaison.notifications import Message, notify_many

from ..models import Assignment, ExtensionRequest, Suggestion
from ..recipients import handler_ids, reviewer_ids


def staff_link(suggestion: Suggestion) -> str:
    return reverse("admin:suggestions_suggestion_change", args=[suggestion.pk])


def deputy_link(suggestion_id: int) -> str:
    return reverse("deputy:suggestion", args=[suggestion_id])


def department_link(assignment: Assignment) -> str:
    return reverse("department:assignment", args=[assignment.pk])


# Who
# ------------------------------------------------------------------------------


def _tell_reviewers(suggestion: Suggestion, kind: str, title: str, body: str, also: Iterable[int] = ()) -> None:
    """The staff who review ``suggestion`` (and ``also`` these user ids)."""
    notify_many([Message(reviewer_ids(suggestion) | set(also), kind, title, body, staff_link(suggestion))])


def _tell_departments(assignments: list[Assignment], kind: str, title: str, body: str = "") -> None:
    """The handlers of each assignment's department; ``title`` takes the suggestion's
    ``number`` and the assignment's ``due`` date."""
    handlers = handler_ids({assignment.department_id for assignment in assignments})
    notify_many(
        [
            Message(
                handlers[assignment.department_id],
                kind,
                title % {"number": assignment.suggestion.number, "due": assignment.due_on},
                body or assignment.suggestion.title,
                department_link(assignment),
            )
            for assignment in assignments
        ]
    )


def _tell_deputies(suggestion: Suggestion, kind: str, title: str, body: str = "") -> None:
    """The lead deputies of ``suggestion`` and of the suggestions joined to it; ``title``
    takes each one's own ``number``."""
    group = Suggestion.objects.filter(Q(pk=suggestion.pk) | Q(primary_id=suggestion.pk)).order_by("pk")
    notify_many(
        [
            Message([user_id], kind, title % {"number": number}, body or own_title, deputy_link(pk))
            for pk, number, own_title, user_id in group.values_list("pk", "number", "title", "lead_deputy__user_id")
            if user_id
        ]
    )


# What
# ------------------------------------------------------------------------------


def suggestion_submitted(suggestion: Suggestion) -> None:
    _tell_reviewers(
        suggestion,
        "suggestion_submitted",
        _("New suggestion %(number)s awaits review") % {"number": suggestion.number},
        suggestion.title,
    )


def suggestion_rejected(suggestion: Suggestion, reason: str) -> None:
    _tell_deputies(suggestion, "suggestion_rejected", _("Suggestion %(number)s was not accepted"), reason)


def suggestion_closed(suggestion: Suggestion) -> None:
    _tell_deputies(suggestion, "suggestion_closed", _("Suggestion %(number)s is closed"))


def assignments_made(assignments: list[Assignment]) -> None:
    _tell_departments(assignments, "assignment_new", _("New assignment: suggestion %(number)s, due %(due)s"))


def assignment_accepted(suggestion: Suggestion, assignment: Assignment) -> None:
    _tell_deputies(
        suggestion, "assignment_accepted", _("Suggestion %(number)s is being handled"), str(assignment.department)
    )


def assignment_returned(suggestion: Suggestion, assignment: Assignment, reason: str) -> None:
    _tell_reviewers(
        suggestion,
        "assignment_returned",
        _("%(department)s returned suggestion %(number)s")
        % {"department": assignment.department, "number": suggestion.number},
        reason,
    )


def co_input_arrived(lead: Assignment, co_handler: Assignment) -> None:
    _tell_departments(
        [lead], "co_input", _("Co-handler input arrived for suggestion %(number)s"), str(co_handler.department)
    )


def reply_posted(suggestion: Suggestion, content: str) -> None:
    _tell_deputies(suggestion, "reply_posted", _("Suggestion %(number)s has a reply: please rate it"), content[:200])


def rehandling_opened(assignment: Assignment, note: str) -> None:
    _tell_departments(
        [assignment], "rehandling", _("Suggestion %(number)s was rated unsatisfied: handle it again by %(due)s"), note
    )


def escalated(suggestion: Suggestion) -> None:
    """The reviewing staff and the supervising leader."""
    _tell_reviewers(
        suggestion,
        "escalated",
        _("Suggestion %(number)s was rated unsatisfied twice and is escalated") % {"number": suggestion.number},
        suggestion.title,
        also={suggestion.supervising_leader_id} - {None},
    )


def extension_requested(suggestion: Suggestion, request: ExtensionRequest) -> None:
    _tell_reviewers(
        suggestion,
        "extension_requested",
        _("%(department)s asks to extend suggestion %(number)s to %(date)s")
        % {
            "department": request.assignment.department,
            "number": suggestion.number,
            "date": request.requested_due_on,
        },
        request.reason,
    )


def extension_decided(assignment: Assignment, kind: str, note: str) -> None:
    _tell_departments([assignment], kind, _("Extension decision on suggestion %(number)s: due %(due)s"), note)
