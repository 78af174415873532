"""Benchmark of the synthetic traffic generator (issue 2: one year, ≈1.42 M calls, < 60 s).

    .venv/bin/python bench/generate.py [--from 2026-01-01] [--to 2026-12-31] [--scale 1.0]
                                       [--baseline-days 5] [--skip-write]

Prints, for the range asked:
1. generation alone (numpy + the per-day queue simulation), calls/s;
2. generation + writes into a fresh temporary SQLite database, calls/s;
3. the writer's speed against a baseline measured in the same run: the Django ORM's
   `bulk_create` (model instances, `ignore_conflicts=True`) storing the same calls of the
   first `--baseline-days` days, versus `insert_ignoring_duplicates` storing them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path


def _setup_django(directory: Path) -> None:
    os.environ["DECROCHE_DATA_DIR"] = str(directory)
    os.environ["DATABASE_URL"] = f"sqlite:///{directory / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "decroche.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _generation_only(start: dt.date, end: dt.date, scale: float) -> tuple[int, float]:
    from decroche.synthetic import traffic

    began = time.perf_counter()
    calls = sum(
        len(day.calls)
        for day in traffic.generate(start, end, seed=1, scale=scale)
        if day.calls is not None
    )
    return calls, time.perf_counter() - began


def _writer_against_orm(start: dt.date, days: int, scale: float) -> tuple[int, float, float]:
    """Seconds to store the same calls with the ORM's bulk_create, then with the bulk writer."""
    from django.db import connection, transaction

    from decroche.contacts.bulk import insert_ignoring_duplicates
    from decroche.contacts.models import Call
    from decroche.synthetic import records, services, traffic

    reference = services.reference_data_ensure()
    end = start + dt.timedelta(days=days - 1)
    generated = [
        day for day in traffic.generate(start, end, seed=99, scale=scale) if day.calls is not None
    ]
    as_objects = records.Formatter("default")
    as_objects.sqlite = False  # aware datetimes and dates, what model instances hold
    as_text = records.Formatter("default")
    prefix = services.source_prefix(99, scale)

    began = time.perf_counter()
    with transaction.atomic():
        for day in generated:
            rows = records.call_rows(day.calls, day.day, prefix, reference, as_objects)
            Call.objects.bulk_create(
                [Call(**dict(zip(records.CALL_COLUMNS, row, strict=True))) for row in rows],
                batch_size=2000,
                ignore_conflicts=True,
            )
    orm_seconds = time.perf_counter() - began
    count = Call.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM contacts_call")
    began = time.perf_counter()
    with transaction.atomic():
        for day in generated:
            insert_ignoring_duplicates(
                Call,
                records.CALL_COLUMNS,
                records.call_rows(day.calls, day.day, prefix, reference, as_text),
            )
    writer_seconds = time.perf_counter() - began
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM contacts_call")
    return count, orm_seconds, writer_seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--from", dest="start", type=dt.date.fromisoformat, default=dt.date(2026, 1, 1)
    )
    parser.add_argument(
        "--to", dest="end", type=dt.date.fromisoformat, default=dt.date(2026, 12, 31)
    )
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--baseline-days", type=int, default=5)
    parser.add_argument("--skip-write", action="store_true", help="Measure generation alone.")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="decroche-bench-") as directory:
        _setup_django(Path(directory))
        calls, seconds = _generation_only(options.start, options.end, options.scale)
        print(
            f"generation alone      {options.start} → {options.end}: {calls:,} calls in {seconds:.1f} s "
            f"= {calls / seconds:,.0f} calls/s"
        )
        if options.skip_write:
            return
        count, orm_seconds, writer_seconds = _writer_against_orm(
            options.start, options.baseline_days, options.scale
        )
        print(
            f"baseline ORM bulk_create  {count:,} calls in {orm_seconds:.2f} s = {count / orm_seconds:,.0f} calls/s"
        )
        print(
            f"bulk writer               {count:,} calls in {writer_seconds:.2f} s = {count / writer_seconds:,.0f} calls/s"
            f"  (×{orm_seconds / writer_seconds:.1f} faster)"
        )
        from decroche.synthetic.services import traffic_generate

        summary = traffic_generate(
            start=options.start, end=options.end, seed=1, scale=options.scale
        )
        rows = sum(summary.inserted.values())
        print(
            f"generation + writes   {options.start} → {options.end}: {summary.inserted['call']:,} calls, "
            f"{summary.inserted['contactform']:,} forms, {summary.inserted['advisorstate']:,} states "
            f"({rows:,} rows) in {summary.seconds:.1f} s = {summary.inserted['call'] / summary.seconds:,.0f} calls/s "
            f"(budget 60 s: {'met' if summary.seconds < 60 else 'NOT met'})"
        )
        print(f"generation share of the total: {seconds / summary.seconds:.0%}")


if __name__ == "__main__":
    main()
