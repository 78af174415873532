"""Measures read from the contact tables (SPEC §3): formulas compiled to the ORM.

A source is read at the finest grain the requested grains need (grouped by local day, or
by bucket for a stock); `queries.source` folds it into every grain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, IntegerField, Q, Sum, Value
from django.db.models.functions import Coalesce

from ..bindings import SourceBinding
from ..folding import FineValues
from ..formula import BoolOp, Comparison, Measure, Not
from ..periods import bucket_start, buckets

# --- compiling measures to the ORM ---------------------------------------------------------------


def condition_to_q(condition, binding: SourceBinding) -> Q:
    """Translate a parsed condition into a Django Q object on the binding's model."""
    if isinstance(condition, BoolOp):
        combined = condition_to_q(condition.operands[0], binding)
        for operand in condition.operands[1:]:
            other = condition_to_q(operand, binding)
            combined = combined & other if condition.op == "and" else combined | other
        return combined
    if isinstance(condition, Not):
        return ~condition_to_q(condition.operand, binding)
    assert isinstance(condition, Comparison)
    path = binding.fields[condition.field]
    if condition.op == "is null":
        return Q(**{f"{_null_path(path)}__isnull": True})
    if condition.op == "is not null":
        return Q(**{f"{_null_path(path)}__isnull": False})
    if condition.op == "=":
        return Q(**{path: condition.value})
    if condition.op == "!=":
        return ~Q(**{path: condition.value})
    if condition.op == "in":
        return Q(**{f"{path}__in": list(condition.value)})
    lookup = {"<": "lt", "<=": "lte", ">": "gt", ">=": "gte"}[condition.op]
    return Q(**{f"{path}__{lookup}": condition.value})


def _null_path(path: str) -> str:
    """`reason__code is null` means no reason at all: test the foreign key itself."""
    return path.split("__", 1)[0] if "__" in path else path


def measure_aggregate(measure: Measure, binding: SourceBinding):
    condition = (
        condition_to_q(measure.condition, binding) if measure.condition is not None else None
    )
    if measure.aggregate == "count":
        return Count("pk", filter=condition) if condition is not None else Count("pk")
    field = binding.fields[measure.field]
    total = Sum(field, filter=condition) if condition is not None else Sum(field)
    return Coalesce(total, Value(0), output_field=IntegerField())


# --- grains -----------------------------------------------------------------------------------


def can_split(binding: SourceBinding, grain: Sequence[str]) -> bool:
    """The channel grain is a column where the source has one (surveys), else the source's
    fixed channel (calls are phone); a source with neither cannot be split by channel, and
    agent states cannot be split by reason."""
    return all(g in binding.grains or (g == "channel" and binding.channel) for g in grain)


def fixed_channel(binding: SourceBinding) -> dict[str, str]:
    """The grain parts a source answers with a constant: its channel, when it has no column."""
    if "channel" in binding.grains or not binding.channel:
        return {}
    return {"channel": binding.channel}


def fine_columns(binding: SourceBinding, grains: Sequence[Sequence[str]]) -> tuple[str, ...]:
    """The union of the grain columns the source must be grouped by, in a stable order."""
    wanted = {g for grain in grains if can_split(binding, grain) for g in grain}
    return tuple(g for g in binding.grains if g in wanted)


# --- reading the contact tables -----------------------------------------------------------


def live_fine_values(
    binding: SourceBinding,
    measures: list[Measure],
    start: dt.date,
    end: dt.date,
    period: str,
    columns: Sequence[str],
    days: set[dt.date] | None = None,
) -> FineValues:
    """Measure values per (bucket start, key on `columns`), read from the contact table
    (only `days` of the range when given)."""
    import numpy as np

    aggregates = {f"m{index}": measure_aggregate(m, binding) for index, m in enumerate(measures)}
    paths = [binding.grains[c] for c in columns]
    bucket_list: list[dt.date] = []
    keys: list[tuple] = []
    rows_values: list[list] = []

    def add(bucket: dt.date, row: dict) -> None:
        bucket_list.append(bucket)
        keys.append(tuple(row[p] for p in paths))
        rows_values.append([row[f"m{i}"] or 0 for i in range(len(measures))])

    def grouped(queryset, *extra: str) -> list[dict]:
        # `.values()` with no field would group by primary key: aggregate the whole set instead.
        if paths or extra:
            return list(queryset.values(*extra, *paths).annotate(**aggregates))
        return [queryset.aggregate(**aggregates)]

    if binding.stock_open_field is not None:
        # A stock: for each bucket, records received by its last day and still open then;
        # closed days included, for a closed day that shows beside its contacts.
        for first, last in buckets(start, end, period, closed_days=True):
            stock_filter = Q(**{f"{binding.day_field}__lte": last}) & (
                Q(**{f"{binding.stock_open_field}__isnull": True})
                | Q(**{f"{binding.stock_open_field}__gt": last})
            )
            for row in grouped(binding.model.objects.filter(binding.base, stock_filter)):
                add(first, row)
    else:
        day_column = binding.day_field
        queryset = binding.model.objects.filter(
            binding.base, **{f"{day_column}__gte": start, f"{day_column}__lte": end}
        )
        if days is not None:
            queryset = queryset.filter(**{f"{day_column}__in": sorted(days)})
        if period == "range":
            for row in grouped(queryset):
                add(start, row)
        else:
            # Grouping by day then folding days into buckets keeps the SQL identical on every
            # database (no date truncation functions).
            for row in grouped(queryset, day_column):
                add(max(bucket_start(row[day_column], period, start), start), row)
    values = np.array(rows_values, dtype=np.float64).reshape(len(rows_values), len(measures))
    return FineValues.from_rows(tuple(columns), bucket_list, keys, values)
