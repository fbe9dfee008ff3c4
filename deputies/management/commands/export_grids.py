from liaison.spreadsheets.commands import ExportCommand
from stations.models import Grid

from ...grid_io import export_grids


class Command(ExportCommand):
    help = "Export every grid with its leaders in the grid import format (CSV or XLSX by the file's extension)."

    @staticmethod
    def export(fmt: str) -> bytes:
        return export_grids(Grid.objects.all(), fmt)
