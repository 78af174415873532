"""Reading the daily summary: measure values per local day and finest grain key (SPEC §3).

The summary (`models.DaySummary`, `models.SummaryState`) is written by `summary_write`
(`services.refresh_summary` whole). Every read first recomputes the days the database
triggers marked dirty (any insert, update or delete of a contact: `triggers.py`), so the
summary is exact after an edit, a delete or an import, without any manual refresh. It is
read only when it holds every measure asked for and the digest of sites, teams, reasons
and advisors is that of its whole refresh (`freshness`); otherwise `queries.source` reads
the contact tables, so results never depend on the summary.

A stock (`open_forms`, the backlog) is stored as daily movements: the stock at a bucket's
last day is the sum of the movements up to that day.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass

from ..bindings import BINDINGS
from ..folding import Coded, FineValues, factorise, group_sum
from ..formula import Measure, to_text
from ..models import DaySummary, SummaryState
from ..periods import bucket_start, buckets
from .freshness import fingerprint, one_reading, presence_measure, reference_digest
from .summary_write import has_dirty_days, refresh_dirty_days, table_of

__all__ = [
    "fingerprint",
    "one_reading",
    "presence_measure",
    "reference_digest",
    "summary_fine_values",
]


def summary_fine_values(
    source: str, measures: list[Measure], start: dt.date, end: dt.date, period: str
) -> FineValues | None:
    """The measures per (bucket start, finest key) from the summary; None when it is not
    fresh or lacks a measure (the caller then reads the contact tables)."""
    import numpy as np

    binding = BINDINGS[source]
    if has_dirty_days(table_of(source)):
        refresh_dirty_days([table_of(source)])
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
