"""Bulk SQL the ORM makes slow: multi-row INSERTs, and one column of many rows updated at once.

``bulk_create`` builds a model instance per row; for the tens of thousands of rows of a city's
roster that alone costs seconds. ``insert_rows`` takes plain tuples for the given columns and
fills the others with their defaults (callables called per row, ``auto_now``/``auto_now_add``
timestamps set to now), in batches that stay under SQLite's limit of bound parameters.
"""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

SQLITE_MAX_PARAMETERS = 30_000
POSTGRES_BATCH_ROWS = 2_000


def insert_rows(model, columns, rows, *, batch_rows: int | None = None) -> int:
    """Insert ``rows`` (tuples in the order of ``columns``) into ``model``'s table; the count."""
    rows = list(rows)
    if not rows:
        return 0
    fields = {field.attname: field for field in model._meta.concrete_fields}
    fields.update({field.name: field for field in model._meta.concrete_fields})
    unknown = [column for column in columns if column not in fields]
    if unknown:
        raise ValueError(f"{model.__name__} has no columns {', '.join(unknown)}")
    given = [fields[column] for column in columns]
    given_names = {field.attname for field in given}
    others = [
        field
        for field in model._meta.concrete_fields
        if field.attname not in given_names
        and not (field.primary_key and field.get_internal_type().endswith("AutoField"))
    ]
    now = timezone.now()
    all_fields = given + others
    if batch_rows is None:
        batch_rows = (
            max(1, SQLITE_MAX_PARAMETERS // len(all_fields)) if connection.vendor == "sqlite" else POSTGRES_BATCH_ROWS
        )
    quote = connection.ops.quote_name
    column_sql = ", ".join(quote(field.column) for field in all_fields)
    row_sql = "(" + ", ".join(["%s"] * len(all_fields)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_rows):
            batch = rows[start : start + batch_rows]
            params = []
            for row in batch:
                values = list(row) + [_default(field, now) for field in others]
                params += [
                    field.get_db_prep_save(value, connection) for field, value in zip(all_fields, values, strict=True)
                ]
            cursor.execute(
                f"INSERT INTO {quote(model._meta.db_table)} ({column_sql}) VALUES {', '.join([row_sql] * len(batch))}",
                params,
            )
    return len(rows)


def _default(field, now):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now.date() if field.get_internal_type() == "DateField" else now
    return field.get_default()


UPDATE_CHUNK = 5000


def update_column(model, column: str, values: dict) -> None:
    """``UPDATE model SET column = values[pk]`` for every pk, one statement per 5,000 rows.

    Django's ``bulk_update`` builds a ``CASE WHEN`` expression with one branch per row,
    which costs seconds of Python for a few thousand rows; a ``VALUES`` list joined on the
    primary key does the same in one cheap statement, on PostgreSQL and SQLite alike.
    """
    if not values:
        return
    field = model._meta.get_field(column)
    table, pk_column = model._meta.db_table, model._meta.pk.column
    quote = connection.ops.quote_name
    items = list(values.items())
    cast = "::timestamptz" if connection.vendor == "postgresql" and field.get_internal_type() == "DateTimeField" else ""
    for start in range(0, len(items), UPDATE_CHUNK):
        chunk = items[start : start + UPDATE_CHUNK]
        rows = ", ".join(f"(%s, %s{cast})" for _ in chunk)
        params = [p for pk, value in chunk for p in (pk, field.get_db_prep_save(value, connection))]
        sql = (
            f"WITH new_values(id, value) AS (VALUES {rows}) "
            f"UPDATE {quote(table)} SET {quote(field.column)} = "
            f"(SELECT value FROM new_values WHERE new_values.id = {quote(table)}.{quote(pk_column)}) "
            f"WHERE {quote(pk_column)} IN (SELECT id FROM new_values)"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
