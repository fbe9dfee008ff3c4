"""Reading and writing the spreadsheets behind every import and export.

Offices send CSV saved by Excel in China (GB18030/GBK, or UTF-8 with or without a BOM) and
XLSX workbooks. :func:`read_table` turns either into header-keyed rows that keep the file's
line numbers, so that every import can report "line 5: …" and point at the right row. It
checks the file (size, type, encoding, header) and raises :class:`TabularError` with a
message for the user when the file cannot be read at all; the values themselves are left to
each import's row parser (XLSX cells keep their type, so a parser can tell an Excel date from
text).

The import result types (:class:`ImportResult` and friends) and the export writer live here
too, as they are shared by the roster and station imports.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..textnorm import clean_text, compact_text, normalize_phone

CSV_ENCODINGS = ("utf-8-sig", "gb18030")
FORMATS = ("csv", "xlsx")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the legacy .xls (and .doc) container
# SQLite allows 999 parameters per statement; IN lists are cut well below that.
SQL_CHUNK = 900
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060"))


class TabularError(Exception):
    """A file that cannot be read as a table; the message is for the user."""


class CellError(ValueError):
    """A cell value that an import cannot take; the message is for the user."""


@dataclass(frozen=True)
class Formula:
    """An XLSX cell that holds a formula: imports read values, so it is reported, not guessed."""

    text: str


@dataclass(frozen=True)
class Row:
    """One data row: its line in the file (the header is line 1) and its cells by header."""

    line: int
    values: dict[str, Any]

    def get(self, header: str, default: Any = "") -> Any:
        return self.values.get(header, default)


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: list[Row]

    def has_column(self, header: str) -> bool:
        return header in self.headers


def read_table(source, *, name: str | None = None, required: Sequence[str] = ()) -> Table:
    """Read a CSV or XLSX file into a :class:`Table`, or raise :class:`TabularError`.

    ``source`` is a path or a file object (an upload); ``name`` gives the file name when the
    source has none. ``required`` lists the headers that must be present. Columns with a
    blank header are ignored, and so are other columns than the importer knows.
    """
    name = name or getattr(source, "name", None) or (str(source) if isinstance(source, str | os.PathLike) else "")
    data = _read_limited(source)
    if not data.strip():
        raise TabularError(_("The file is empty."))
    records = _xlsx_records(data) if _detect_format(name, data) == "xlsx" else _csv_records(data)
    return _build_table(_limit_rows(records), required)


def _limit_rows(records: Iterable[tuple[int, list]]) -> Iterator[tuple[int, list]]:
    """Stop reading once the file has more than ``IMPORT_MAX_ROWS`` data rows (plus the header)."""
    limit = settings.IMPORT_MAX_ROWS
    for count, record in enumerate(records):
        if count > limit:
            raise TabularError(too_many_rows(limit))
        yield record


def too_many_rows(limit: int) -> str:
    return _("The file has more than %(limit)s rows. Split it into several files and import them one by one.") % {
        "limit": f"{limit:,}"
    }


def normalize_header(value) -> str:
    """A header as the importers know it: no blanks at all, no trailing ``*`` (required marker)."""
    return compact_text(value).translate(_INVISIBLE).rstrip("*")


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def ensure_size(size: int) -> None:
    """Refuse a file over ``IMPORT_MAX_BYTES`` (raise :class:`TabularError`)."""
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        raise TabularError(
            _("The file is larger than %(limit)s. Split it into several files and import them one by one.")
            % {"limit": filesizeformat(limit)}
        )


def _read_limited(source) -> bytes:
    """The file's bytes, refusing a file over ``IMPORT_MAX_BYTES`` before reading it all."""
    if isinstance(source, str | os.PathLike):
        ensure_size(os.path.getsize(source))
        return Path(source).read_bytes()
    if getattr(source, "size", None) is not None:
        ensure_size(source.size)
    if hasattr(source, "seek"):
        source.seek(0)
    data = source.read(settings.IMPORT_MAX_BYTES + 1)
    ensure_size(len(data))
    return data


def _detect_format(name: str, data: bytes) -> str:
    extension = Path(name).suffix.lower()
    if extension == ".xls" or data.startswith(OLE_MAGIC):
        raise TabularError(
            _(
                "Old Excel files (.xls) cannot be read. Open the file in Excel or WPS and save it as "
                "“Excel workbook (.xlsx)” or as CSV."
            )
        )
    if extension not in ("", ".csv", ".xlsx"):
        raise TabularError(_("Only CSV and Excel (.xlsx) files can be imported."))
    if data.startswith(ZIP_MAGIC):
        return "xlsx"
    if extension == ".xlsx":
        raise TabularError(_("The file is not a valid Excel workbook (.xlsx); it may be damaged."))
    return "csv"


def _decode(data: bytes) -> str:
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise TabularError(
        _("The file is not readable text. Save it from Excel as “CSV UTF-8” (or plain CSV) or as .xlsx.")
    )


def _csv_records(data: bytes) -> Iterator[tuple[int, list]]:
    """(line, cells) per CSV record; a record starts on the line after the previous one ended."""
    reader = csv.reader(io.StringIO(_decode(data), newline=""))
    previous_end = 0
    try:
        for cells in reader:
            yield previous_end + 1, cells
            previous_end = reader.line_num
    except csv.Error as error:
        raise TabularError(
            _("Line %(line)s: the CSV file is malformed (%(error)s).") % {"line": reader.line_num, "error": error}
        ) from error


def _xlsx_records(data: bytes) -> Iterator[tuple[int, list]]:
    """(row number, cells) of the first worksheet; cells keep their type (text, number, date)."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True)
    except Exception as error:  # openpyxl raises many kinds of errors for a damaged file
        raise TabularError(_("The file is not a valid Excel workbook (.xlsx); it may be damaged.")) from error
    try:
        if not workbook.worksheets:
            raise TabularError(_("The file is empty."))
        sheet = workbook.worksheets[0]
        # The declared size refuses a huge sheet at once; then the size is reset, as some
        # producers write a wrong one (columns could be cut off), and the rows are streamed
        # with a limit (read_table) so a sheet that lies about its size stops early too.
        declared = sheet.max_row or 0
        if declared > settings.IMPORT_MAX_ROWS + 1:
            raise TabularError(too_many_rows(settings.IMPORT_MAX_ROWS))
        sheet.reset_dimensions()
        for line, cells in enumerate(sheet.iter_rows(), 1):
            yield line, [_xlsx_value(cell) for cell in cells]
    except TabularError:
        raise
    except Exception as error:
        raise TabularError(_("The file is not a valid Excel workbook (.xlsx); it may be damaged.")) from error
    finally:
        workbook.close()


def _xlsx_value(cell):
    """A cell's value: formulas marked (:class:`Formula`), whole numbers as ``int`` (Excel
    stores every number as a float; phones and codes must stay whole), empty cells as ""."""
    value = getattr(cell, "value", None)
    if getattr(cell, "data_type", None) == "f":
        return Formula(str(value))
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return "" if value is None else value


def _build_table(records: Iterable[tuple[int, list]], required: Sequence[str]) -> Table:
    records = iter(records)
    header_line, header_cells = next(((line, cells) for line, cells in records if not _blank_record(cells)), (0, []))
    if not header_line:
        raise TabularError(_("The file is empty."))
    columns = [(index, normalize_header(cell)) for index, cell in enumerate(header_cells)]
    columns = [(index, header) for index, header in columns if header]
    headers = [header for _index, header in columns]
    duplicates = sorted({header for header in headers if headers.count(header) > 1}, key=headers.index)
    if duplicates:
        raise TabularError(
            _("The header row has duplicate columns: %(columns)s. Keep one of each.")
            % {"columns": "、".join(duplicates)}
        )
    missing = [header for header in required if header not in headers]
    if missing:
        raise TabularError(
            _("Required columns are missing: %(columns)s. Use the import template’s header row.")
            % {"columns": "、".join(missing)}
        )
    rows = [
        Row(line, {header: cells[index] if index < len(cells) else "" for index, header in columns})
        for line, cells in records
        if not _blank_record(cells)
    ]
    if not rows:
        raise TabularError(_("The file has a header row but no data rows."))
    formulas = [
        _("line %(line)s, column “%(column)s”: %(formula)s")
        % {"line": row.line, "column": header, "formula": value.text}
        for row in rows
        for header, value in row.values.items()
        if isinstance(value, Formula)
    ]
    if formulas:
        raise TabularError(
            _(
                "The file has formula cells; imports read values only. In Excel or WPS copy the sheet and "
                "“paste values”, then import again. %(cells)s"
            )
            % {"cells": "；".join(formulas)}
        )
    return Table(tuple(headers), rows)


def _blank_record(cells) -> bool:
    return all(is_blank(cell) for cell in cells)


# Reading cells
# ------------------------------------------------------------------------------
def read_cell(reader, value, problems: list[str]):
    """``reader(value)``, or ``None`` with the reason added to ``problems`` (a :class:`CellError`)."""
    try:
        return reader(value)
    except CellError as error:
        problems.append(str(error))
        return None


def read_phone(value) -> str:
    """A phone cell as bare digits (blank allowed), or :class:`CellError`."""
    try:
        return normalize_phone(value)
    except ValueError:
        raise CellError(
            _("Phone “%(value)s” is not a valid mobile number or landline with area code.")
            % {"value": clean_text(value)}
        ) from None


# Import results
# ------------------------------------------------------------------------------
CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass(frozen=True)
class RowError:
    """Why a row (or, with ``line`` None, the whole file) cannot be imported."""

    line: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return _("Line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


@dataclass(frozen=True)
class RowOutcome:
    """What an import does (or, in a dry run, would do) with one row."""

    line: int
    label: str
    action: str
    changes: tuple[str, ...] = ()

    @property
    def action_display(self) -> str:
        labels = {
            CREATED: pgettext("import outcome", "new"),
            UPDATED: pgettext("import outcome", "updated"),
            UNCHANGED: pgettext("import outcome", "unchanged"),
        }
        return labels[self.action]


@dataclass
class ImportResult:
    """Counts, per-row outcomes and errors of one import. With errors, nothing was written."""

    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)
    rows: list[RowOutcome] = field(default_factory=list)

    @classmethod
    def failed(cls, message: str, *, dry_run: bool = False) -> ImportResult:
        return cls(dry_run=dry_run, errors=[RowError(None, message)])

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self) -> int:
        return self.count(CREATED)

    @property
    def updated(self) -> int:
        return self.count(UPDATED)

    @property
    def unchanged(self) -> int:
        return self.count(UNCHANGED)

    @property
    def ok(self) -> bool:
        return not self.errors

    def sorted_errors(self) -> list[RowError]:
        return sorted(self.errors, key=lambda error: error.line or 0)

    def summary(self) -> str:
        counts = {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}
        if self.dry_run:
            return _("Dry run: would add %(created)s, update %(updated)s, leave %(unchanged)s unchanged.") % counts
        return _("Import finished: %(created)s added, %(updated)s updated, %(unchanged)s unchanged.") % counts


def length_problem(column: str, value: str, limit: int | None) -> str | None:
    """The message for a cell longer than its database field allows, if it is."""
    if limit and len(value) > limit:
        return _("%(column)s is longer than %(limit)s characters.") % {"column": column, "limit": limit}
    return None


def chunked(items: Iterable, size: int = SQL_CHUNK) -> Iterator[list]:
    """Cut ``items`` into lists of at most ``size`` (for ``IN`` lookups)."""
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# Exports
# ------------------------------------------------------------------------------
def format_of(filename: str) -> str:
    """``csv`` or ``xlsx`` from a file name; ``ValueError`` for anything else."""
    extension = Path(filename).suffix.lower().lstrip(".")
    if extension not in FORMATS:
        raise ValueError(_("Export to a .csv or .xlsx file."))
    return extension


def write_table(headers: Sequence[str], rows: Iterable[Sequence], fmt: str, *, notes=None, title: str = "") -> bytes:
    """The rows as a CSV (UTF-8 with BOM, which Excel opens correctly) or XLSX file.

    ``notes`` (XLSX only) adds a second sheet: ``(title, header, rows)``, e.g. filling-in
    instructions for a template.
    """
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([csv_text(header) for header in headers])
        writer.writerows([csv_text(value) for value in row] for row in rows)
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
    return _write_xlsx(headers, rows, notes, title)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value):
    """A CSV cell that no spreadsheet runs as a formula: text starting with ``= + - @``, tab or
    carriage return gets a leading apostrophe (OWASP's CSV-injection advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def text_cell(sheet, value, *, font=None) -> WriteOnlyCell:
    """An XLSX cell holding ``value`` as a string, never a formula (openpyxl would otherwise
    turn text starting with ``=`` into one); control characters Excel cannot store become �."""
    text = "" if value is None else ILLEGAL_CHARACTERS_RE.sub("\N{REPLACEMENT CHARACTER}", str(value))
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    if font is not None:
        cell.font = font
    return cell


def _write_xlsx(headers, rows, notes, title="") -> bytes:
    workbook = Workbook(write_only=True)
    _write_sheet(workbook.create_sheet(title=title or None), headers, rows)
    if notes:
        title, note_headers, note_rows = notes
        _write_sheet(workbook.create_sheet(title=title), note_headers, note_rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_sheet(sheet, headers, rows) -> None:
    for index, header in enumerate(headers, 1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(10, len(str(header)) * 2 + 4), 60)
    bold = Font(bold=True)
    sheet.append([text_cell(sheet, header, font=bold) for header in headers])
    for row in rows:
        # Everything is written as text so that Excel keeps phone numbers and codes intact,
        # and no user text ever becomes a formula.
        sheet.append([text_cell(sheet, value) for value in row])
