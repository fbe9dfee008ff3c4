from liaison.spreadsheets.commands import ImportCommand

from ...grid_io import import_grids


class Command(ImportCommand):
    help = "Import grids and their leaders from a CSV or XLSX file (all or nothing)."
    import_file = staticmethod(import_grids)
