"""Who gets told about a suggestion: the departments' handlers, the reviewing staff (county
staff, or a township suggestion's township staff) and the standing committee's leaders.

:class:`Recipients` reads them for a whole batch of items in a handful of queries (the
reminder scan, manual reminders); :func:`reviewer_ids` answers for one suggestion and
:func:`handler_ids` for a few departments (the workflow's notices).
"""

from __future__ import annotations

from collections import defaultdict

from liaison.models import Role, StaffProfile

from .models import Department, Jurisdiction, Suggestion


def handler_ids(department_ids: set[int]) -> dict[int, set[int]]:
    """The user ids of each department's handlers (its contact users), in one query."""
    contacts = Department.contact_users.through.objects.filter(department_id__in=department_ids)
    handlers: dict[int, set[int]] = defaultdict(set)
    for department_id, user_id in contacts.values_list("department_id", "user_id"):
        handlers[department_id].add(user_id)
    return handlers


class Recipients:
    """Who receives what, read in a handful of queries for a whole batch."""

    def __init__(self, department_ids: set[int], township_ids: set[int]):
        self.handlers = handler_ids(department_ids)
        profiles = StaffProfile.objects.filter(user__is_active=True).filter(
            role=Role.COUNTY_STAFF
        ) | StaffProfile.objects.filter(user__is_active=True, role=Role.TOWNSHIP_STAFF, township_id__in=township_ids)
        self.county: set[int] = set()
        self.leaders: set[int] = set()
        self.township: dict[int, set[int]] = defaultdict(set)
        for user_id, role, township_id, is_leader in profiles.values_list(
            "user_id", "role", "township_id", "is_leader"
        ):
            if role == Role.COUNTY_STAFF:
                self.county.add(user_id)
                if is_leader:
                    self.leaders.add(user_id)
            else:
                self.township[township_id].add(user_id)

    def reviewers(self, suggestion: Suggestion) -> set[int]:
        if suggestion.jurisdiction == Jurisdiction.TOWNSHIP and suggestion.township_id:
            return set(self.township[suggestion.township_id])
        return set(self.county)


def reviewer_ids(suggestion: Suggestion) -> set[int]:
    """The staff who review and supervise ``suggestion``: county staff, or for a township
    suggestion its township's staff."""
    return Recipients(set(), {suggestion.township_id} - {None}).reviewers(suggestion)
