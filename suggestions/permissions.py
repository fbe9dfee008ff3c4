"""Who may act on opinions, suggestions and their handling.

Which rows a user may see is decided by each model's ``visible_to`` (``suggestions.models``);
this module answers who may *do* something to a row they see. The workflow actions, the pages,
the admin desks and the API all ask here.
"""

from liaison.models import Role
from liaison.scope import scope_for

from .models import Jurisdiction

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
