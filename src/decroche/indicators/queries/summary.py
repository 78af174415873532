"""Reading the daily summary: measure values per local day and finest grain key (SPEC §3).

The summary (`models.DaySummary`, `models.SummaryState`) is written by
`services.refresh_summary`; it is read only when it is **fresh**: the source table's
fingerprint (its highest primary key, and a digest of sites, teams, reasons and advisors)
is unchanged since the refresh and the summary holds every measure asked for; otherwise
`queries.source` reads the contact tables, so results never depend on whether the summary
was refreshed.

A stock (`open_forms`, the backlog) is stored as daily movements: the stock at a bucket's
last day is the sum of the movements up to that day.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import Max

from decroche.organisation.models import Advisor, ContactReason, Site, Team

from ..bindings import BINDINGS, SourceBinding
from ..folding import Coded, FineValues, factorise, group_sum
from ..formula import Measure, to_text
from ..models import DaySummary, SummaryState
from ..periods import bucket_start, buckets


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


def summary_fine_values(
    source: str, measures: list[Measure], start: dt.date, end: dt.date, period: str
) -> FineValues | None:
    """The measures per (bucket start, finest key) from the summary; None when it is not
    fresh or lacks a measure (the caller then reads the contact tables)."""
    import numpy as np

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
