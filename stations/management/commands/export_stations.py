from liaison.spreadsheets.commands import ExportCommand

from ...models import Station
from ...station_io import export_stations


class Command(ExportCommand):
    help = "Export every station in the station import format (CSV or XLSX by the file's extension)."

    @staticmethod
    def export(fmt: str) -> bytes:
        return export_stations(Station.objects.all(), fmt)
