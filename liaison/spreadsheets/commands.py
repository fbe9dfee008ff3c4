"""Base classes of the ``import_*`` and ``export_*`` management commands.

The commands run county-wide (no user, so no area limit). An import prints every error with
its line and exits non-zero when the file has any; nothing is written then.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from .tabular import format_of


class ImportCommand(BaseCommand):
    """``manage.py import_x FILE [--dry-run]``; subclasses set ``import_file``."""

    @staticmethod
    def import_file(source, *, user=None, dry_run=False, name=None):
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV (UTF-8 or GBK) or XLSX file")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")

    def handle(self, *args, file, dry_run, **options):
        if not Path(file).is_file():
            raise CommandError(_("File %(file)s not found.") % {"file": file})
        result = self.import_file(file, user=None, dry_run=dry_run)
        if not result.ok:
            for error in result.sorted_errors():
                self.stderr.write(str(error))
            raise CommandError(_("%(count)s problem(s) found; nothing was imported.") % {"count": len(result.errors)})
        self.stdout.write(self.style.SUCCESS(result.summary()))


class ExportCommand(BaseCommand):
    """``manage.py export_x FILE``: CSV or XLSX by the file's extension; subclasses set ``export``."""

    @staticmethod
    def export(fmt: str) -> bytes:
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .csv or .xlsx file to write")

    def handle(self, *args, file, **options):
        try:
            fmt = format_of(file)
        except ValueError as error:
            raise CommandError(str(error)) from error
        Path(file).write_bytes(self.export(fmt))
        self.stdout.write(self.style.SUCCESS(_("Written to %(file)s.") % {"file": file}))
