"""Who may act on the station network: the staff roles' rights in the admin.

Which stations a user may see or manage is decided by ``Station.objects.visible_to`` and
``managed_by`` beside the model.
"""

from liaison.models import Role

ADMIN_RIGHTS = {
    "stations.station": {Role.COUNTY_STAFF: "vacd", Role.TOWNSHIP_STAFF: "vac", Role.STATION_LIAISON: "vc"},
    "stations.standardchecklist": {Role.COUNTY_STAFF: "vacd", Role.TOWNSHIP_STAFF: "v"},
    "stations.stationassessment": {Role.COUNTY_STAFF: "vacd", Role.TOWNSHIP_STAFF: "vac", Role.STATION_LIAISON: "v"},
    "stations.grid": {Role.COUNTY_STAFF: "vacd", Role.TOWNSHIP_STAFF: "vacd", Role.STATION_LIAISON: "vac"},
}
