"""Indicators on Apache Spark, for data that outgrows one database (SPEC §3).

`SparkQuerySource` plugs into `engine.compute(query_source=...)` (or `selectors.compute`):
the same catalogue, the same formulas, the same buckets, read from the Parquet export of
`indicators.parquet`.
Each measure becomes a conditional aggregate (`sum(when(condition, 1))`,
`sum(when(condition, field))`) grouped by local day and grain; days are folded into
buckets in Python with the same `periods.bucket_start` as the Django query source
(`queries.source`).

Conditions follow the SQL the Django engine emits: a comparison with an empty value is
false, and `not` turns it true (Django adds `IS NOT NULL` inside negations), so every
comparison is made two-valued here with `coalesce(..., false)`.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from django.db.models import Q
from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F

from .bindings import SourceBinding, binding_of
from .engine import GrainKey, SourceValues
from .formula import BoolOp, Comparison, Condition, Measure, Not
from .parquet import table_name
from .periods import bucket_start, buckets


def spark_session(app_name: str = "decroche-indicators", cores: int = 2) -> SparkSession:
    """A local Spark session: `local[cores]`, few shuffle partitions, no UI, loopback only."""
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    return (
        SparkSession.builder.master(f"local[{cores}]")
        .appName(app_name)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(cores * 2))
        .config("spark.default.parallelism", str(cores * 2))
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", os.environ.get("DECROCHE_SPARK_MEMORY", "2g"))
        .getOrCreate()
    )


# --- compiling conditions -------------------------------------------------------------------


def condition_to_column(condition: Condition) -> Column:
    """A parsed condition as a two-valued Spark boolean column (never null)."""
    if isinstance(condition, BoolOp):
        combined = condition_to_column(condition.operands[0])
        for operand in condition.operands[1:]:
            other = condition_to_column(operand)
            combined = combined & other if condition.op == "and" else combined | other
        return combined
    if isinstance(condition, Not):
        return ~condition_to_column(condition.operand)
    assert isinstance(condition, Comparison)
    column = F.col(condition.field)
    if condition.op == "is null":
        return column.isNull()
    if condition.op == "is not null":
        return column.isNotNull()
    if condition.op == "!=":
        # Django writes `!=` as NOT (field = value): an empty field is "different".
        return F.coalesce(column != F.lit(condition.value), F.lit(True))
    if condition.op == "in":
        test = column.isin(list(condition.value))
    else:
        value = F.lit(condition.value)
        test = {
            "=": column == value,
            "<": column < value,
            "<=": column <= value,
            ">": column > value,
            ">=": column >= value,
        }[condition.op]
    return F.coalesce(test, F.lit(False))


def measure_column(measure: Measure) -> Column:
    """A conditional count or sum; 0 rather than null when no row matches."""
    matched = (
        condition_to_column(measure.condition) if measure.condition is not None else F.lit(True)
    )
    if measure.aggregate == "count":
        return F.sum(F.when(matched, F.lit(1)).otherwise(F.lit(0)))
    return F.coalesce(F.sum(F.when(matched, F.col(measure.field))), F.lit(0))


def base_filter(condition: Q) -> Column:
    """The binding's fixed filter: `field__isnull`, `field__in` and equality forms."""
    column = F.lit(True)
    for child in condition.children:
        if isinstance(child, Q):
            raise NotImplementedError("nested base filters are not used by any source")
        lookup, value = child
        field, _, suffix = lookup.partition("__")
        if suffix == "isnull":
            test = F.col(field).isNull() if value else F.col(field).isNotNull()
        elif not suffix:
            test = F.coalesce(F.col(field) == F.lit(value), F.lit(False))
        elif suffix == "in":
            test = F.coalesce(F.col(field).isin([str(v) for v in value]), F.lit(False))
        else:
            raise NotImplementedError(f"base filter lookup {lookup!r}")
        column = column & test
    return ~column if condition.negated else column


# --- the query source -----------------------------------------------------------------------


class SparkQuerySource:
    """`engine.QuerySource` on Spark, reading `directory/<table>/*.parquet`."""

    def __init__(self, spark: SparkSession, directory: Path | str) -> None:
        self.spark = spark
        self.directory = Path(directory)
        self._frames: dict[str, DataFrame] = {}

    def frame(self, binding: SourceBinding) -> DataFrame:
        name = table_name(binding)
        if name not in self._frames:
            self._frames[name] = self.spark.read.parquet(str(self.directory / name))
        return self._frames[name]

    def __call__(
        self,
        source: str,
        measures: list[Measure],
        start: dt.date,
        end: dt.date,
        period: str,
        grain: Sequence[str],
    ) -> SourceValues | None:
        binding = binding_of(source)
        # A later app's source not bound yet, or rows that no table holds (read from the
        # database only): no data.
        if binding is None or binding.rows is not None:
            return None
        # Same rules as queries.tables.can_split: the channel grain is a column where the
        # source has one, else its fixed channel; a source with neither cannot be split.
        fixed_channel = "channel" not in binding.grains
        if any(g not in binding.grains and not (g == "channel" and binding.channel) for g in grain):
            return None
        grain_columns = [g for g in grain if not (g == "channel" and fixed_channel)]
        aggregates = [measure_column(m).alias(f"m{i}") for i, m in enumerate(measures)]
        frame = self.frame(binding).where(base_filter(binding.base))

        def key_of(row) -> GrainKey:
            return tuple(
                binding.channel if g == "channel" and fixed_channel else row[g] for g in grain
            )

        def values_of(row) -> dict[Measure, float]:
            return {
                m: row[f"m{i}"] or 0 for i, m in enumerate(measures)
            }  # an empty global group: None

        if binding.stock_open_field is not None:
            return self._stock(binding, frame, measures, (start, end, period), grain, key_of)
        results: SourceValues = {}
        day = F.col(binding.day_field)
        frame = frame.where(day.isNotNull() & (day >= F.lit(start)) & (day <= F.lit(end)))
        if period == "range":
            rows = frame.groupBy(*grain_columns).agg(*aggregates).collect()
            for row in rows:
                results[(start, key_of(row))] = values_of(row)
            return results
        rows = frame.groupBy(binding.day_field, *grain_columns).agg(*aggregates).collect()
        for row in rows:
            first = max(bucket_start(row[binding.day_field], period, start), start)
            values = results.setdefault((first, key_of(row)), dict.fromkeys(measures, 0))
            for index, measure in enumerate(measures):
                values[measure] += row[f"m{index}"] or 0
        return results

    def _stock(self, binding, frame, measures, span, grain, key_of) -> SourceValues:
        """Records received by each bucket's last day and still open then (a backlog)."""
        start, end, period = span
        with warnings.catch_warnings():
            # PySpark checks the pandas version even for a list of tuples; pandas is unused.
            warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas")
            periods = self.spark.createDataFrame(
                buckets(start, end, period, closed_days=True),
                schema="bucket_first date, bucket_last date",
            )
        received = F.col(binding.day_field)
        closed = F.col(binding.stock_open_field)
        open_then = (received <= F.col("bucket_last")) & (
            closed.isNull() | (closed > F.col("bucket_last"))
        )
        grain_columns = [g for g in grain if g in binding.grains]  # a fixed channel is no column
        rows = (
            frame.join(F.broadcast(periods), open_then, "inner")
            .groupBy("bucket_first", *grain_columns)
            .agg(*[measure_column(m).alias(f"m{i}") for i, m in enumerate(measures)])
            .collect()
        )
        results: SourceValues = {
            (row["bucket_first"], key_of(row)): {m: row[f"m{i}"] for i, m in enumerate(measures)}
            for row in rows
        }
        if not grain:
            # The database aggregate gives a row for every bucket, even an empty one.
            for first, _last in buckets(start, end, period, closed_days=True):
                results.setdefault((first, ()), dict.fromkeys(measures, 0))
        return results
