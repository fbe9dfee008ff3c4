"""Spreadsheet widgets that name stations, for the reference-table imports."""

from django.db.models import Q
from django.utils.translation import gettext as _

from liaison.spreadsheets.resources import ScopedWidget
from liaison.textnorm import compact_text

from .models import Station, StationKind


class TownshipWidget(ScopedWidget):
    """A township, named by its center station's name or code (the code wins)."""

    def centers(self):
        stations = Station.objects.all() if self.user is None else Station.objects.visible_to(self.user)
        return stations.filter(kind=StationKind.CENTER)

    def clean(self, value, row=None, **kwargs):
        text = compact_text(value)
        if not text:
            return None
        matches = list(self.centers().filter(Q(code=text) | Q(name=text)))
        by_code = [station for station in matches if station.code == text]
        if by_code or len(matches) == 1:
            return (by_code or matches)[0]
        if matches:
            raise ValueError(
                _("Several townships are named “%(name)s”; give the code of the center station.") % {"name": text}
            )
        raise ValueError(
            _("Township “%(name)s” not found; give the name or code of its center station.") % {"name": text}
        )

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""
