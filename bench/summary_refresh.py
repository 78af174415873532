"""Benchmark of the daily summary's refresh (SPEC §3, issue 17 point 4), beside baselines
measured in the same run.

    .venv/bin/python bench/summary_refresh.py --workdir /tmp/bench-1y         # one year
    .venv/bin/python bench/summary_refresh.py --to 2030-11-08 --workdir /tmp/bench-5y

Data come from the synthetic generator in a SQLite database (reused when present). Printed:
  1. the whole refresh (every source, every measure in use), and beside it
     - the previous read path: the ORM's `values().annotate()` on the joined key codes,
       materialised as dictionaries (what the refresh did before; a lower bound of it),
     - DuckDB running the very SQL statements of the refresh, scanning the SQLite file
       and on in-memory copies of the tables;
  2. the refresh after a one-day import: one day's calls and forms deleted and written
     again (`bulk_create`), then `services.summary_refresh_dirty()` (what the end of an
     import and every read run), and a read of the catalogue confirming it was exact.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from duckdb_baseline import DuckDBBaseline, captured_sql  # noqa: E402
from indicators import setup_django  # noqa: E402


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="start", default="2025-11-09")
    parser.add_argument("--to", dest="end", default="2026-11-08")
    parser.add_argument("--day", default="2026-03-10", help="the day re-imported in measure 2")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, help="keep the database here (reused if present)")
    return parser.parse_args()


def previous_orm_read() -> float:
    """The previous refresh's read: `values(day, *code paths).annotate()` per source, as
    dictionaries (the stock as two such reads); the seconds it took."""
    from django.db.models import F, Q

    from decroche.indicators.bindings import BINDINGS
    from decroche.indicators.queries.freshness import presence_measure
    from decroche.indicators.queries.tables import measure_aggregate
    from decroche.indicators.services import measures_in_use

    in_use = measures_in_use()
    began = time.perf_counter()
    for source, binding in BINDINGS.items():
        measures = [*in_use[source], presence_measure(source)]
        aggregates = {f"m{i}": measure_aggregate(m, binding) for i, m in enumerate(measures)}
        paths = list(binding.grains.values())
        if binding.stock_open_field is None:
            reads = [(binding.model.objects.filter(binding.base), binding.day_field)]
        else:
            received, closed = binding.day_field, binding.stock_open_field
            reads = [
                (
                    binding.model.objects.filter(
                        Q(**{f"{closed}__isnull": True}) | Q(**{f"{closed}__gt": F(received)})
                    ),
                    received,
                ),
                (binding.model.objects.filter(**{f"{closed}__gt": F(received)}), closed),
            ]
        for queryset, day in reads:
            list(queryset.values(day, *paths).annotate(**aggregates))
    return time.perf_counter() - began


def one_day_import(day: dt.date) -> int:
    """Delete the day's calls and forms and write them again: the triggers mark the day."""
    from decroche.contacts.models import Call, ContactForm

    written = 0
    for model, field in ((Call, "day"), (ContactForm, "received_day")):
        rows = list(model.objects.filter(**{field: day}))
        model.objects.filter(pk__in=[row.pk for row in rows]).delete()
        for row in rows:
            row.pk = None
        model.objects.bulk_create(rows, batch_size=2000)
        written += len(rows)
    return written


def main() -> None:
    arguments = parse_arguments()
    workdir = arguments.workdir or Path(tempfile.mkdtemp(prefix="decroche-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    setup_django(workdir)
    from django.core.management import call_command

    from decroche.contacts.models import Call
    from decroche.indicators.catalogue import load_catalogue
    from decroche.indicators.selectors import compute
    from decroche.indicators.services import refresh_summary, summary_refresh_dirty

    call_command("migrate", verbosity=0)
    if not Call.objects.exists():
        began = time.perf_counter()
        call_command(
            "generate",
            "--from",
            arguments.start,
            "--to",
            arguments.end,
            "--seed",
            str(arguments.seed),
            verbosity=0,
        )
        print(f"generated in {time.perf_counter() - began:.0f} s into {workdir}")
    print(f"database {workdir / 'decroche.sqlite3'}: {Call.objects.count():,} calls")

    print("\n1. Whole refresh (every source, every measure in use)")
    began = time.perf_counter()
    stored, statements = captured_sql(refresh_summary)
    refresh_seconds = time.perf_counter() - began
    print(f"  summary refresh (this version)           {refresh_seconds:8.2f} s  {stored}")
    orm_seconds = previous_orm_read()
    print(f"  previous ORM read (lower bound, before)  {orm_seconds:8.2f} s")
    duck = DuckDBBaseline(workdir / "decroche.sqlite3")
    began = time.perf_counter()
    duck.run(statements, in_memory=False)
    scan_seconds = time.perf_counter() - began
    print(f"  DuckDB, same SQL, scanning SQLite        {scan_seconds:8.2f} s")
    load_seconds = duck.load(statements)
    began = time.perf_counter()
    duck.run(statements, in_memory=True)
    memory_seconds = time.perf_counter() - began
    print(
        f"  DuckDB, same SQL, in memory              {memory_seconds:8.2f} s"
        f"  (copying the tables: {load_seconds:.1f} s)"
    )
    print(
        f"  ratios: previous / this {orm_seconds / refresh_seconds:.1f}×, "
        f"this / DuckDB scanning {refresh_seconds / scan_seconds:.2f}×, "
        f"this / DuckDB in memory {refresh_seconds / memory_seconds:.1f}×"
    )

    day = dt.date.fromisoformat(arguments.day)
    print(f"\n2. Refresh after a one-day import ({day})")
    began = time.perf_counter()
    written = one_day_import(day)
    print(
        f"  {written:,} contacts deleted and written again in {time.perf_counter() - began:.2f} s"
    )
    began = time.perf_counter()
    done = summary_refresh_dirty()
    dirty_seconds = time.perf_counter() - began
    print(f"  summary_refresh_dirty()                  {dirty_seconds:8.3f} s  {done}")
    print(f"  the whole refresh, for comparison        {refresh_seconds:8.2f} s")
    catalogue = load_catalogue()
    results = compute(catalogue.indicators, catalogue.measures, start=day, end=day, period="day")
    received = next(r.value for r in results if r.indicator == "calls_received")
    expected = Call.objects.filter(day=day).exclude(outcome="ended_in_ivr").count()
    print(f"  calls_received on {day}: {received:.0f} (table: {expected})")
    if received != expected:
        raise SystemExit("the summary disagrees with the table after the one-day import")


if __name__ == "__main__":
    main()
