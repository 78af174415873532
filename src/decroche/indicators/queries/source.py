"""The engine's query source on the Django database, for several grains at once (SPEC §3).

Each source is read ONCE at the finest grain the requested grains need, then folded in
Python into every grain: counts and sums are additive, so the folded figures are exactly
those of one query per grain. When the daily summary (`queries.summary`) is fresh and holds
the measures, it is read instead of the contact tables (`queries.tables`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ..bindings import BINDINGS, binding_of
from ..engine import Grain, SourceValues
from ..folding import fold
from ..formula import Measure
from . import summary
from .tables import can_split, fine_columns, fixed_channel, live_fine_values


def django_query_grains(
    source: str,
    measures: list[Measure],
    start: dt.date,
    end: dt.date,
    period: str,
    grains: Sequence[Grain],
    *,
    use_summary: bool = True,
) -> dict[Grain, SourceValues | None]:
    """`engine.GrainsQuerySource` on the Django database: measure values per (bucket start,
    grain key) for every grain, from one read of the source; None for a grain the source
    cannot be split by (e.g. agent states by reason)."""
    results: dict[Grain, SourceValues | None] = {tuple(g): None for g in grains}
    binding = binding_of(source)
    if binding is None:  # a later app's source, not bound yet: no data
        return results
    splittable = [tuple(g) for g in grains if can_split(binding, g)]
    if not splittable:
        return results
    # Looked up on the module at each call, so that a test or the benchmark can set the
    # summary aside by replacing `summary.summary_fine_values`.
    fine = (
        summary.summary_fine_values(source, measures, start, end, period)
        if use_summary and source in BINDINGS
        else None
    )
    if fine is None:
        columns = fine_columns(binding, splittable)
        fine = live_fine_values(binding, measures, start, end, period, columns)
    for grain in splittable:
        results[grain] = {
            group: dict(zip(measures, totals.tolist(), strict=True))
            for group, totals in fold(fine, grain, fixed_channel(binding)).items()
        }
    return results
