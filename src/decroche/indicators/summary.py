"""The daily summary: measure values per local day and finest grain key (SPEC §3).

`refresh_summary()` (the `decroche refresh-summary` command, run after imports) reads each
source once and stores, per (source, day), the value of every measure the catalogue and
the stored indicator versions use, for each (site, team, reason, advisor[, channel]) key
present that day. A month is then a few thousand summary entries instead of the ~130,000
calls behind them, and every grain is folded from them (`folding.fold`).

The engine reads the summary only when it is **fresh**: the source table's fingerprint
(its highest primary key, and a digest of sites, teams, reasons and advisors) is unchanged
since the refresh and the summary holds every
measure asked for; otherwise it reads the contact tables, so results never depend on
whether the summary was refreshed. Contacts are only ever inserted (imports skip
duplicates); after deleting contacts, refresh the summary.

A stock (`open_forms`, the backlog) is stored as daily movements: +1 on the day a form is
received, −1 on the day it is answered (when later), so the stock at a bucket's last day
is the sum of the movements up to that day.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from contextlib import contextmanager
from contextvars import ContextVar

import numpy as np
from django.db import models, transaction
from django.db.models import F, Max, Q
from django.utils.translation import gettext_lazy as _

from .bindings import BINDINGS, SourceBinding
from .folding import Coded, FineValues, factorise, group_sum
from .formula import Measure, to_text

EVER = (dt.date(1900, 1, 1), dt.date(9999, 12, 31))


class SummaryState(models.Model):
    """What the summary of one source holds, and the data it was computed from."""

    source = models.CharField(_("source"), max_length=32, unique=True)
    measures = models.JSONField(_("measures"), default=list)
    labels = models.JSONField(_("key values per column"), default=dict)
    fingerprint = models.CharField(_("data fingerprint"), max_length=64)
    refreshed_at = models.DateTimeField(_("refreshed at"), auto_now=True)

    class Meta:
        app_label = "indicators"
        verbose_name = _("summary state")
        verbose_name_plural = _("summary states")

    def __str__(self) -> str:
        return f"{self.source} ({self.fingerprint})"


class DaySummary(models.Model):
    """One source on one local day: its finest keys and the measure values of each.

    `keys` holds int32 codes (rows × key columns) into the state's `labels`; `values`
    float64 values (rows × measures, the state's order): read with no parsing at all.
    """

    source = models.CharField(_("source"), max_length=32)
    day = models.DateField(_("day"))
    keys = models.BinaryField(_("key codes"))
    values = models.BinaryField(_("measure values"))

    class Meta:
        app_label = "indicators"
        verbose_name = _("day summary")
        verbose_name_plural = _("day summaries")
        constraints = [
            models.UniqueConstraint(fields=["source", "day"], name="day_summary_source_day")
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.day}"


def fingerprint(binding: SourceBinding) -> str:
    """Cheap on any size of table: the highest primary key (rows are only ever added), and
    a digest of the small reference tables the grain keys go through (an advisor moving to
    another team, a reason's code edited)."""
    highest = binding.model.objects.aggregate(highest=Max("pk"))["highest"]
    return f"{binding.model._meta.label_lower}:{highest}:{reference_digest()}"


_reading: ContextVar[dict | None] = ContextVar("summary_reading", default=None)


@contextmanager
def one_reading():
    """Inside, `reference_digest` is computed once (a report reads several sources)."""
    token = _reading.set({})
    try:
        yield
    finally:
        _reading.reset(token)


def reference_digest() -> str:
    cache = _reading.get()
    if cache is not None and "digest" in cache:
        return cache["digest"]
    from decroche.organisation.models import Advisor, ContactReason, Site, Team

    digest = hashlib.sha256()
    for rows in (
        Site.objects.order_by("pk").values_list("pk", "code"),
        Team.objects.order_by("pk").values_list("pk", "code", "site_id"),
        ContactReason.objects.order_by("pk").values_list("pk", "code"),
        Advisor.objects.order_by("pk").values_list("pk", "login", "site_id", "team_id"),
    ):
        digest.update(repr(list(rows)).encode())
    value = digest.hexdigest()[:16]
    if cache is not None:
        cache["digest"] = value
    return value


def presence_measure(source: str) -> Measure:
    """`count(source)`: always stored, it tells which keys have records (or an open stock)."""
    return Measure("count", source, None, None)


# --- reading ----------------------------------------------------------------------------------


def summary_fine_values(
    source: str, measures: list[Measure], start: dt.date, end: dt.date, period: str
) -> FineValues | None:
    """The measures per (bucket start, finest key) from the summary; None when it is not
    fresh or lacks a measure (the caller then reads the contact tables)."""
    from .engine import bucket_start, buckets

    binding = BINDINGS[source]
    state = SummaryState.objects.filter(source=source).first()
    if state is None or state.fingerprint != fingerprint(binding):
        return None
    stored = {text: index for index, text in enumerate(state.measures)}
    wanted = [stored.get(to_text(m)) for m in [*measures, presence_measure(source)]]
    if None in wanted:
        return None
    columns = tuple(binding.grains)
    days = DaySummary.objects.filter(source=source, day__lte=end)
    if binding.stock_open_field is None:
        days = days.filter(day__gte=start)
    day_list, sizes, key_blocks, value_blocks = [], [], [], []
    for day, keys, values in days.order_by("day").values_list("day", "keys", "values"):
        codes = np.frombuffer(keys, dtype=np.int32).reshape(-1, len(columns))
        day_list.append(day)
        sizes.append(len(codes))
        key_blocks.append(codes)
        value_blocks.append(np.frombuffer(values, dtype=np.float64).reshape(len(codes), -1))
    codes = np.concatenate(key_blocks) if key_blocks else np.zeros((0, len(columns)), np.int32)
    values = np.concatenate(value_blocks)[:, wanted] if value_blocks else np.zeros((0, len(wanted)))
    labels = {column: state.labels[column] for column in columns}
    if binding.stock_open_field is None:
        if period == "range":
            day_buckets = [start] * len(day_list)
        else:
            day_buckets = [max(bucket_start(day, period, start), start) for day in day_list]
        bucket_codes, bucket_labels = factorise(day_buckets)
        return FineValues.from_codes(
            columns,
            Coded(np.repeat(bucket_codes, sizes), bucket_labels),
            {c: Coded(codes[:, i], labels[c]) for i, c in enumerate(columns)},
            values[:, :-1],
        )
    # A stock at each bucket's last day: the movements up to that day, keys still open.
    row_days = np.repeat(np.array(day_list, dtype="datetime64[D]"), sizes)
    bucket_labels, code_blocks, bucket_blocks, open_blocks = [], [], [], []
    for first, last in buckets(start, end, period, closed_days=True):
        upto = row_days <= np.datetime64(last)
        groups, totals = group_sum(codes[upto], values[upto])
        still_open = totals[:, -1] > 0
        code_blocks.append(groups[still_open])
        open_blocks.append(totals[still_open, :-1])
        bucket_blocks.append(np.full(int(still_open.sum()), len(bucket_labels)))
        bucket_labels.append(first)
    if not bucket_labels:
        return FineValues.empty(columns, len(measures))
    open_codes = np.concatenate(code_blocks)
    return FineValues.from_codes(
        columns,
        Coded(np.concatenate(bucket_blocks), bucket_labels),
        {c: Coded(open_codes[:, i], labels[c]) for i, c in enumerate(columns)},
        np.concatenate(open_blocks),
    )


# --- refreshing -------------------------------------------------------------------------------


def measures_in_use() -> dict[str, list[Measure]]:
    """Per source, every measure of the shipped catalogue and of every stored version."""
    from .catalogue import load_catalogue
    from .engine import _collect_measures, compile_definitions
    from .models import IndicatorVersion
    from .selectors import as_definition

    catalogue = load_catalogue()
    compiled = compile_definitions(catalogue.indicators, catalogue.measures)
    compiled += compile_definitions([as_definition(v) for v in IndicatorVersion.objects.all()], {})
    found: list[Measure] = []
    for item in compiled:
        _collect_measures(item.numerator, found)
        _collect_measures(item.denominator, found)
    by_source: dict[str, list[Measure]] = {source: [] for source in BINDINGS}
    for measure in found:
        if measure.source in by_source and measure not in by_source[measure.source]:
            by_source[measure.source].append(measure)
    return by_source


def _stock_movements(
    binding: SourceBinding, measures: list[Measure], days: set[dt.date] | None = None
) -> FineValues:
    """+values on the receiving day of records still open after it, −values on the day
    they close: a record is open at day L when received ≤ L < closed (only the movements
    of `days` when given)."""
    from .queries import measure_aggregate

    aggregates = {f"m{i}": measure_aggregate(m, binding) for i, m in enumerate(measures)}
    paths = [binding.grains[c] for c in binding.grains]
    received, closed = binding.day_field, binding.stock_open_field
    opening = binding.model.objects.filter(
        binding.base,
        Q(**{f"{closed}__isnull": True}) | Q(**{f"{closed}__gt": F(received)}),
        **{f"{received}__isnull": False},
    )
    closing = binding.model.objects.filter(binding.base, **{f"{closed}__gt": F(received)})
    if days is not None:
        opening = opening.filter(**{f"{received}__in": sorted(days)})
        closing = closing.filter(**{f"{closed}__in": sorted(days)})
    day_list, keys, rows = [], [], []
    for queryset, day_column, sign in ((opening, received, 1), (closing, closed, -1)):
        for row in queryset.values(day_column, *paths).annotate(**aggregates):
            day_list.append(row[day_column])
            keys.append(tuple(row[p] for p in paths))
            rows.append([sign * (row[f"m{i}"] or 0) for i in range(len(measures))])
    values = np.array(rows, dtype=np.float64).reshape(len(rows), len(measures))
    return FineValues.from_rows(tuple(binding.grains), day_list, keys, values)


def refresh_summary(*, sources: list[str] | None = None) -> dict[str, int]:
    """Recompute the summary of each source from its table; {source: days stored}."""
    in_use = measures_in_use()
    stored: dict[str, int] = {}
    for source in sources or list(BINDINGS):
        measures = [*in_use[source], presence_measure(source)]
        stored[source] = _rewrite(source, measures, labels={})
    return stored


def _rewrite(
    source: str,
    measures: list[Measure],
    *,
    labels: dict[str, list],
    days: set[dt.date] | None = None,
) -> int:
    """Recompute the summary of `source` (only `days` when given, keeping the key codes of
    `labels`, the state's) and record the fingerprint; the number of days written."""
    from .queries import live_fine_values

    binding = BINDINGS[source]
    data_fingerprint = fingerprint(binding)  # taken first: later rows make it stale
    if binding.stock_open_field is not None:
        fine = _stock_movements(binding, measures, days)
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
    with transaction.atomic():
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


# --- refreshing only the days an import touched ----------------------------------------------


def _fingerprint_before(binding: SourceBinding, batch_id: int) -> str:
    """The fingerprint the table had before import `batch_id` added its rows (they hold the
    highest primary keys)."""
    highest = binding.model.objects.exclude(import_batch_id=batch_id).aggregate(highest=Max("pk"))[
        "highest"
    ]
    return f"{binding.model._meta.label_lower}:{highest}:{reference_digest()}"


def _days_touched(binding: SourceBinding, batch_id: int) -> set[dt.date]:
    rows = binding.model.objects.filter(binding.base, import_batch_id=batch_id)
    days = set(rows.values_list(binding.day_field, flat=True).distinct())
    if binding.stock_open_field is not None:
        days |= set(rows.values_list(binding.stock_open_field, flat=True).distinct())
    return days - {None}


def refresh_summary_after_import(
    batch_id: int, also_changed: dict[type, set[dt.date]] | None = None
) -> dict[str, int]:
    """After import `batch_id`: recompute only the days its rows fall on (and the days in
    `also_changed`, per model: calls whose repeat delay changed). A source without a
    summary, or whose summary was already stale before the import (or lacks a measure now in
    use), is left as it is: the engine reads its table until `refresh_summary` runs, so an
    import never pays for a whole refresh. {source: days recomputed}."""
    also_changed = also_changed or {}
    if not SummaryState.objects.exists():
        return {}
    in_use = measures_in_use()
    done: dict[str, int] = {}
    for source, binding in BINDINGS.items():
        measures = [*in_use[source], presence_measure(source)]
        state = SummaryState.objects.filter(source=source).first()
        if (
            state is None
            or state.measures != [to_text(m) for m in measures]
            or state.fingerprint != _fingerprint_before(binding, batch_id)
        ):
            continue
        days = _days_touched(binding, batch_id) | also_changed.get(binding.model, set())
        if not days:
            continue
        done[source] = _rewrite(source, measures, labels=state.labels, days=days)
    return done
