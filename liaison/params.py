"""Reading values from query strings that anyone can type: never an error page for junk."""

import django_filters
from django import forms

MAX_ID = 2**63 - 1  # the largest key PostgreSQL's bigint and SQLite's INTEGER hold


def positive_id(value) -> int | None:
    """``value`` as a row id if it is one (digits, 1 … 2**63-1); ``None`` for anything else,
    which a filter then treats as "no such filter" or "nothing found", never as a 500."""
    text = str(value or "").strip()
    if not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


class IdFilter(django_filters.NumberFilter):
    """A django-filter for a row id: whole numbers 1 … 2**63-1, anything else a 400 with the
    field's Chinese message (a decimal or a 20-digit number never reaches the database)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)
