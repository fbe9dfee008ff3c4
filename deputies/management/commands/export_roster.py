from liaison.spreadsheets.commands import ExportCommand

from ...models import Deputy
from ...roster import export_roster


class Command(ExportCommand):
    help = "Export every deputy in the roster import format (CSV or XLSX by the file's extension)."

    @staticmethod
    def export(fmt: str) -> bytes:
        return export_roster(Deputy.objects.all(), fmt)
