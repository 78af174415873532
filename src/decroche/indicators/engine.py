"""Computing indicators for any period and grain (SPEC §3): the pure engine, no Django import.

A query source gives every measure the requested indicators need (conditional counts and
sums) per (bucket, grain key); formulas are then evaluated in Python. The engine takes its
query source as an argument: `selectors.compute` wires in the Django database
(`queries.source`, each source read once for all the grains asked, from the daily summary
when it is fresh), `spark.SparkQuerySource` reads Parquet files. Results carry numerator,
denominator, value, target and status.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .catalogue import IndicatorDefinition, parse_target
from .formula import (
    BinaryOp,
    Expression,
    Measure,
    Name,
    Negate,
    Number,
    evaluate,
    parse,
    split_ratio,
)
from .periods import buckets
from .sources import GRAINS, SOURCES, STOCK_SOURCES


class Status:
    MET = "met"
    MISSED = "missed"
    NO_TARGET = "no_target"
    NO_DATA = "no_data"
    # Not a result's status: a row of days without any version (`selectors.NotInForce`).
    NOT_IN_FORCE = "not_in_force"


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


def is_stock(source: str) -> bool:
    """A stock (the forms backlog) is measured at each bucket's last day, not over it."""
    return source in STOCK_SOURCES


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


def collect_measures(tree: Expression | None, into: list[Measure]) -> None:
    """Add to `into` every measure of `tree` not there yet, in order of appearance."""
    if tree is None or isinstance(tree, Number):
        return
    if isinstance(tree, Measure):
        if tree not in into:
            into.append(tree)
    elif isinstance(tree, BinaryOp):
        collect_measures(tree.left, into)
        collect_measures(tree.right, into)
    elif isinstance(tree, Negate):
        collect_measures(tree.operand, into)


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
Grain = tuple[str, ...]
SourceValues = dict[tuple[dt.date, GrainKey], dict[Measure, float]]
# (source, measures, start, end, period, grain) -> values per (bucket start, grain key), or
# None when the source cannot be split by that grain.
QuerySource = Callable[
    [str, list[Measure], dt.date, dt.date, str, Sequence[str]], SourceValues | None
]
# The same for several grains at once, {grain: values or None}: a source read once for all.
GrainsQuerySource = Callable[
    [str, list[Measure], dt.date, dt.date, str, Sequence[Grain]],
    dict[Grain, SourceValues | None],
]


def grain_by_grain(query_source: QuerySource) -> GrainsQuerySource:
    """A `QuerySource` asked once per grain, as a `GrainsQuerySource`."""

    def read(
        source: str,
        measures: list[Measure],
        start: dt.date,
        end: dt.date,
        period: str,
        grains: Sequence[Grain],
    ) -> dict[Grain, SourceValues | None]:
        return {
            tuple(grain): query_source(source, measures, start, end, period, grain)
            for grain in grains
        }

    return read


def compute(
    definitions: Sequence[IndicatorDefinition],
    measures: dict[str, str],
    *,
    start: dt.date,
    end: dt.date,
    period: str = "month",
    grain: Sequence[str] = (),
    query_source: QuerySource,
) -> list[Result]:
    """Every indicator of `definitions` for each bucket of `period` and each grain key,
    the measures of each source computed by `query_source`."""
    grain = tuple(grain)
    return compute_grains(
        definitions,
        measures,
        start=start,
        end=end,
        period=period,
        grains=[grain],
        query_source=grain_by_grain(query_source),
    )[grain]


def compute_grains(
    definitions: Sequence[IndicatorDefinition],
    measures: dict[str, str],
    *,
    start: dt.date,
    end: dt.date,
    period: str = "month",
    grains: Sequence[Sequence[str]] = ((),),
    query_source: GrainsQuerySource,
) -> dict[Grain, list[Result]]:
    """`compute` for several grains at once: {grain: results}, each exactly what `compute`
    gives for that grain; `query_source` reads each source once for all the grains."""
    grain_list = list(dict.fromkeys(tuple(g) for g in grains))
    unknown = sorted({g for grain in grain_list for g in grain if g not in GRAINS})
    if unknown:
        raise ValueError(f"unknown grain {unknown}; choose among {GRAINS}")
    compiled = compile_definitions(definitions, measures)
    by_source: dict[str, list[Measure]] = defaultdict(list)
    for item in compiled:
        needed: list[Measure] = []
        collect_measures(item.numerator, needed)
        collect_measures(item.denominator, needed)
        for measure in needed:
            if measure not in by_source[measure.source]:
                by_source[measure.source].append(measure)
    values_by_grain: dict[Grain, dict[str, SourceValues | None]] = {
        grain: {} for grain in grain_list
    }
    for source, source_measures in by_source.items():
        per_grain = query_source(source, source_measures, start, end, period, grain_list)
        for grain, values in per_grain.items():
            values_by_grain[grain][source] = values
    return {
        grain: _assemble(compiled, values_by_grain[grain], start, end, period, grain)
        for grain in grain_list
    }


def _assemble(
    compiled: list[_Compiled],
    values_by_source: dict[str, SourceValues | None],
    start: dt.date,
    end: dt.date,
    period: str,
    grain: tuple[str, ...],
) -> list[Result]:
    """Evaluate every definition for each (bucket, grain key) some source has values for."""
    flow_keys: set[tuple[dt.date, GrainKey]] = set()
    stock_keys: set[tuple[dt.date, GrainKey]] = set()
    for source, values in values_by_source.items():
        if values:
            (stock_keys if is_stock(source) else flow_keys).update(values)
    bucket_ends = {first: last for first, last in buckets(start, end, period)}
    # A contact on a closed day (a Saturday campaign, a holiday, outside data recorded on a
    # day closed in France) still counts: its day shows. A stock, measured on every calendar
    # day, shows a closed day only beside such contacts.
    bucket_ends.update({first: first for first, _key in flow_keys if first not in bucket_ends})
    all_keys = flow_keys | {item for item in stock_keys if item[0] in bucket_ends}
    if not grain:
        all_keys.update((first, ()) for first in bucket_ends)
    results: list[Result] = []
    for first, key in sorted(all_keys, key=lambda item: (item[0], tuple(str(k) for k in item[1]))):

        def resolve(measure: Expression, first=first, key=key) -> float | None:
            assert isinstance(measure, Measure)
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
