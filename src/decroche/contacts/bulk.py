"""Fast idempotent inserts of contact records, shared by imports and the generator.

Rows go in with one `INSERT ... ON CONFLICT DO NOTHING` executed for many rows, so a
record whose natural key is already stored (a re-import) is skipped by the database
itself, on SQLite and PostgreSQL alike. The Django ORM's `bulk_create` builds a model
instance per row, which made a million-row import several times slower.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from django.db import connections, models

from .localtime import DERIVERS

_UTC = dt.UTC


def datetime_adapter(using: str = "default") -> Callable[[dt.datetime | None], Any]:
    """A function turning an aware datetime into what the database driver expects.

    SQLite stores datetimes as UTC text (Django's format, so ORM lookups compare
    correctly); PostgreSQL takes the aware datetime itself.
    """
    if connections[using].vendor == "sqlite":

        def to_sqlite(value: dt.datetime | None) -> str | None:
            if value is None:
                return None
            if value.tzinfo is None:
                raise ValueError("naive datetime given to the bulk writer")
            return value.astimezone(_UTC).replace(tzinfo=None).isoformat(" ")

        return to_sqlite

    def passthrough(value: dt.datetime | None) -> dt.datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to the bulk writer")
        return value

    return passthrough


def with_local_days(
    model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> tuple[list[str], Sequence[Sequence[Any]]]:
    """Append the model's local-day columns (`LOCAL_DERIVED`) the caller did not give.

    Every writer thus stores the same Paris day and half-hour as `Model.save()` does.
    """
    derived = getattr(model, "LOCAL_DERIVED", {})
    extra = [
        (column, columns.index(instant), DERIVERS[kind])
        for column, (instant, kind) in derived.items()
        if column not in columns and instant in columns
    ]
    if not extra:
        return list(columns), rows
    widened = [
        [*row, *(derive(row[position]) for _column, position, derive in extra)] for row in rows
    ]
    return [*columns, *(column for column, _position, _derive in extra)], widened


def insert_ignoring_duplicates(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    using: str = "default",
) -> int:
    """Insert `rows` (values in `columns` order, already adapted) and return how many
    were new. Rows clashing with a unique constraint are skipped, not errors.

    Columns are database column names (`advisor_id`, not `advisor`). The caller runs
    this inside its own transaction so that a batch is atomic.
    """
    if not rows:
        return 0
    columns, rows = with_local_days(model, columns, rows)
    connection = connections[using]
    quote = connection.ops.quote_name
    column_sql = ", ".join(quote(name) for name in columns)
    placeholders = ", ".join(["%s"] * len(columns))
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({column_sql}) "
        f"VALUES ({placeholders}) ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
        return max(cursor.rowcount, 0)


# Bound parameters per statement stay far below every engine's limit (SQLite's is 32,766
# since 3.32 and 999 before; PostgreSQL's 65,535).
IN_CHUNK = 900


def in_chunks(values: Iterable[Any], size: int = IN_CHUNK) -> Iterator[list[Any]]:
    """`values` (a set of any size) as sorted lists of at most `size`: one `__in` query
    per list never exceeds the database's limit on bound parameters (issue 17)."""
    ordered = sorted(values)
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


def temporary_values(cursor, name: str, values: Iterable[str]) -> str:
    """A temporary one-column table `name(value)` holding `values`, for queries to join
    instead of an unbounded `IN (...)` list; returns its quoted name. The caller drops it
    (it lives for the connection otherwise)."""
    quoted = connections[cursor.db.alias].ops.quote_name(name)
    cursor.execute(f"DROP TABLE IF EXISTS {quoted}")
    cursor.execute(f"CREATE TEMPORARY TABLE {quoted} (value VARCHAR(255) PRIMARY KEY)")
    cursor.executemany(f"INSERT INTO {quoted} (value) VALUES (%s)", [(v,) for v in values])
    return quoted
