"""Measures read from the contact tables (SPEC §3): formulas compiled to the ORM.

A source is read at the finest grain the requested grains need (grouped by local day, or
by bucket for a stock); `queries.source` folds it into every grain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
from django.db import connections
from django.db.models import Count, DecimalField, FloatField, IntegerField, Model, Q, Sum, Value
from django.db.models.functions import Coalesce

from ..bindings import SourceBinding
from ..folding import Coded, FineValues, factorise
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
    # Contact durations are whole seconds; scores (quality) carry decimals.
    output = FloatField() if _is_decimal(binding, field) else IntegerField()
    return Coalesce(total, Value(0), output_field=output)


def _is_decimal(binding: SourceBinding, path: str) -> bool:
    model = binding.model
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return isinstance(model._meta.get_field(name), DecimalField)


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
#
# The aggregation runs in the database: one `GROUP BY` on the local day and the foreign
# keys the grains go through (site_id, advisor_id, reason_id: no join for the keys), every
# measure a conditional count or sum compiled by the ORM (`measure_aggregate`), fetched
# with a plain cursor (no model instances, no dictionaries). Key values are looked up in
# the small reference tables afterwards and days folded into buckets in numpy.


@dataclass(frozen=True)
class _Key:
    """A grain column as read from the table: the column grouped by (a foreign key or the
    column itself) and, for a foreign key, the path to the value in the related table."""

    column: str
    grouped: str
    related: type[Model] | None
    related_path: str | None


def _keys(binding: SourceBinding, columns: Sequence[str]) -> list[_Key]:
    keys = []
    for column in columns:
        head, _sep, rest = binding.grains[column].partition("__")
        if rest:
            related = binding.model._meta.get_field(head).related_model
            keys.append(_Key(column, head, related, rest))
        else:
            keys.append(_Key(column, head, None, None))
    return keys


def grouped_rows(queryset, group_by: Sequence[str], aggregates: dict) -> list[tuple]:
    """Rows of (group_by values..., aggregates...) of `queryset` grouped by `group_by`,
    fetched with a plain cursor."""
    names = list(aggregates)
    if not group_by:
        # `.values()` with no field would group by primary key: one row for the whole set.
        totals = queryset.aggregate(**aggregates)
        return [tuple(totals[name] or 0 for name in names)]
    query = queryset.order_by().values(*group_by).annotate(**aggregates)
    query = query.values_list(*group_by, *names)
    sql, params = query.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _factorise_ids(ids: Sequence[int | None]) -> tuple[np.ndarray, list]:
    """`factorise` for foreign keys (integers or None), vectorised."""
    import numpy as np

    array = np.array(ids, dtype=np.float64)  # None becomes NaN
    unique, codes = np.unique(array, return_inverse=True, equal_nan=True)
    return codes.reshape(-1), [None if np.isnan(v) else int(v) for v in unique.tolist()]


def _as_date(value) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def coded_rows(
    binding: SourceBinding,
    rows: list[tuple],
    columns: Sequence[str],
    bucket_of,
    measure_count: int,
    sign: float = 1.0,
) -> FineValues:
    """`grouped_rows` (day or bucket first, then the grouped key columns, then the measures)
    as `FineValues` on `columns`; `bucket_of(day)` gives a row's bucket start."""
    import numpy as np

    keys = _keys(binding, columns)
    grouped = list(dict.fromkeys(key.grouped for key in keys))
    if not rows:
        return FineValues.empty(columns, measure_count)
    parts = list(zip(*rows, strict=True))
    values = np.array(parts[1 + len(grouped) :], dtype=np.float64).T.reshape(len(rows), -1)
    if sign != 1.0:
        values = values * sign
    day_codes, day_labels = factorise(parts[0])
    buckets_of_day = [bucket_of(_as_date(day)) for day in day_labels]
    bucket_remap, bucket_labels = factorise(buckets_of_day)
    coded = {}
    for key in keys:
        column = parts[1 + grouped.index(key.grouped)]
        codes, labels = _factorise_ids(column) if key.related is not None else factorise(column)
        if key.related is not None:
            lookup = dict(key.related.objects.values_list("pk", key.related_path))
            labels = [None if value is None else lookup.get(value) for value in labels]
        remap, unique = factorise(labels)
        coded[key.column] = Coded(remap[codes] if len(remap) else codes, unique)
    return FineValues.from_codes(
        columns, Coded(bucket_remap[day_codes], bucket_labels), coded, values
    )


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

    if binding.rows is not None:
        grouped = list(dict.fromkeys(key.grouped for key in _keys(binding, columns)))
        rows = binding.rows(measures, start, end, grouped)
        if period == "range":
            return coded_rows(binding, rows, columns, lambda day: start, len(measures))
        return coded_rows(
            binding,
            rows,
            columns,
            lambda day: max(bucket_start(day, period, start), start),
            len(measures),
        )
    aggregates = {f"m{index}": measure_aggregate(m, binding) for index, m in enumerate(measures)}
    grouped = list(dict.fromkeys(key.grouped for key in _keys(binding, columns)))
    if binding.stock_open_field is not None:
        # A stock: for each bucket, records received by its last day and still open then;
        # closed days included, for a closed day that shows beside its contacts.
        parts = []
        for first, last in buckets(start, end, period, closed_days=True):
            stock_filter = Q(**{f"{binding.day_field}__lte": last}) & (
                Q(**{f"{binding.stock_open_field}__isnull": True})
                | Q(**{f"{binding.stock_open_field}__gt": last})
            )
            queryset = binding.model.objects.filter(binding.base, stock_filter)
            parts.extend((first, *row) for row in grouped_rows(queryset, grouped, aggregates))
        return coded_rows(binding, parts, columns, lambda day: day, len(measures))
    day_column = binding.day_field
    queryset = binding.model.objects.filter(
        binding.base, **{f"{day_column}__gte": start, f"{day_column}__lte": end}
    )
    if days is not None:
        queryset = queryset.filter(**{f"{day_column}__in": sorted(days)})
    if period == "range":
        rows = [(start, *row) for row in grouped_rows(queryset, grouped, aggregates)]
        return coded_rows(binding, rows, columns, lambda day: day, len(measures))
    # Grouping by day then folding days into buckets keeps the SQL identical on every
    # database (no date truncation functions).
    rows = grouped_rows(queryset, [day_column, *grouped], aggregates)
    return coded_rows(
        binding,
        rows,
        columns,
        lambda day: max(bucket_start(day, period, start), start),
        len(measures),
    )
