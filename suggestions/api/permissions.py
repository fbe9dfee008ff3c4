"""Who may create opinions and suggestions through the API.

Everything else is decided by the querysets (what a user sees) and by the workflow (what a
user may do to what they see); these only refuse creation early, with 403, to roles that
never create such records.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from liaison.scope import scope_for


class EntersOpinions(BasePermission):
    """Congress staff, station liaison officers and deputies record opinions."""

    message = _("Only congress staff, liaison officers and deputies record opinions.")

    def has_permission(self, request, view) -> bool:
        scope = scope_for(request.user)
        return bool(scope.is_county or scope.township_ids or scope.liaison_station_ranges or scope.deputy_id)


class WritesSuggestions(BasePermission):
    """Deputies write suggestions; congress staff enter them on a deputy's behalf."""

    message = _("Only deputies and congress staff write suggestions.")

    def has_permission(self, request, view) -> bool:
        scope = scope_for(request.user)
        return bool(scope.is_county or scope.township_ids or scope.deputy_id)
