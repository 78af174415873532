"""A DuckDB baseline for the benchmarks: the very SQL our engine sends to SQLite, run by DuckDB.

`captured_sql(function)` records every `SELECT … GROUP BY` the engine sends while
`function` runs (Django's `execute_wrapper`); `DuckDBBaseline` runs the same statements in
DuckDB, either scanning the SQLite file (`duckdb-extension-sqlite-scanner`, the pip
package: no extension is downloaded at run time) or on in-memory copies of the tables
loaded beforehand (the aggregation alone). Same statements, same rows: the ratio is the
cost of SQLite (or of our Python around it) against a columnar engine.
"""

from __future__ import annotations

import pathlib
import re
import time


def captured_sql(function) -> tuple[object, list[tuple[str, tuple]]]:
    """(result of `function`, the grouped SELECTs it sent to the database)."""
    from django.db import connection

    statements: list[tuple[str, tuple]] = []

    def record(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("SELECT") and "GROUP BY" in sql:
            statements.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        result = function()
    return result, statements


TABLE = re.compile(r'"(contacts_[a-z]+|organisation_[a-z]+)"')


class DuckDBBaseline:
    def __init__(self, sqlite_path: pathlib.Path) -> None:
        import duckdb
        import duckdb_extension_sqlite_scanner

        extension = next(
            pathlib.Path(duckdb_extension_sqlite_scanner.__file__).parent.glob(
                "extensions/*/sqlite_scanner.duckdb_extension"
            )
        )
        self.connection = duckdb.connect(
            config={"autoinstall_known_extensions": False, "autoload_known_extensions": False}
        )
        self.connection.execute(f"LOAD '{extension}'")
        self.connection.execute(f"ATTACH '{sqlite_path}' AS db (TYPE sqlite, READ_ONLY)")
        self.loaded: set[str] = set()

    def _translate(self, sql: str, in_memory: bool) -> str:
        schema = "mem" if in_memory else "db"
        return TABLE.sub(lambda m: f"{schema}.{m.group(1)}", sql).replace("%s", "?")

    def load(self, statements) -> float:
        """Copy the tables the statements read into memory; the seconds it took."""
        began = time.perf_counter()
        self.connection.execute("CREATE SCHEMA IF NOT EXISTS mem")
        for sql, _params in statements:
            for table in set(TABLE.findall(sql)) - self.loaded:
                self.connection.execute(f"CREATE TABLE mem.{table} AS SELECT * FROM db.{table}")
                self.loaded.add(table)
        return time.perf_counter() - began

    def run(self, statements, *, in_memory: bool) -> list[list[tuple]]:
        return [
            self.connection.execute(self._translate(sql, in_memory), list(params)).fetchall()
            for sql, params in statements
        ]
