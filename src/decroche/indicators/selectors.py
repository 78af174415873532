"""Reads of the indicators app: definitions in force, and reports (SPEC §3)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Q

from .catalogue import IndicatorDefinition
from .choices import VersionStatus
from .engine import Result, buckets, compute_grains
from .models import IndicatorVersion


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


def indicator_report(
    *,
    start: dt.date,
    end: dt.date,
    period: str = "month",
    grain: Sequence[str] = (),
    codes: Sequence[str] | None = None,
) -> list[Result]:
    """Indicators for each bucket of the range, each bucket computed with the definitions in
    force on its first day (a definition changing mid-bucket applies from the next one)."""
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
    run: list[tuple[dt.date, dt.date]] = []
    run_versions: tuple[int, ...] | None = None

    def flush() -> None:
        if not run:
            return
        versions = versions_in_force(run[0][0], codes)
        definitions = [as_definition(v) for v in versions]
        if definitions:
            computed = compute_grains(
                definitions, {}, start=run[0][0], end=run[-1][1], period=period, grains=grains
            )
            for grain, grain_results in computed.items():
                results[grain].extend(grain_results)

    for first, last in buckets(start, end, period):
        key = tuple(v.pk for v in versions_in_force(first, codes))
        if key != run_versions:
            flush()
            run, run_versions = [], key
        run.append((first, last))
    flush()
    return {
        grain: sorted(
            grain_results,
            key=lambda r: (r.indicator, r.period_start, tuple(str(k[1]) for k in r.keys)),
        )
        for grain, grain_results in results.items()
    }
