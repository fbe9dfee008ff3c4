"""Reads of the department pages: the handlers' queue of open assignments, the finished ones,
their counts, one assignment with its colour, and the co-handlers' input."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet

from ..deadlines import Deadlines
from ..models import OPEN_ASSIGNMENT_STATUSES, Assignment, AssignmentStatus, ProgressKind, ProgressLog
from .shared import colour_conditions, with_colour, worst_first

FINISHED_STATUSES = (AssignmentStatus.DONE, AssignmentStatus.RETURNED, AssignmentStatus.CANCELLED)


def department_queue(
    department_ids,
    *,
    finished: bool = False,
    query: str = "",
    role: str = "",
    colour: str = "",
    status: str = "",
    today: dt.date | None = None,
    deadlines: Deadlines | None = None,
) -> QuerySet:
    """The departments' open assignments with their colour, overdue first, then by due date;
    or (``finished``) the done, returned and withdrawn ones, latest first.

    ``query`` searches the suggestion's number and title; ``role``, ``colour`` (open ones
    only) and ``status`` keep one value.
    """
    if finished:
        items = (
            Assignment.objects.filter(department_id__in=department_ids, status__in=FINISHED_STATUSES)
            .select_related("suggestion", "department")
            .order_by("-completed_at", "-pk")
        )
    else:
        items = Assignment.objects.filter(
            department_id__in=department_ids, status__in=OPEN_ASSIGNMENT_STATUSES
        ).select_related("suggestion", "suggestion__category", "suggestion__lead_deputy", "department")
        items = worst_first(with_colour(items, today, deadlines))
        if colour:
            items = items.filter(colour=colour)
    if query:
        items = items.filter(Q(suggestion__number__icontains=query) | Q(suggestion__title__icontains=query))
    if role:
        items = items.filter(role=role)
    if status:
        items = items.filter(status=status)
    return items


def queue_counts(department_ids, today: dt.date, deadlines: Deadlines) -> dict[str, int]:
    """Open, overdue, warning and finished counts, in one query."""
    red, yellow = colour_conditions(today, deadlines.warning_from(today))
    is_open = Q(status__in=OPEN_ASSIGNMENT_STATUSES)
    return Assignment.objects.filter(department_id__in=department_ids).aggregate(
        open=Count("pk", filter=is_open),
        red=Count("pk", filter=is_open & red),
        yellow=Count("pk", filter=is_open & yellow & ~red),
        finished=Count("pk", filter=Q(status__in=FINISHED_STATUSES)),
    )


def handled_assignments(department_ids) -> QuerySet:
    """The departments' assignments, each with its suggestion, department and colour."""
    assignments = Assignment.objects.select_related("suggestion", "department")
    return with_colour(assignments).filter(department_id__in=department_ids)


def co_inputs(suggestion_id: int) -> QuerySet:
    """The co-handlers' input to the lead department, oldest first."""
    return (
        ProgressLog.objects.filter(assignment__suggestion_id=suggestion_id, kind=ProgressKind.CO_INPUT)
        .select_related("assignment__department", "created_by")
        .order_by("created_at", "pk")
    )
