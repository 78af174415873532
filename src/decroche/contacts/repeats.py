"""Repeat contacts: for each call, the days until the same caller called again for the
same reason (SPEC §4, first-contact resolution "without repeat within N days").

Callers are known only by the keyed hash of their number (SPEC §9), which is enough to
link their calls. The delay is stored on the call (`days_to_repeat`) so that FCR is a
plain indicator formula: answered calls whose delay is empty or above N.

The computation is one set-based statement (a `LEAD` window over each caller's thread),
the same on SQLite and PostgreSQL. The callers to refresh go into a temporary table
(`contacts.bulk.temporary_values`) rather than into an `IN (...)` list, so a batch of
a million calls never hits the database's limit on bound parameters (issue 17).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import connection, transaction

from .bulk import temporary_values
from .models import Call

_CHANGED = "decroche_repeat_changed"


def _delay_sql(vendor: str) -> tuple[str, str]:
    """(days between the call and the next one of its thread, "differs from" operator)."""
    if vendor == "sqlite":
        # Dates are ISO text on SQLite: whole days between them through julianday().
        return "CAST(julianday(next_day) - julianday(day) AS INTEGER)", "IS NOT"
    return "(next_day - day)", "IS DISTINCT FROM"


@transaction.atomic
def repeat_delays_refresh(
    *,
    caller_hashes: Iterable[str] | None = None,
    batch_id: int | None = None,
    changed_days: set[dt.date] | None = None,
) -> int:
    """Recompute `days_to_repeat` for the given callers, or the callers of import
    `batch_id`'s calls (all callers when neither is given); returns the number of calls
    whose value changed, and adds their local days to `changed_days` when given.
    Idempotent: run after every import."""
    table = connection.ops.quote_name(Call._meta.db_table)
    delay, differs = _delay_sql(connection.vendor)
    with connection.cursor() as cursor:
        scope, params = "caller_hash <> ''", []
        if batch_id is not None:
            scope = (
                f"caller_hash IN (SELECT caller_hash FROM {table} "
                "WHERE import_batch_id = %s AND caller_hash <> '')"
            )
            params = [batch_id]
        elif caller_hashes is not None:
            callers = {value for value in caller_hashes if value}
            if not callers:
                return 0
            callers_table = temporary_values(cursor, "decroche_repeat_callers", callers)
            scope = f"caller_hash IN (SELECT value FROM {callers_table})"
        cursor.execute(f"DROP TABLE IF EXISTS {_CHANGED}")
        # The thread of a call is (caller, reason); an empty reason is a thread of its own
        # kind too, as before (NULL partitions together on both engines).
        # A primary key on the id: the update below looks each changed call up by it.
        cursor.execute(
            f"CREATE TEMPORARY TABLE {_CHANGED} "
            "(id BIGINT PRIMARY KEY, day DATE NULL, delay INTEGER NULL)"
        )
        cursor.execute(
            f"""
            INSERT INTO {_CHANGED} (id, day, delay)
            SELECT id, day, delay FROM (
                SELECT id, day, days_to_repeat,
                       CASE WHEN next_day IS NULL OR day IS NULL THEN NULL ELSE {delay} END
                           AS delay
                FROM (
                    SELECT id, day, days_to_repeat,
                           LEAD(day) OVER (
                               PARTITION BY caller_hash, reason_id ORDER BY arrived_at, id
                           ) AS next_day
                    FROM {table} WHERE {scope}
                ) AS threads
            ) AS delays
            WHERE days_to_repeat {differs} delay
            """,
            params,
        )
        cursor.execute(f"SELECT COUNT(*) FROM {_CHANGED}")
        (changed,) = cursor.fetchone()
        if changed:
            if changed_days is not None:
                cursor.execute(f"SELECT DISTINCT day FROM {_CHANGED} WHERE day IS NOT NULL")
                changed_days.update(_as_date(day) for (day,) in cursor.fetchall())
            cursor.execute(
                f"UPDATE {table} SET days_to_repeat = (SELECT delay FROM {_CHANGED} "
                f"WHERE {_CHANGED}.id = {table}.id) "
                f"WHERE id IN (SELECT id FROM {_CHANGED})"
            )
        cursor.execute(f"DROP TABLE IF EXISTS {_CHANGED}")
        if batch_id is None and caller_hashes is not None:
            cursor.execute(f"DROP TABLE IF EXISTS {callers_table}")
    return changed


def _as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
