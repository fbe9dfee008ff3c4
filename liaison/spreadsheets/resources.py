"""django-import-export pieces shared by the small reference tables (departments, groups).

The roster and the station network have their own bulk importers; the short reference
tables use django-import-export with these widgets and file formats, so that they read the
same files (GBK or UTF-8 CSV, XLSX, via :mod:`liaison.spreadsheets.tabular`), speak Chinese and stay
inside the importing user's area.
"""

from __future__ import annotations

import io

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import resources
from import_export.formats.base_formats import CSV, XLSX
from import_export.widgets import Widget

from ..textnorm import clean_text, compact_text, format_phone
from .tabular import read_phone, read_table, write_table


class TabularFormatMixin:
    """Read uploads with :func:`liaison.spreadsheets.tabular.read_table` (encodings, headers, checks).

    The file is sniffed, so a workbook chosen as CSV (or the reverse) still reads; problems
    raise :class:`liaison.spreadsheets.tabular.TabularError` with a message for the user. The admin sets
    ``file_name`` to the upload's name so that an ``.xls`` file is recognised as one.
    """

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    table_format = "csv"

    def export_data(self, dataset, **kwargs):
        """Write through :func:`~liaison.spreadsheets.tabular.write_table`: text stays text (no
        formula, nothing stripped), CSV in UTF-8 with a BOM for Excel."""
        return write_table(list(dataset.headers or []), list(dataset), self.table_format)

    def create_dataset(self, in_stream, **kwargs):
        data = in_stream if isinstance(in_stream, bytes) else in_stream.encode("utf-8")
        table = read_table(io.BytesIO(data), name=getattr(self, "file_name", "upload"))
        dataset = tablib.Dataset(headers=list(table.headers))
        for row in table.rows:
            dataset.append([row.get(header) for header in table.headers])
        return dataset


class TabularCSV(TabularFormatMixin, CSV):
    pass


class TabularXLSX(TabularFormatMixin, XLSX):
    table_format = "xlsx"


class TextWidget(Widget):
    """Trimmed text (``compact=True``: every blank removed, for names); required if asked."""

    def __init__(self, *, compact: bool = False, required_message: str | None = None):
        super().__init__()
        self.compact = compact
        self.required_message = required_message

    def clean(self, value, row=None, **kwargs):
        text = compact_text(value) if self.compact else clean_text(value)
        if not text and self.required_message:
            raise ValueError(self.required_message)
        return text


class NamedChoiceWidget(Widget):
    """A choice written by its spreadsheet name (``县级部门``), with accepted aliases."""

    def __init__(self, names: dict, aliases: dict | None = None):
        super().__init__()
        self.names = names
        self.values = {name: value for value, name in names.items()} | (aliases or {})

    def clean(self, value, row=None, **kwargs):
        text = compact_text(value)
        if text in self.values:
            return self.values[text]
        raise ValueError(
            _("“%(value)s” is not one of %(choices)s.") % {"value": text, "choices": "、".join(self.names.values())}
        )

    def render(self, value, obj=None, **kwargs):
        return self.names.get(value, "")


class PhoneWidget(Widget):
    def clean(self, value, row=None, **kwargs):
        return read_phone(value)

    def render(self, value, obj=None, **kwargs):
        return format_phone(value or "")


class ScopedWidget(Widget):
    """A widget that looks rows up within the importing user's area; the resource sets
    ``user`` (and ``mask_phones`` for exports to users who may not see phone numbers)."""

    def __init__(self):
        super().__init__()
        self.user = None
        self.mask_phones = False


class ScopedResource(resources.ModelResource):
    """A resource that imports within the user's area and writes nothing when a row is bad."""

    def __init__(self, user=None, mask_phones: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        for field in self.fields.values():
            if isinstance(field.widget, ScopedWidget):
                field.widget.user = user
                field.widget.mask_phones = mask_phones

    def before_import_row(self, row, **kwargs):
        """Report a missing or unreadable key column as a row error, not as a crash."""
        errors = {}
        for name in self._meta.import_id_fields:
            field = self.fields[name]
            try:
                field.clean(row)
            except ValueError as error:
                errors[field.attribute] = str(error)
        if errors:
            raise ValidationError(errors)

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(dataset, dry_run, raise_errors, True, **kwargs)
