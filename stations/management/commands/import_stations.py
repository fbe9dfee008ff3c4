from liaison.spreadsheets.commands import ImportCommand

from ...station_io import import_stations


class Command(ImportCommand):
    help = "Import stations from a CSV or XLSX file (all or nothing)."
    import_file = staticmethod(import_stations)
