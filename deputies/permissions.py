"""Who may act on the roster: the staff roles' rights in the admin.

Which deputies and groups a user may see is decided by ``visible_to`` beside the models.
"""

from liaison.models import Role

ADMIN_RIGHTS = {
    "deputies.deputy": {Role.COUNTY_STAFF: "vacd", Role.TOWNSHIP_STAFF: "vac", Role.STATION_LIAISON: "v"},
    "deputies.deputygroup": {Role.COUNTY_STAFF: "vacd", Role.TOWNSHIP_STAFF: "vac", Role.STATION_LIAISON: "v"},
}
