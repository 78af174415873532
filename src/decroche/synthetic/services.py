"""Store the synthetic traffic (writes). The traffic itself comes from `traffic.generate`.

Rows go through `contacts.bulk.insert_ignoring_duplicates`, one transaction per day:
natural keys are derived from the seed, the scale and the position of the record in
its day, so running the same command twice adds nothing (SPEC §9 pseudonymised callers).
"""

from __future__ import annotations

import datetime as dt
import queue
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from django.db import connections, transaction
from tqdm import tqdm

from decroche.contacts.bulk import insert_ignoring_duplicates
from decroche.contacts.models import AdvisorState, Call, ContactForm
from decroche.core.calendar import paris_today
from decroche.organisation.choices import AdvisorStatus
from decroche.organisation.models import Advisor, Channel, ContactReason, Site, Team
from decroche.organisation.reference import CHANNELS, CONTACT_REASONS

from . import profiles, records, roster, traffic
from .records import Reference


@dataclass
class GenerationSummary:
    start: dt.date
    end: dt.date
    seed: int
    scale: float
    inserted: Counter = field(default_factory=Counter)
    generated: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "seed": self.seed,
            "scale": self.scale,
            "generated": dict(self.generated),
            "inserted": dict(self.inserted),
            "seconds": round(self.seconds, 2),
        }


@transaction.atomic
def reference_data_ensure() -> Reference:
    """Create the channels, reasons, sites, teams and advisors of the roster when missing;
    existing rows are left as they are (idempotent)."""
    for code, name in CHANNELS:
        Channel.objects.get_or_create(code=code, defaults={"name": name})
    for position, (code, label, family) in enumerate(CONTACT_REASONS, start=1):
        ContactReason.objects.get_or_create(
            code=code, defaults={"label": label, "family": family, "position": position}
        )
    sites = {}
    for code, name, city in (*profiles.PHONE_SITES, profiles.CPAM_SITE):
        sites[code], _created = Site.objects.get_or_create(
            code=code, defaults={"name": name, "city": city}
        )
    teams = {}
    for team in roster.teams():
        teams[team.code], _created = Team.objects.get_or_create(
            code=team.code, defaults={"name": team.name, "site": sites[team.site_code]}
        )
    existing = dict(Advisor.objects.values_list("login", "id"))
    missing = [person for person in roster.advisors() if person.login not in existing]
    Advisor.objects.bulk_create(
        Advisor(
            login=person.login,
            first_name=person.first_name,
            last_name=person.last_name,
            email=person.email,
            site=sites[person.site_code],
            team=teams[person.team_code],
            joined_on=person.joined_on,
            left_on=person.left_on,
            absent_from=person.absent_from,
            absent_to=person.absent_to,
            status=AdvisorStatus.LEFT
            if person.left_on and person.left_on <= paris_today()
            else AdvisorStatus.ACTIVE,
            handles_phone=person.handles_phone,
            handles_forms=person.handles_forms,
        )
        for person in missing
    )
    logins = dict(Advisor.objects.values_list("login", "id"))
    reasons = dict(ContactReason.objects.values_list("code", "id"))
    return Reference(
        site_ids=[sites[code].id for code in traffic.SITES],
        advisor_ids=[logins[person.login] for person in roster.advisors()],
        reason_ids=[reasons[code] for code in traffic.REASONS],
    )


_ROWS_PER_TRANSACTION = 100_000


def _tune_sqlite(using: str) -> None:
    """A larger page cache and fewer WAL checkpoints for this connection: inserting into
    indexed tables of millions of rows otherwise re-reads and re-syncs index pages."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")  # 256 MiB
            cursor.execute("PRAGMA wal_autocheckpoint = 25000")  # pages, about 100 MiB


def _store(batches: list[tuple], summary: GenerationSummary, using: str) -> None:
    """One transaction for several days of rows, one statement per model."""
    by_model: dict = {}
    for model, columns, rows in batches:
        by_model.setdefault((model, columns), []).extend(rows)
    with transaction.atomic(using=using):
        for (model, columns), rows in by_model.items():
            summary.generated[model._meta.model_name] += len(rows)
            summary.inserted[model._meta.model_name] += insert_ignoring_duplicates(
                model, columns, rows, using=using
            )


class _BackgroundWriter:
    """Stores batches on a thread of its own (its own database connection) while the
    next days are generated: the database driver releases the GIL while it works."""

    def __init__(self, summary: GenerationSummary, using: str) -> None:
        self.summary, self.using = summary, using
        self.batches: queue.Queue = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="synthetic-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            _tune_sqlite(self.using)
            while (batch := self.batches.get()) is not None:
                if self.error is None:
                    _store(batch, self.summary, self.using)
        except BaseException as error:  # re-raised in the generating thread
            self.error = error
            while self.batches.get() is not None:
                pass
        finally:
            connections[self.using].close()

    def put(self, batch: list[tuple]) -> None:
        if self.error is not None:
            self.close()
        self.batches.put(batch)

    def close(self) -> None:
        if self.thread.is_alive():
            self.batches.put(None)
            self.thread.join()
        if self.error is not None:
            raise self.error


def _can_write_in_background(using: str) -> bool:
    """Not for in-memory SQLite (the test database): another connection would not see it."""
    connection = connections[using]
    return (
        not (connection.vendor == "sqlite" and connection.is_in_memory_db())
        and not connection.in_atomic_block
    )


def source_prefix(seed: int, scale: float) -> str:
    """Natural-key prefix: different seeds (or scales) never collide."""
    return f"s{seed}" if scale == 1 else f"s{seed}x{scale:g}"


def traffic_generate(
    *,
    start: dt.date,
    end: dt.date,
    seed: int = 1,
    scale: float = 1.0,
    progress: bool = False,
    using: str = "default",
    background: bool | None = None,
    shortage: tuple[dt.date, dt.date] | None = None,
) -> GenerationSummary:
    """Generate the traffic of `start`..`end` and store what is not stored yet.

    `background` (default: when the database allows it) writes on a second thread;
    `shortage` (first, last day) is a span short of phone advisors (`traffic.generate`)."""
    began = time.perf_counter()
    summary = GenerationSummary(start, end, seed, scale)
    ref = reference_data_ensure()
    site_of_advisor = [traffic.SITES.index(person.site_code) for person in roster.advisors()]
    times = records.Formatter(using)
    prefix = source_prefix(seed, scale)
    days = (end - start).days + 1
    writer = (
        _BackgroundWriter(summary, using)
        if (background if background is not None else _can_write_in_background(using))
        else None
    )
    if writer is None:
        _tune_sqlite(using)
    pending: list[tuple] = []
    try:
        for traffic_day in tqdm(
            traffic.generate(start, end, seed=seed, scale=scale, shortage=shortage),
            total=days,
            disable=not progress,
            file=sys.stderr,
            unit="day",
        ):
            if traffic_day.calls is not None and len(traffic_day.calls):
                pending.append(
                    (
                        Call,
                        records.CALL_COLUMNS,
                        records.call_rows(traffic_day.calls, traffic_day.day, prefix, ref, times),
                    )
                )
            if traffic_day.forms is not None and len(traffic_day.forms):
                pending.append(
                    (
                        ContactForm,
                        records.FORM_COLUMNS,
                        records.form_rows(traffic_day.forms, prefix, ref, times, site_of_advisor),
                    )
                )
            if traffic_day.states is not None and len(traffic_day.states):
                pending.append(
                    (
                        AdvisorState,
                        records.STATE_COLUMNS,
                        records.state_rows(traffic_day.states, ref, times),
                    )
                )
            for model, (columns, rows) in records.cpam_rows(
                traffic_day, prefix, ref, times
            ).items():
                pending.append((model, columns, rows))
            if (
                sum(len(rows) for _model, _columns, rows in pending) >= _ROWS_PER_TRANSACTION
                or traffic_day.day == end
            ):
                if writer is None:
                    _store(pending, summary, using)
                else:
                    writer.put(pending)
                pending = []
    finally:
        if writer is not None:
            writer.close()
    summary.seconds = time.perf_counter() - began
    return summary
