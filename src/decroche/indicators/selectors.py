"""Reads of the indicators app: definitions in force, and reports (SPEC §3).

`compute` and `compute_grains` wire the Django query source (`queries.source`) into the
pure engine (`engine.py`); the reports build on them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q

from . import engine
from .catalogue import IndicatorDefinition
from .choices import VersionStatus
from .engine import Grain, QuerySource, Result, Status, grain_by_grain
from .models import IndicatorVersion
from .periods import buckets, uncovered
from .queries.source import django_query_grains
from .queries.summary import one_reading


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
    """`engine.compute` on the Django database (SQLite or PostgreSQL), or on `query_source`
    when given (`spark.SparkQuerySource` for Apache Spark)."""
    grain = tuple(grain)
    return compute_grains(
        definitions,
        measures,
        start=start,
        end=end,
        period=period,
        grains=[grain],
        query_source=query_source,
    )[grain]


def compute_grains(
    definitions: Sequence[IndicatorDefinition],
    measures: dict[str, str],
    *,
    start: dt.date,
    end: dt.date,
    period: str = "month",
    grains: Sequence[Sequence[str]] = ((),),
    query_source: QuerySource | None = None,
) -> dict[Grain, list[Result]]:
    """`engine.compute_grains` on the Django database: each source is read once for all
    the grains, and the summary's freshness digest of the reference tables is computed once
    for all the sources. Another `query_source` is asked grain by grain."""
    source = grain_by_grain(query_source) if query_source is not None else django_query_grains
    with one_reading():
        return engine.compute_grains(
            definitions,
            measures,
            start=start,
            end=end,
            period=period,
            grains=grains,
            query_source=source,
        )


def as_definition(version: IndicatorVersion) -> IndicatorDefinition:
    return IndicatorDefinition(
        id=version.code,
        label=version.label,
        category=version.category,
        purpose=version.purpose,
        formula_text=version.formula_text,
        formula=version.resolved_formula or version.formula,
        unit=version.unit,
        target=version.target,
        valid_from=version.valid_from,
        pending_source=version.pending_source,
        target_note=version.target_note,
    )


def versions_in_force(day: dt.date, codes: Sequence[str] | None = None) -> list[IndicatorVersion]:
    """The published version of each indicator valid on `day`."""
    queryset = IndicatorVersion.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        status=VersionStatus.PUBLISHED,
        valid_from__lte=day,
    )
    if codes:
        queryset = queryset.filter(code__in=codes)
    return list(queryset.order_by("category", "code"))


def published_versions(codes: Sequence[str] | None = None) -> list[IndicatorVersion]:
    """Every published version (of `codes` when given), by category, code and start."""
    queryset = IndicatorVersion.objects.filter(status=VersionStatus.PUBLISHED)
    if codes:
        queryset = queryset.filter(code__in=codes)
    return list(queryset.order_by("category", "code", "valid_from"))


def versions_during(
    start: dt.date, end: dt.date, codes: Sequence[str] | None = None
) -> list[IndicatorVersion]:
    """The published versions in force on at least one day of start..end, by category,
    code and start (a report's definitions: its cover sheet, its labels and units)."""
    return [
        version
        for version in published_versions(codes)
        if version.valid_from <= end and (version.valid_to is None or version.valid_to >= start)
    ]


def _in_force(versions: Sequence[IndicatorVersion], day: dt.date) -> list[IndicatorVersion]:
    return [
        v for v in versions if v.valid_from <= day and (v.valid_to is None or v.valid_to >= day)
    ]


@dataclass(frozen=True)
class NotInForce:
    """Days of a report on which an indicator has no published version: not measured."""

    indicator: str
    label: str
    start: dt.date
    end: dt.date

    def as_dict(self) -> dict:
        """A row of the report's JSON, with the keys of a result and `not_in_force`."""
        return {
            "indicator": self.indicator,
            "period_start": self.start.isoformat(),
            "period_end": self.end.isoformat(),
            "numerator": None,
            "denominator": None,
            "value": None,
            "target": None,
            "status": Status.NOT_IN_FORCE,
            "not_in_force": True,
            "label": self.label,
        }

    def __str__(self) -> str:
        return (
            f"{self.indicator}: no version in force from {self.start.isoformat()} "
            f"to {self.end.isoformat()}, not measured"
        )


def not_in_force(
    *,
    start: dt.date,
    end: dt.date,
    codes: Sequence[str] | None = None,
    versions: Sequence[IndicatorVersion] | None = None,
) -> list[NotInForce]:
    """For each indicator (of `codes`, else every published one), the runs of start..end
    where none of its versions is in force, in indicator then date order."""
    if versions is None:
        versions = published_versions(codes)
    by_code: dict[str, list[IndicatorVersion]] = defaultdict(list)
    for version in versions:
        by_code[version.code].append(version)
    gaps = []
    for code in sorted(by_code):
        code_versions = by_code[code]
        label = max(code_versions, key=lambda v: v.version).label
        spans = [(v.valid_from, v.valid_to) for v in code_versions]
        gaps.extend(
            NotInForce(code, label, first, last) for first, last in uncovered(start, end, spans)
        )
    return gaps


def indicator_report(
    *,
    start: dt.date,
    end: dt.date,
    period: str = "month",
    grain: Sequence[str] = (),
    codes: Sequence[str] | None = None,
) -> list[Result]:
    """Indicators for each bucket of the range, each bucket computed with the definitions in
    force on its first day (a definition changing mid-bucket applies from the next one).

    Days on which an indicator has no version at all (`not_in_force`) are not measured for
    it: a bucket is cut where such days begin or end, so that a version starting on 16 March
    gives a month row from 16 to 31 March, and nothing for 1 to 15 March."""
    grain = tuple(grain)
    return indicator_reports(start=start, end=end, period=period, grains=[grain], codes=codes)[
        grain
    ]


def indicator_reports(
    *,
    start: dt.date,
    end: dt.date,
    period: str = "month",
    grains: Sequence[Sequence[str]] = ((),),
    codes: Sequence[str] | None = None,
) -> dict[tuple[str, ...], list[Result]]:
    """`indicator_report` for several grains at once, {grain: results}: each source is read
    once for every grain (and from the daily summary when it is fresh)."""
    grains = list(dict.fromkeys(tuple(g) for g in grains))
    results: dict[tuple[str, ...], list[Result]] = {grain: [] for grain in grains}
    versions = published_versions(codes)
    # Indicators are cut where their own days without a version begin or end; those with
    # the same cuts (most often none) are computed together.
    cuts: dict[str, set[dt.date]] = {v.code: set() for v in versions}
    for gap in not_in_force(start=start, end=end, versions=versions):
        cuts[gap.indicator].update((gap.start, gap.end + dt.timedelta(days=1)))
    groups: dict[frozenset[dt.date], set[str]] = defaultdict(set)
    for code, code_cuts in cuts.items():
        groups[frozenset(code_cuts)].add(code)
    for group_cuts, group_codes in groups.items():
        group_versions = [v for v in versions if v.code in group_codes]
        for segment_start, segment_end in _segments(start, end, group_cuts):
            _compute_runs(group_versions, segment_start, segment_end, period, grains, into=results)
    return {
        grain: sorted(
            grain_results,
            key=lambda r: (r.indicator, r.period_start, tuple(str(k[1]) for k in r.keys)),
        )
        for grain, grain_results in results.items()
    }


def _compute_runs(
    versions: Sequence[IndicatorVersion],
    start: dt.date,
    end: dt.date,
    period: str,
    grains: list[tuple[str, ...]],
    *,
    into: dict[tuple[str, ...], list[Result]],
) -> None:
    """Compute start..end in runs of buckets sharing the versions in force on their first
    day. At the day grain every calendar day is looked at: a closed day's contacts are
    computed with the versions in force that day (the engine shows only those days)."""
    run: list[tuple[dt.date, dt.date]] = []
    run_versions: list[IndicatorVersion] = []

    def flush() -> None:
        if not run or not run_versions:
            return
        definitions = [as_definition(v) for v in run_versions]
        computed = compute_grains(
            definitions, {}, start=run[0][0], end=run[-1][1], period=period, grains=grains
        )
        for grain, grain_results in computed.items():
            into[grain].extend(grain_results)

    for first, last in buckets(start, end, period, closed_days=True):
        in_force = _in_force(versions, first)
        if [v.pk for v in in_force] != [v.pk for v in run_versions]:
            flush()
            run, run_versions = [], in_force
        run.append((first, last))
    flush()


def _segments(start: dt.date, end: dt.date, cuts) -> list[tuple[dt.date, dt.date]]:
    """start..end cut before each day of `cuts`."""
    firsts = sorted({start} | {day for day in cuts if start < day <= end})
    return [
        (first, (firsts[index + 1] - dt.timedelta(days=1)) if index + 1 < len(firsts) else end)
        for index, first in enumerate(firsts)
    ]
