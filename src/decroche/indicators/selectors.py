"""Reads of the indicators app: definitions in force, and reports (SPEC §3)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Q

from .catalogue import IndicatorDefinition
from .choices import VersionStatus
from .engine import Result, buckets, compute
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
    results: list[Result] = []
    run: list[tuple[dt.date, dt.date]] = []
    run_versions: tuple[int, ...] | None = None

    def flush() -> None:
        if not run:
            return
        versions = versions_in_force(run[0][0], codes)
        definitions = [as_definition(v) for v in versions]
        if definitions:
            results.extend(
                compute(
                    definitions, {}, start=run[0][0], end=run[-1][1], period=period, grain=grain
                )
            )

    for first, last in buckets(start, end, period):
        key = tuple(v.pk for v in versions_in_force(first, codes))
        if key != run_versions:
            flush()
            run, run_versions = [], key
        run.append((first, last))
    flush()
    return sorted(
        results, key=lambda r: (r.indicator, r.period_start, tuple(str(k[1]) for k in r.keys))
    )
