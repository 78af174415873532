"""Computing indicators for any period and grain from the contact tables (SPEC §3).

One grouped query per source and bucket kind computes every measure the requested
indicators need (conditional counts and sums); formulas are then evaluated in Python per
(bucket, grain key). Results carry numerator, denominator, value, target and status.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count, IntegerField, Q, Sum, Value
from django.db.models.functions import Coalesce

from decroche.organisation.workdays import is_working_day

from .bindings import BINDINGS, GRAINS, SourceBinding
from .catalogue import IndicatorDefinition, parse_target
from .formula import (
    BinaryOp,
    BoolOp,
    Comparison,
    Expression,
    Measure,
    Name,
    Negate,
    Not,
    Number,
    evaluate,
    parse,
    split_ratio,
)
from .sources import PENDING_SOURCES, SOURCES

PERIODS = ("day", "week", "month", "quarter", "range")


class Status:
    MET = "met"
    MISSED = "missed"
    NO_TARGET = "no_target"
    NO_DATA = "no_data"


@dataclass(frozen=True)
class Result:
    indicator: str
    period_start: dt.date
    period_end: dt.date
    keys: tuple[tuple[str, str | None], ...]
    numerator: float | None
    denominator: float | None
    value: float | None
    target: str
    status: str

    def as_dict(self) -> dict:
        row: dict = {
            "indicator": self.indicator,
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
        }
        row.update(dict(self.keys))
        row.update(
            numerator=self.numerator,
            denominator=self.denominator,
            value=self.value,
            target=self.target or None,
            status=self.status,
        )
        return row


# --- periods --------------------------------------------------------------------------------


def bucket_start(day: dt.date, period: str, range_start: dt.date) -> dt.date:
    if period == "day":
        return day
    if period == "week":
        return day - dt.timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    if period == "quarter":
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return range_start


def bucket_end(start: dt.date, period: str, range_end: dt.date) -> dt.date:
    if period == "day":
        return start
    if period == "week":
        return start + dt.timedelta(days=6)
    if period in {"month", "quarter"}:
        months = 1 if period == "month" else 3
        year, month = divmod(start.month - 1 + months, 12)
        return dt.date(start.year + year, month + 1, 1) - dt.timedelta(days=1)
    return range_end


def buckets(start: dt.date, end: dt.date, period: str) -> list[tuple[dt.date, dt.date]]:
    """The (first day, last day) of each bucket of `period` between start and end.

    Day buckets are working days only (SPEC §1: the service opens Monday–Friday outside
    public holidays); other buckets are calendar weeks, months, quarters clipped to the range.
    """
    if period not in PERIODS:
        raise ValueError(f"period must be one of {PERIODS}, not {period!r}")
    seen: list[tuple[dt.date, dt.date]] = []
    day = start
    while day <= end:
        if period != "day" or is_working_day(day):
            first = max(bucket_start(day, period, start), start)
            last = min(bucket_end(bucket_start(day, period, start), period, end), end)
            if not seen or seen[-1][0] != first:
                seen.append((first, last))
        day += dt.timedelta(days=1)
    return seen


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


# --- the engine -------------------------------------------------------------------------------------


@dataclass
class _Compiled:
    definition: IndicatorDefinition
    numerator: Expression
    denominator: Expression | None


def _resolve_names(tree: Expression, measures: dict[str, Expression]) -> Expression:
    if isinstance(tree, Name):
        return measures[tree.name]
    if isinstance(tree, BinaryOp):
        return BinaryOp(
            tree.op, _resolve_names(tree.left, measures), _resolve_names(tree.right, measures)
        )
    if isinstance(tree, Negate):
        return Negate(_resolve_names(tree.operand, measures))
    return tree


def _collect_measures(tree: Expression | None, into: list[Measure]) -> None:
    if tree is None or isinstance(tree, Number):
        return
    if isinstance(tree, Measure):
        if tree not in into:
            into.append(tree)
    elif isinstance(tree, BinaryOp):
        _collect_measures(tree.left, into)
        _collect_measures(tree.right, into)
    elif isinstance(tree, Negate):
        _collect_measures(tree.operand, into)


def compile_definitions(
    definitions: Iterable[IndicatorDefinition], measures: dict[str, str]
) -> list[_Compiled]:
    parsed_measures = {
        name: parse(text, sources=SOURCES, measure_names=frozenset())
        for name, text in measures.items()
    }
    compiled = []
    for definition in definitions:
        tree = parse(definition.formula, sources=SOURCES, measure_names=frozenset(measures))
        numerator, denominator = split_ratio(_resolve_names(tree, parsed_measures))
        compiled.append(_Compiled(definition, numerator, denominator))
    return compiled


GrainKey = tuple[str | None, ...]
SourceValues = dict[tuple[dt.date, GrainKey], dict[Measure, float]]
# (source, measures, start, end, period, grain) -> values per (bucket start, grain key), or
# None when the source cannot be split by that grain.
QuerySource = Callable[
    [str, list[Measure], dt.date, dt.date, str, Sequence[str]], SourceValues | None
]


def django_query_source(
    source: str,
    measures: list[Measure],
    start: dt.date,
    end: dt.date,
    period: str,
    grain: Sequence[str],
) -> dict[tuple[dt.date, GrainKey], dict[Measure, float]] | None:
    """Measure values per (bucket start, grain key) for one source; None when the source
    cannot be split by the requested grain (e.g. agent states by reason)."""
    binding = BINDINGS[source]
    # The channel grain is a column where the source has one (surveys), else the source's
    # fixed channel (calls are phone); a source with neither cannot be split by channel.
    fixed_channel = "channel" not in binding.grains
    if any(g not in binding.grains and not (g == "channel" and binding.channel) for g in grain):
        return None
    aggregates = {f"m{index}": measure_aggregate(m, binding) for index, m in enumerate(measures)}
    grain_paths = [binding.grains[g] for g in grain if not (g == "channel" and fixed_channel)]
    results: dict[tuple[dt.date, GrainKey], dict[Measure, float]] = {}

    def grouped(queryset) -> list[dict]:
        # `.values()` with no field would group by primary key: aggregate the whole set instead.
        if grain_paths:
            return list(queryset.values(*grain_paths).annotate(**aggregates))
        return [queryset.aggregate(**aggregates)]

    def key_of(row: dict) -> GrainKey:
        return tuple(
            binding.channel if g == "channel" and fixed_channel else row[binding.grains[g]]
            for g in grain
        )

    if binding.stock_open_field is not None:
        # A stock: for each bucket, records received by its last day and still open then.
        for first, last in buckets(start, end, period):
            stock_filter = Q(**{f"{binding.day_field}__lte": last}) & (
                Q(**{f"{binding.stock_open_field}__isnull": True})
                | Q(**{f"{binding.stock_open_field}__gt": last})
            )
            for row in grouped(binding.model.objects.filter(binding.base, stock_filter)):
                results[(first, key_of(row))] = {m: row[f"m{i}"] for i, m in enumerate(measures)}
        return results

    day_column = binding.day_field
    queryset = binding.model.objects.filter(
        binding.base, **{f"{day_column}__gte": start, f"{day_column}__lte": end}
    )
    if period == "range":
        for row in grouped(queryset):
            results[(start, key_of(row))] = {m: row[f"m{i}"] for i, m in enumerate(measures)}
        return results
    rows = queryset.values(day_column, *grain_paths).annotate(**aggregates)
    # Grouping by day then folding days into buckets in Python keeps the SQL identical on
    # every database (no date truncation functions); a month has at most 23 working days.
    for row in rows:
        day = row[day_column]
        bucket = max(bucket_start(day, period, start), start)
        values = results.setdefault((bucket, key_of(row)), dict.fromkeys(measures, 0))
        for index, measure in enumerate(measures):
            values[measure] += row[f"m{index}"] or 0
    return results


def compute(
    definitions: Sequence[IndicatorDefinition],
    measures: dict[str, str],
    *,
    start: dt.date,
    end: dt.date,
    period: str = "month",
    grain: Sequence[str] = (),
    query_source: QuerySource | None = None,
) -> list[Result]:
    """Every indicator of `definitions` for each bucket of `period` and each grain key.

    `query_source` computes the measures of one source; the default runs on the Django
    database (SQLite or PostgreSQL); `indicators.spark` offers one for Apache Spark.
    """
    query_source = query_source or django_query_source
    unknown = [g for g in grain if g not in GRAINS]
    if unknown:
        raise ValueError(f"unknown grain {unknown}; choose among {GRAINS}")
    compiled = compile_definitions(definitions, measures)
    by_source: dict[str, list[Measure]] = defaultdict(list)
    for item in compiled:
        needed: list[Measure] = []
        _collect_measures(item.numerator, needed)
        _collect_measures(item.denominator, needed)
        for measure in needed:
            if measure.source not in PENDING_SOURCES and measure not in by_source[measure.source]:
                by_source[measure.source].append(measure)
    values_by_source = {
        source: query_source(source, source_measures, start, end, period, grain)
        for source, source_measures in by_source.items()
    }
    all_keys: set[tuple[dt.date, GrainKey]] = set()
    for values in values_by_source.values():
        if values:
            all_keys.update(values)
    bucket_ends = {first: last for first, last in buckets(start, end, period)}
    if not grain:
        all_keys.update((first, ()) for first in bucket_ends)
    # A contact on a closed day (a Saturday campaign, a holiday) still counts: its day shows.
    bucket_ends.update({first: first for first, _key in all_keys if first not in bucket_ends})
    results: list[Result] = []
    for first, key in sorted(all_keys, key=lambda item: (item[0], tuple(str(k) for k in item[1]))):

        def resolve(measure: Expression, first=first, key=key) -> float | None:
            assert isinstance(measure, Measure)
            if measure.source in PENDING_SOURCES:
                return None
            source_values = values_by_source.get(measure.source)
            if source_values is None:
                return None
            return float(source_values.get((first, key), {}).get(measure, 0))

        for item in compiled:
            results.append(
                _result(
                    item, first, bucket_ends[first], tuple(zip(grain, key, strict=True)), resolve
                )
            )
    return results


def _result(item: _Compiled, first: dt.date, last: dt.date, keys, resolve) -> Result:
    numerator = evaluate(item.numerator, resolve)
    denominator = evaluate(item.denominator, resolve) if item.denominator is not None else None
    if item.denominator is None:
        value = numerator
    elif numerator is None or denominator in (None, 0):
        value = None
    else:
        value = numerator / denominator
    target = parse_target(item.definition.target)
    if value is None:
        status = Status.NO_DATA
    elif target is None:
        status = Status.NO_TARGET
    else:
        status = Status.MET if target.is_met(value) else Status.MISSED
    return Result(
        indicator=item.definition.id,
        period_start=first,
        period_end=last,
        keys=keys,
        numerator=numerator,
        denominator=denominator,
        value=value,
        target=item.definition.target,
        status=status,
    )
