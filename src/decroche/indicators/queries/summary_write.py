"""Writing the daily summary (SPEC §3): the one path that stores it, whole or day by day.

`services.refresh_summary` rewrites sources whole (the measure set of the catalogue and
the stored versions); `refresh_dirty_days` recomputes the days the database triggers
marked (`triggers.py`: any insert, update or delete of a contact) with the measures the
summary already holds. `queries.summary` calls the latter before every read, so the
summary is never stale after an edit, a delete or an import.

The dirty marks of a table are taken (deleted) at the start of the transaction that
rewrites their days: a contact changed meanwhile marks its day again (on PostgreSQL its
trigger waits for this transaction, then inserts the mark anew), so no change is lost.

A stock (`open_forms`, the backlog) is stored as daily movements: +1 on the day a form is
received, −1 on the day it is answered (when later).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass
from django.db import connection, transaction
from django.db.models import F, Q

from ..bindings import BINDINGS, SourceBinding
from ..folding import FineValues
from ..formula import Measure, parse, to_text
from ..models import DaySummary, DirtyDay, SummaryState
from ..sources import SOURCES
from ..triggers import DIRTY_TABLE
from .freshness import fingerprint, presence_measure
from .tables import coded_rows, grouped_rows, live_fine_values, measure_aggregate

EVER = (dt.date(1900, 1, 1), dt.date(9999, 12, 31))


def table_of(source: str) -> str:
    return BINDINGS[source].model._meta.db_table


def sources_of_tables(tables: Iterable[str]) -> list[str]:
    """Every source reading one of `tables` (forms, answered_forms and open_forms share one)."""
    wanted = set(tables)
    return [source for source in BINDINGS if table_of(source) in wanted]


def take_dirty_days(table: str) -> set[dt.date]:
    """Delete the dirty marks of `table` and return their days (inside the caller's
    transaction: they come back if it rolls back)."""
    with connection.cursor() as cursor:
        cursor.execute(f'DELETE FROM {DIRTY_TABLE} WHERE "table" = %s RETURNING day', [table])
        return {
            dt.date.fromisoformat(day) if isinstance(day, str) else day
            for (day,) in cursor.fetchall()
        }


def stock_movements(
    binding: SourceBinding, measures: list[Measure], days: set[dt.date] | None = None
) -> FineValues:
    """+values on the receiving day of records still open after it, −values on the day
    they close: a record is open at day L when received ≤ L < closed (only the movements
    of `days` when given)."""
    aggregates = {f"m{i}": measure_aggregate(m, binding) for i, m in enumerate(measures)}
    columns = tuple(binding.grains)
    grouped = [binding.grains[c].partition("__")[0] for c in columns]
    grouped = list(dict.fromkeys(grouped))
    received, closed = binding.day_field, binding.stock_open_field
    assert closed is not None
    opening = binding.model.objects.filter(
        binding.base,
        Q(**{f"{closed}__isnull": True}) | Q(**{f"{closed}__gt": F(received)}),
        **{f"{received}__isnull": False},
    )
    closing = binding.model.objects.filter(binding.base, **{f"{closed}__gt": F(received)})
    if days is not None:
        opening = opening.filter(**{f"{received}__in": sorted(days)})
        closing = closing.filter(**{f"{closed}__in": sorted(days)})
    keys = 1 + len(grouped)
    rows = grouped_rows(opening, [received, *grouped], aggregates)
    rows += [
        (*row[:keys], *(-value for value in row[keys:]))
        for row in grouped_rows(closing, [closed, *grouped], aggregates)
    ]
    return coded_rows(binding, rows, columns, lambda day: day, len(measures))


def rewrite(
    source: str,
    measures: list[Measure],
    *,
    labels: dict[str, list],
    days: set[dt.date] | None = None,
    data_fingerprint: str | None = None,
) -> int:
    """Recompute the summary of `source` (only `days` when given, keeping the key codes of
    `labels`, the state's) inside the caller's transaction; the number of days written."""
    import numpy as np

    binding = BINDINGS[source]
    data_fingerprint = data_fingerprint or fingerprint(binding)
    if binding.stock_open_field is not None:
        fine = stock_movements(binding, measures, days)
    elif days is not None:
        fine = live_fine_values(
            binding, measures, min(days), max(days), "day", tuple(binding.grains), days
        )
    else:
        fine = live_fine_values(binding, measures, *EVER, "day", tuple(binding.grains))
    labels = {column: list(labels.get(column, [])) for column in binding.grains}
    codes = np.zeros((len(fine), len(binding.grains)), dtype=np.int32)
    for position, column in enumerate(binding.grains):
        part = fine.column(column)
        known = {value: code for code, value in enumerate(labels[column])}
        for value in part.labels:
            if value not in known:
                known[value] = len(labels[column])
                labels[column].append(value)
        to_global = np.array([known[value] for value in part.labels], dtype=np.int32)
        codes[:, position] = to_global[part.codes] if len(part.codes) else []
    day_of_row = fine.buckets.codes
    order = np.argsort(day_of_row, kind="stable")
    cuts = np.flatnonzero(np.diff(day_of_row[order])) + 1
    by_day = {
        fine.buckets.labels[int(day_of_row[rows[0]])]: rows
        for rows in np.split(order, cuts)
        if len(rows)
    }
    replaced = DaySummary.objects.filter(source=source)
    if days is not None:
        replaced = replaced.filter(day__in=sorted(days))
    replaced.delete()
    DaySummary.objects.bulk_create(
        [
            DaySummary(
                source=source,
                day=day,
                keys=np.ascontiguousarray(codes[rows]).tobytes(),
                values=np.ascontiguousarray(fine.values[rows]).tobytes(),
            )
            for day, rows in by_day.items()
        ],
        batch_size=500,
    )
    SummaryState.objects.update_or_create(
        source=source,
        defaults={
            "measures": [to_text(m) for m in measures],
            "labels": labels,
            "fingerprint": data_fingerprint,
        },
    )
    return len(by_day) if days is None else len(days)


def rewrite_whole(measures_by_source: dict[str, list[Measure]]) -> dict[str, int]:
    """Recompute these sources whole (with their presence measure), in one transaction
    that also takes the dirty marks of their tables; {source: days stored}."""
    stored: dict[str, int] = {}
    with transaction.atomic():
        for table in {table_of(source) for source in measures_by_source}:
            take_dirty_days(table)
        for source, measures in measures_by_source.items():
            stored[source] = rewrite(source, [*measures, presence_measure(source)], labels={})
    return stored


def _stored_measures(state: SummaryState) -> list[Measure]:
    measures = []
    for text in state.measures:
        tree = parse(text, sources=SOURCES, measure_names=frozenset())
        assert isinstance(tree, Measure)
        measures.append(tree)
    return measures


def has_dirty_days(table: str) -> bool:
    return DirtyDay.objects.filter(table=table).exists()


def refresh_dirty_days(tables: Iterable[str] | None = None) -> dict[str, int]:
    """Recompute, for every source of `tables` (default: all) whose summary is fresh, the
    days marked dirty, with the measures and key codes it holds; {source: days}.

    A source without a summary, or whose reference digest changed (it is read from the
    contact tables until the next whole refresh), has nothing to keep exact: its marks
    are dropped."""
    tables = list(tables) if tables is not None else list(dict.fromkeys(map(table_of, BINDINGS)))
    done: dict[str, int] = {}
    with transaction.atomic():
        for table in tables:
            days = take_dirty_days(table)
            if not days:
                continue
            for source in sources_of_tables([table]):
                state = SummaryState.objects.select_for_update().filter(source=source).first()
                current = fingerprint(BINDINGS[source])
                if state is None or state.fingerprint != current:
                    continue
                done[source] = rewrite(
                    source,
                    _stored_measures(state),
                    labels=state.labels,
                    days=days,
                    data_fingerprint=current,
                )
    return done
