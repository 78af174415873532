"""Benchmark (issue 17): 100 k and 1 M generated calls through `decroche import calls`.

    .venv/bin/python bench/import_scale.py            # 100,000 then 1,000,000 rows
    .venv/bin/python bench/import_scale.py --only-100k
    .venv/bin/python bench/import_scale.py --rows 250000 --profile   # cProfile top 25

Each size gets its own fresh SQLite database (migrated, with the summary built so that
the import refreshes its touched days as in production). The CSV is generated seeded,
in the documented calls format (docs/formats.md, no mapping). The import runs through
the command's own machinery (`call_command("import", "calls", FILE, "--json")`): read,
checked, de-duplicated, stored, repeat delays and summary days refreshed. The baseline,
measured in the same run on the same file: pandas' CSV reader, then the same rows
written with one bulk insert (`executemany`) into a fresh SQLite table without checks,
indexes or derived data. Target: 1,000,000 rows in under 30 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import datetime as dt
import io
import json
import os
import pstats
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 30
HEADER = [
    "source_system",
    "source_id",
    "queue",
    "arrived_at",
    "queued_at",
    "answered_at",
    "ended_at",
    "wrap_up_ended_at",
    "outcome",
    "caller",
    "advisor",
    "site",
    "reason",
]
REASONS = ["cv-serial-unreadable", "out-of-scope", "enrolment-support", "general-information"]
LOGINS = [f"B{n:04d}" for n in range(200)]


def generate(path: Path, rows: int) -> None:
    """Seeded calls spread over the working hours of consecutive days; callers repeat."""
    rng = random.Random(2026)
    start = dt.datetime(2026, 1, 5, 8, 30)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(rows):
            day, second = divmod(n, 10_000)  # 10,000 calls a day, one every 3 s
            arrived = start + dt.timedelta(days=day, seconds=second * 3)
            queued = arrived + dt.timedelta(seconds=rng.randint(5, 40))
            caller = f"06{rng.randint(0, 400_000):08d}"  # about 400 k callers: repeats
            if rng.random() < 0.9:
                answered = queued + dt.timedelta(seconds=rng.randint(0, 180))
                ended = answered + dt.timedelta(seconds=rng.randint(30, 600))
                wrap = ended + dt.timedelta(seconds=rng.randint(0, 90))
                times = [answered.isoformat(), ended.isoformat(), wrap.isoformat()]
                row = ["answered", caller, LOGINS[n % len(LOGINS)], "bench", REASONS[n % 4]]
            else:
                ended = queued + dt.timedelta(seconds=rng.randint(1, 300))
                times = ["", ended.isoformat(), ""]
                row = ["abandoned", caller, "", "bench", ""]
            writer.writerow(
                ["bench", f"c{n}", "3422", arrived.isoformat(), queued.isoformat(), *times, *row]
            )


def baseline(path: Path, work: Path) -> float:
    """pandas reads the file; the same rows go into a fresh SQLite table in one bulk insert."""
    import pandas as pd

    started = time.perf_counter()
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    database = sqlite3.connect(work / "baseline.sqlite3")
    columns = ", ".join(HEADER)
    database.execute(f"CREATE TABLE calls ({columns})")
    with database:
        database.executemany(
            f"INSERT INTO calls VALUES ({', '.join('?' * len(HEADER))})",
            frame.itertuples(index=False, name=None),
        )
    database.close()
    return time.perf_counter() - started


def run_size(rows: int, profile: bool) -> dict:
    """One size in a child process with its own database (settings are read once)."""
    work = Path(tempfile.mkdtemp(prefix=f"decroche-scale-{rows}-"))
    env = {
        **os.environ,
        "DECROCHE_DATA_DIR": str(work),
        "DATABASE_URL": f"sqlite:///{work / 'bench.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "decroche.settings",
    }
    command = [sys.executable, __file__, "--child", str(rows), "--work", str(work)]
    if profile:
        command.append("--profile")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    sys.stderr.write(result.stderr)
    if result.returncode:
        raise SystemExit(f"{rows:,} rows: the child run failed (exit {result.returncode})")
    return json.loads(result.stdout.strip().splitlines()[-1])


def child(rows: int, work: Path, profile: bool) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from decroche.indicators.services import refresh_summary
    from decroche.organisation.models import Advisor, Site

    call_command("migrate", verbosity=0)
    site = Site.objects.create(code="bench", name="Bench")
    Advisor.objects.bulk_create(
        Advisor(
            login=login, first_name="B", last_name=login, site=site, joined_on=dt.date(2025, 1, 1)
        )
        for login in LOGINS
    )
    refresh_summary()  # an empty but fresh summary: the import refreshes its touched days
    path = work / "calls.csv"
    started = time.perf_counter()
    generate(path, rows)
    generated = time.perf_counter() - started
    plain = baseline(path, work)
    out = io.StringIO()
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    call_command("import", "calls", str(path), "--json", stdout=out)
    if profiler:
        profiler.disable()
    elapsed = time.perf_counter() - started
    summary = json.loads(out.getvalue())
    started = time.perf_counter()
    again = io.StringIO()
    call_command("import", "calls", str(path), "--json", stdout=again)
    reimport = time.perf_counter() - started
    if profiler:
        stats = pstats.Stats(profiler, stream=sys.stderr)
        stats.sort_stats("cumulative").print_stats(25)
        stats.sort_stats("tottime").print_stats(25)
    print(
        json.dumps(
            {
                "rows": rows,
                "megabytes": path.stat().st_size / 1e6,
                "generated": generated,
                "baseline": plain,
                "import": elapsed,
                "reimport": reimport,
                "summary": summary,
                "again": json.loads(again.getvalue()),
            }
        )
    )


def report(result: dict) -> None:
    rows, summary, again = result["rows"], result["summary"], result["again"]
    rate, plain_rate = rows / result["import"], rows / result["baseline"]
    print(
        f"{rows:,} calls ({result['megabytes']:.0f} MB CSV, generated in {result['generated']:.1f} s)"
    )
    print(
        f"  baseline  pandas read_csv + one SQLite bulk insert: {result['baseline']:.1f} s = {plain_rate:,.0f} rows/s"
    )
    print(
        f"  import    decroche import calls --json:             {result['import']:.1f} s = {rate:,.0f} rows/s "
        f"(accepted {summary['accepted']:,}, rejected {summary['rejected']:,}, duplicates {summary['duplicates']:,})"
    )
    print(
        f"  ratio     baseline / import rows per second: {plain_rate / rate:.1f}x (the cost of checks, indexes, repeats, summary)"
    )
    print(
        f"  re-import same file: {result['reimport']:.1f} s, {again['duplicates']:,} duplicates, {again['accepted']} added"
    )
    if rows >= 1_000_000:
        verdict = "met" if result["import"] < TARGET_SECONDS else "MISSED"
        print(f"  target    1,000,000 rows < {TARGET_SECONDS} s: {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only-100k", action="store_true", help="Run the 100,000-row size only.")
    parser.add_argument("--rows", type=int, help="Run this one size only.")
    parser.add_argument("--profile", action="store_true", help="cProfile the import (stderr).")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options.child, options.work, options.profile)
        return
    sizes = (
        [options.rows] if options.rows else [100_000] if options.only_100k else [100_000, 1_000_000]
    )
    for rows in sizes:
        report(run_size(rows, options.profile))


if __name__ == "__main__":
    main()
