from liaison.spreadsheets.commands import ImportCommand

from ...roster import import_roster


class Command(ImportCommand):
    help = "Import the deputy roster from a CSV or XLSX file (all or nothing)."
    import_file = staticmethod(import_roster)
