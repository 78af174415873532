"""Benchmark: import generated call rows from CSV into a fresh SQLite database.

    .venv/bin/python bench/import_calls.py [ROWS]      # default 1,000,000

Generates the CSV deterministically (seeded), migrates a temporary SQLite database,
times `contacts_import` on the whole file and, as the baseline measured in the same
run, the first 100,000 rows parsed the same way and saved with the ORM's `bulk_create`.
Target (issue 2): 1,000,000 rows in under 60 s on a 2-core machine.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
BASELINE_ROWS = min(100_000, ROWS)
WORK = Path(tempfile.mkdtemp(prefix="decroche-bench-"))
os.environ["DECROCHE_DATA_DIR"] = str(WORK)
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "decroche.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from decroche.contacts.models import Call  # noqa: E402
from decroche.contacts.services import contacts_import  # noqa: E402
from decroche.organisation.models import Advisor, Site  # noqa: E402

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


def generate(path: Path, rows: int, logins: list[str]) -> None:
    rng = random.Random(2026)
    start = dt.datetime(2026, 1, 5, 8, 30)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(rows):
            arrived = start + dt.timedelta(seconds=n * 2)
            queued = arrived + dt.timedelta(seconds=rng.randint(5, 40))
            if rng.random() < 0.92:
                answered = queued + dt.timedelta(seconds=rng.randint(0, 180))
                ended = answered + dt.timedelta(seconds=rng.randint(30, 600))
                wrap = ended + dt.timedelta(seconds=rng.randint(0, 90))
                row = [
                    "bench",
                    f"c{n}",
                    "3422",
                    arrived.isoformat(),
                    queued.isoformat(),
                    answered.isoformat(),
                    ended.isoformat(),
                    wrap.isoformat(),
                    "answered",
                    f"06{rng.randint(0, 99_999_999):08d}",
                    logins[n % len(logins)],
                    "bench",
                    REASONS[n % len(REASONS)],
                ]
            else:
                ended = queued + dt.timedelta(seconds=rng.randint(1, 300))
                row = [
                    "bench",
                    f"c{n}",
                    "3422",
                    arrived.isoformat(),
                    queued.isoformat(),
                    "",
                    ended.isoformat(),
                    "",
                    "abandoned",
                    f"06{rng.randint(0, 99_999_999):08d}",
                    "",
                    "bench",
                    "",
                ]
            writer.writerow(row)


def orm_baseline(path: Path, rows: int) -> float:
    """The same rows through the ORM: parse, build model instances, bulk_create."""
    from django.db import transaction

    from decroche.organisation.models import ContactReason

    def parse_instant(name: str, text: str) -> dt.datetime | None:
        return dt.datetime.fromisoformat(text).replace(tzinfo=PARIS) if text else None

    advisors = dict(Advisor.objects.values_list("login", "id"))
    reasons = dict(ContactReason.objects.values_list("code", "id"))
    site_id = Site.objects.get(code="bench").id
    started = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        batch = []
        for n, row in enumerate(reader):
            if n >= rows:
                break
            batch.append(
                Call(
                    source_system="orm",
                    source_id=row["source_id"],
                    queue=row["queue"],
                    arrived_at=parse_instant("arrived_at", row["arrived_at"]),
                    queued_at=parse_instant("queued_at", row["queued_at"]),
                    answered_at=parse_instant("answered_at", row["answered_at"]),
                    ended_at=parse_instant("ended_at", row["ended_at"]),
                    wrap_up_ended_at=parse_instant("wrap_up_ended_at", row["wrap_up_ended_at"]),
                    outcome=row["outcome"],
                    advisor_id=advisors.get(row["advisor"]),
                    site_id=site_id,
                    reason_id=reasons.get(row["reason"]),
                )
            )
            if len(batch) == 5000:
                for call in batch:
                    call.fill_local_days()
                with transaction.atomic():
                    Call.objects.bulk_create(batch, ignore_conflicts=True)
                batch = []
        for call in batch:
            call.fill_local_days()
        with transaction.atomic():
            Call.objects.bulk_create(batch, ignore_conflicts=True)
    return time.perf_counter() - started


def main() -> None:
    call_command("migrate", verbosity=0)
    site = Site.objects.create(code="bench", name="Bench")
    logins = [f"B{n:04d}" for n in range(200)]
    Advisor.objects.bulk_create(
        [
            Advisor(
                login=login,
                first_name="B",
                last_name=login,
                site=site,
                joined_on=dt.date(2025, 1, 1),
            )
            for login in logins
        ]
    )
    path = WORK / "calls.csv"
    started = time.perf_counter()
    generate(path, ROWS, logins)
    print(
        f"generated {ROWS:,} rows ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - started:.1f} s"
    )

    baseline = orm_baseline(path, BASELINE_ROWS)
    baseline_rate = BASELINE_ROWS / baseline
    print(
        f"baseline  ORM bulk_create: {BASELINE_ROWS:,} rows in {baseline:.1f} s = {baseline_rate:,.0f} rows/s"
    )

    started = time.perf_counter()
    summary = contacts_import(kind="calls", path=path)
    elapsed = time.perf_counter() - started
    rate = summary.rows / elapsed
    print(
        f"import    contacts_import: {summary.rows:,} rows in {elapsed:.1f} s = {rate:,.0f} rows/s "
        f"(accepted {summary.accepted:,}, rejected {summary.rejected:,}, duplicates {summary.duplicates:,})"
    )
    print(f"ratio     import / baseline rows per second: {rate / baseline_rate:.2f}x")
    verdict = "met" if ROWS < 1_000_000 or elapsed < 60 else "MISSED"
    print(
        f"target    1,000,000 rows < 60 s: {verdict}"
        + (" (run with 1,000,000 rows to check)" if ROWS < 1_000_000 else "")
    )

    started = time.perf_counter()
    again = contacts_import(kind="calls", path=path)
    print(
        f"re-import {again.rows:,} rows in {time.perf_counter() - started:.1f} s: {again.duplicates:,} duplicates, {again.accepted} added"
    )


if __name__ == "__main__":
    main()
