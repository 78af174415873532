"""The import loop: rows → records → batches committed one transaction at a time.

Each batch resolves its advisors with one query, inserts its records with
`contacts.bulk.insert_ignoring_duplicates` (natural keys make a re-import add nothing)
and updates the counts of its `ImportBatch` in the same transaction: an interrupted
import keeps exactly its committed batches, and their counts.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from decroche.contacts.bulk import in_chunks, insert_ignoring_duplicates
from decroche.contacts.models import AdvisorState, Call, ContactForm, ImportBatch
from decroche.core.calendar import paris_today
from decroche.core.tabular.errors import RowRejected
from decroche.core.tabular.rejects import RejectsWriter
from decroche.core.tabular.source import Row
from decroche.organisation.models import Advisor

from .open_states import open_state_keep
from .queue_log import Built
from .records import CONVERTERS, DB_COLUMNS, Context, Converted

MODELS = {"call": Call, "form": ContactForm, "state": AdvisorState}


@dataclass
class Counts:
    rows: int = 0
    accepted: int = 0
    rejected: int = 0
    duplicates: int = 0


@dataclass
class _Pending:
    record: Converted
    lines: list[Row]


@dataclass
class BatchRunner:
    """Collects converted records and rejects, and commits them every `batch_size` rows."""

    ctx: Context
    rejects: RejectsWriter
    batch_size: int
    on_commit: Callable[[int], None] = lambda last_line: None
    totals: Counts = field(default_factory=Counts)
    _records: list[_Pending] = field(default_factory=list)
    _open_states: list[tuple[dict, list[Row]]] = field(default_factory=list)
    _batch: Counts = field(default_factory=Counts)
    _advisors: dict[str, int] = field(default_factory=dict)
    _last_line: int = 0

    def reject(self, lines: list[Row], error: RowRejected) -> None:
        for row in lines:
            self.rejects.add(row.line, error.field, error.reason, row.raw)
        self._batch.rejected += len(lines)
        self._count(lines)

    def accept_nothing_to_store(self, lines: list[Row]) -> None:
        self._batch.accepted += len(lines)
        self._count(lines)

    def add(self, record: Converted, lines: list[Row]) -> None:
        self._records.append(_Pending(record, lines))
        self._count(lines)

    def keep_open(self, row: dict, lines: list[Row]) -> None:
        """A state a queue_log left open, kept for the next file (`open_states`)."""
        self._open_states.append((row, lines))
        self._count(lines)

    def _count(self, lines: list[Row]) -> None:
        self._batch.rows += len(lines)
        if lines:
            self._last_line = max(self._last_line, lines[-1].line)
        if self._batch.rows >= self.batch_size:
            self.commit()

    def commit(self) -> None:
        batch, records = self._batch, self._records
        with transaction.atomic():
            records = self._resolve_advisors(records)
            for model_key, model in MODELS.items():
                group = [pending for pending in records if pending.record.model == model_key]
                if group:
                    self._insert(model, DB_COLUMNS[model_key], group)
            for row, lines in self._open_states:
                if open_state_keep(row, batch_id=self.ctx.batch_id):
                    batch.accepted += len(lines)
                else:
                    batch.duplicates += len(lines)
            totals = Counts(
                rows=self.totals.rows + batch.rows,
                accepted=self.totals.accepted + batch.accepted,
                rejected=self.totals.rejected + batch.rejected,
                duplicates=self.totals.duplicates + batch.duplicates,
            )
            ImportBatch.objects.filter(pk=self.ctx.batch_id).update(
                rows=totals.rows,
                accepted=totals.accepted,
                rejected=totals.rejected,
                duplicates=totals.duplicates,
                heartbeat_at=timezone.now(),
            )
            self.rejects.flush()
        self.totals, self._records, self._batch = totals, [], Counts()
        self._open_states = []
        self.on_commit(self._last_line)

    def _insert(self, model, columns, group: list[_Pending]) -> None:
        batch = self._batch
        simple = [p for p in group if len(p.lines) == 1 and not p.record.more]
        if simple:
            inserted = insert_ignoring_duplicates(
                model, columns, [pending.record.values for pending in simple]
            )
            batch.accepted += inserted
            batch.duplicates += len(simple) - inserted
        # Records rebuilt from several lines (queue_log) or stored as several rows (a state
        # cut at midnight): one statement each, so that each record's lines are counted
        # as stored or as duplicates.
        for pending in group:
            if len(pending.lines) == 1 and not pending.record.more:
                continue
            weight = len(pending.lines)
            if insert_ignoring_duplicates(model, columns, pending.record.rows()):
                batch.accepted += weight
            else:
                batch.duplicates += weight

    def _resolve_advisors(self, records: list[_Pending]) -> list[_Pending]:
        """Fill advisor ids with one query; unknown logins reject their rows, unless the
        mapping opted in to creating advisors on a named site."""
        wanted = {
            p.record.advisor_login for p in records if p.record.advisor_login
        } - self._advisors.keys()
        if wanted:
            self._advisors.update(_advisor_ids(wanted))
            missing = wanted - self._advisors.keys()
            if missing and self.ctx.advisor_site:
                self._create_advisors(missing, records)
        kept = []
        for pending in records:
            login = pending.record.advisor_login
            if login:
                advisor_id = self._advisors.get(login)
                if advisor_id is None:
                    self.reject_resolved(pending, login)
                    continue
                for values in pending.record.rows():
                    values[-1] = advisor_id
            kept.append(pending)
        return kept

    def reject_resolved(self, pending: _Pending, login: str) -> None:
        error = RowRejected(
            "advisor", f"unknown advisor {login!r} (no advisor with this telephony login)"
        )
        for row in pending.lines:
            self.rejects.add(row.line, error.field, error.reason, row.raw)
        self._batch.rejected += len(pending.lines)

    def _create_advisors(self, logins: set[str], records: list[_Pending]) -> None:
        first_day: dict[str, dt.date] = {}
        for pending in records:
            login, day = pending.record.advisor_login, pending.record.day
            if login in logins and day and (login not in first_day or day < first_day[login]):
                first_day[login] = day
        site_id = self.ctx.sites[self.ctx.advisor_site.lower()]
        Advisor.objects.bulk_create(
            [
                Advisor(
                    login=login,
                    first_name="",
                    last_name=login.title(),
                    site_id=site_id,
                    joined_on=first_day.get(login, paris_today()),
                )
                for login in sorted(logins)
            ]
        )
        self._advisors.update(_advisor_ids(logins))


def _advisor_ids(logins: set[str]) -> Iterator[tuple[str, int]]:
    """(login, id) of the advisors with these logins, in bounded queries."""
    for chunk in in_chunks(logins):
        yield from Advisor.objects.filter(login__in=chunk).values_list("login", "id")


def convert_rows(
    kind: str, rows: Iterable[Row], header: list[str], mapping, ctx: Context
) -> Iterator[tuple[Converted | RowRejected, Row]]:
    """Each row of a calls, forms or agent-states file with its record or its rejection."""
    convert = CONVERTERS[kind]
    width = len(header)
    for row in rows:
        cells = row.cells
        try:
            if not cells:
                raise RowRejected("", row.raw.strip("<>"))
            if len(cells) != width:
                hint = " (truncated line?)" if len(cells) < width else ""
                raise RowRejected("", f"{len(cells)} values for {width} columns{hint}")
            source = dict(zip(header, cells, strict=True))
            yield convert(mapping.apply(source) if mapping else source, ctx), row
        except RowRejected as error:
            yield error, row


def run_rows(runner: BatchRunner, items: Iterable[tuple[Converted | RowRejected, Row]]) -> None:
    """Feed converted rows to the runner, then commit the last batch."""
    add, reject = runner.add, runner.reject
    # No reference cycles are made here: the cyclic collector would only re-scan the
    # batch's objects thousands of times (about 15 % of a million-row import).
    collecting = gc.isenabled()
    gc.disable()
    try:
        for result, row in items:
            if isinstance(result, RowRejected):
                reject([row], result)
            else:
                add(result, [row])
        runner.commit()
    finally:
        if collecting:
            gc.enable()


def run_units(runner: BatchRunner, units: Iterator[Built]) -> None:
    """Feed the units rebuilt from a queue_log to the runner."""
    ctx = runner.ctx
    for unit in units:
        lines = [Row(line, [], raw) for line, raw in unit.lines]
        if unit.error is not None:
            runner.reject(lines, unit.error)
        elif unit.kind == "open-state" and unit.row is not None:
            runner.keep_open(unit.row, lines)
        elif unit.row is None:
            runner.accept_nothing_to_store(lines)
        else:
            try:
                record = CONVERTERS[unit.kind](unit.row, ctx)
            except RowRejected as error:
                runner.reject(lines, error)
                continue
            runner.add(record, lines)
    runner.commit()
