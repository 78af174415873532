"""Database triggers that keep the daily summary exact (SPEC §3): any insert, update or
delete of a contact marks its local days dirty.

Each contact table the summary reads (`bindings.BINDINGS`) gets triggers that write
(table, local day) into `indicators_dirtyday` for the old and the new row, so the admin,
`bulk_update`, `queryset.update()`/`.delete()`, a cascade and raw SQL are all caught; a
contact moved from one day to another marks both. The local day is the Paris calendar day
the contact tables already store (`day`, `received_day`, `answered_day`). A read of the
summary then recomputes only those days (`queries.summary_write.refresh_dirty_days`).

SQLite: row triggers with `INSERT OR IGNORE`. PostgreSQL: statement triggers over the
transition tables, one `INSERT … SELECT DISTINCT … ON CONFLICT DO NOTHING` per statement,
so a bulk import pays one small insert, not one per row.

Installed by the migration `0003_dirtyday_triggers` and again after every `migrate`
(`apps.py`): on SQLite, a later migration that rebuilds a contact table drops its triggers.
"""

from __future__ import annotations

from .bindings import BINDINGS

DIRTY_TABLE = "indicators_dirtyday"


def tracked_tables() -> dict[str, tuple[str, ...]]:
    """{contact table: its local-day columns} for every table a summary source reads."""
    tables: dict[str, list[str]] = {}
    for binding in BINDINGS.values():
        columns = tables.setdefault(binding.model._meta.db_table, [])
        for column in (binding.day_field, binding.stock_open_field):
            if column is not None and column not in columns:
                columns.append(column)
    return {table: tuple(columns) for table, columns in tables.items()}


def _name(table: str, operation: str) -> str:
    return f"decroche_dirty_{table}_{operation}"


def _sqlite_statements(table: str, columns: tuple[str, ...]) -> list[str]:
    def marks(row: str) -> str:
        return "".join(
            f'INSERT OR IGNORE INTO {DIRTY_TABLE} ("table", day) '
            f"SELECT '{table}', {row}.{column} WHERE {row}.{column} IS NOT NULL; "
            for column in columns
        )

    return [
        f'CREATE TRIGGER IF NOT EXISTS "{_name(table, operation)}" AFTER {event} ON "{table}" '
        f"FOR EACH ROW BEGIN {body}END"
        for operation, event, body in (
            ("insert", "INSERT", marks("NEW")),
            ("update", "UPDATE", marks("OLD") + marks("NEW")),
            ("delete", "DELETE", marks("OLD")),
        )
    ]


def _postgresql_statements(table: str, columns: tuple[str, ...]) -> list[str]:
    def marks(*rows: str) -> str:
        selects = " UNION ".join(
            f"SELECT {column} AS day FROM {rows_table} WHERE {column} IS NOT NULL"
            for rows_table in rows
            for column in columns
        )
        return (
            f"INSERT INTO {DIRTY_TABLE} (\"table\", day) SELECT DISTINCT '{table}', day "
            f"FROM ({selects}) AS touched ON CONFLICT DO NOTHING;"
        )

    statements = []
    for operation, event, referencing, rows in (
        ("insert", "INSERT", "NEW TABLE AS new_rows", ("new_rows",)),
        (
            "update",
            "UPDATE",
            "OLD TABLE AS old_rows NEW TABLE AS new_rows",
            ("old_rows", "new_rows"),
        ),
        ("delete", "DELETE", "OLD TABLE AS old_rows", ("old_rows",)),
    ):
        name = _name(table, operation)
        statements += [
            f'CREATE OR REPLACE FUNCTION "{name}"() RETURNS trigger LANGUAGE plpgsql AS $$ '
            f"BEGIN {marks(*rows)} RETURN NULL; END $$",
            f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"',
            f'CREATE TRIGGER "{name}" AFTER {event} ON "{table}" REFERENCING {referencing} '
            f'FOR EACH STATEMENT EXECUTE FUNCTION "{name}"()',
        ]
    return statements


def install_statements(vendor: str) -> list[str]:
    """The SQL that (re)creates every trigger, idempotent; [] on another database."""
    build = {"sqlite": _sqlite_statements, "postgresql": _postgresql_statements}.get(vendor)
    if build is None:
        return []
    return [sql for table, columns in tracked_tables().items() for sql in build(table, columns)]


def remove_statements(vendor: str) -> list[str]:
    statements = []
    for table in tracked_tables():
        for operation in ("insert", "update", "delete"):
            name = _name(table, operation)
            if vendor == "sqlite":
                statements.append(f'DROP TRIGGER IF EXISTS "{name}"')
            elif vendor == "postgresql":
                statements += [
                    f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"',
                    f'DROP FUNCTION IF EXISTS "{name}"()',
                ]
    return statements


def install(connection) -> None:
    """(Re)create the triggers on `connection` (a Django database connection)."""
    with connection.cursor() as cursor:
        for sql in install_statements(connection.vendor):
            cursor.execute(sql)


def remove(connection) -> None:
    with connection.cursor() as cursor:
        for sql in remove_statements(connection.vendor):
            cursor.execute(sql)
