"""Writes of the indicators app: drafts, publication, loading the shipped catalogue, and
refreshing the daily summary the dashboards read."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from decroche.core.services import log_action

from .bindings import BINDINGS, SourceBinding
from .catalogue import CatalogueError, load_catalogue, parse_target
from .choices import VersionStatus
from .engine import collect_measures, compile_definitions
from .folding import FineValues
from .formula import FormulaError, Measure, inline_names, parse, to_text
from .models import DaySummary, IndicatorVersion, MeasureDefinition, SummaryState
from .queries.summary import fingerprint, presence_measure, reference_digest
from .queries.tables import live_fine_values, measure_aggregate
from .selectors import as_definition
from .sources import SOURCES

EVER = (dt.date(1900, 1, 1), dt.date(9999, 12, 31))


def _measure_trees() -> dict:
    return {
        measure.name: parse(measure.expression, sources=SOURCES, measure_names=frozenset())
        for measure in MeasureDefinition.objects.all()
    }


def check_indicator_formula(formula: str) -> None:
    """Raise a ValidationError pointing at the faulty position of `formula`."""
    names = frozenset(MeasureDefinition.objects.values_list("name", flat=True))
    try:
        parse(formula, sources=SOURCES, measure_names=names)
    except FormulaError as error:
        raise ValidationError(
            {
                "formula": _("%(message)s at character %(position)d:\n%(pointer)s")
                % {
                    "message": error.message,
                    "position": error.position + 1,
                    "pointer": error.pointer(),
                }
            }
        ) from error


@transaction.atomic
def indicator_draft_create(*, code: str, user=None, **fields) -> IndicatorVersion:
    """A new draft version of indicator `code` (a new indicator when the code is new)."""
    check_indicator_formula(fields.get("formula", ""))
    try:
        parse_target(fields.get("target", ""))
    except CatalogueError as error:
        raise ValidationError({"target": str(error)}) from error
    latest = (
        IndicatorVersion.objects.filter(code=code).aggregate(latest=Max("version"))["latest"] or 0
    )
    draft = IndicatorVersion(
        code=code, version=latest + 1, status=VersionStatus.DRAFT, created_by=user, **fields
    )
    draft.full_clean()
    draft.save()
    log_action(
        "indicators.version.drafted", user=user, data={"code": code, "version": draft.version}
    )
    return draft


@transaction.atomic
def indicator_publish(
    *, draft: IndicatorVersion, valid_from: dt.date, user=None
) -> IndicatorVersion:
    """Publish a draft from `valid_from`; the version in force until then ends the day before.

    The formula is frozen with its measures inlined, so that history stays computable.
    """
    if draft.status != VersionStatus.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    check_indicator_formula(draft.formula)
    current = (
        IndicatorVersion.objects.select_for_update()
        .filter(code=draft.code, status=VersionStatus.PUBLISHED, valid_to__isnull=True)
        .first()
    )
    if current is not None:
        if valid_from <= current.valid_from:
            raise ValidationError(
                {
                    "valid_from": _(
                        "A new version must start after the one in force (from %(date)s)."
                    )
                    % {"date": current.valid_from.isoformat()}
                }
            )
        current.valid_to = valid_from - dt.timedelta(days=1)
        current.save(update_fields=["valid_to"])
    tree = inline_names(parse(draft.formula, sources=SOURCES), _measure_trees())
    draft.resolved_formula = to_text(tree)
    draft.valid_from = valid_from
    draft.status = VersionStatus.PUBLISHED
    draft.published_by = user
    draft.published_at = timezone.now()
    draft.save()
    log_action(
        "indicators.version.published",
        user=user,
        data={"code": draft.code, "version": draft.version, "valid_from": valid_from.isoformat()},
    )
    return draft


@transaction.atomic
def catalogue_load(*, user=None) -> tuple[int, int]:
    """Load the shipped catalogue: its measures, and each indicator not yet in the database
    as a published version 1. Idempotent; returns (measures added, indicators added)."""
    catalogue = load_catalogue()
    measures_added = 0
    for name, expression in catalogue.measures.items():
        _measure, created = MeasureDefinition.objects.get_or_create(
            name=name, defaults={"expression": expression}
        )
        measures_added += created
    indicators_added = 0
    known = set(IndicatorVersion.objects.values_list("code", flat=True))
    for definition in catalogue.indicators:
        if definition.id in known:
            _first_version_backdate(definition.id, definition.valid_from, user=user)
            continue
        draft = IndicatorVersion.objects.create(
            code=definition.id,
            version=1,
            label=definition.label,
            category=definition.category,
            purpose=definition.purpose,
            formula_text=definition.formula_text,
            formula=definition.formula,
            unit=definition.unit,
            target=definition.target,
            target_note=definition.target_note,
            pending_source=definition.pending_source,
            valid_from=definition.valid_from,
            change_note=f"Catalogue v{catalogue.version}",
            created_by=user,
        )
        indicator_publish(draft=draft, valid_from=definition.valid_from, user=user)
        indicators_added += 1
    return measures_added, indicators_added


def _first_version_backdate(code: str, valid_from: dt.date, *, user=None) -> None:
    """A database loaded with an older catalogue, whose first versions started at the
    contract's start, gets them from the catalogue's date (now the beginning). Only a first
    version loaded from the catalogue moves, and only earlier: one published by a user
    keeps its date."""
    first = (
        IndicatorVersion.objects.filter(code=code, status=VersionStatus.PUBLISHED)
        .order_by("valid_from")
        .first()
    )
    if (
        first is None
        or first.version != 1
        or not first.change_note.startswith("Catalogue v")
        or first.valid_from <= valid_from
    ):
        return
    previous = first.valid_from
    first.valid_from = valid_from
    first.save(update_fields=["valid_from"])
    log_action(
        "indicators.version.backdated",
        user=user,
        data={
            "code": code,
            "version": first.version,
            "valid_from": valid_from.isoformat(),
            "previous_valid_from": previous.isoformat(),
        },
    )


# --- the daily summary (SPEC §3) ----------------------------------------------------------------
#
# `refresh_summary()` (the `decroche refresh-summary` command, run after imports) reads each
# source once and stores, per (source, day), the value of every measure the catalogue and
# the stored indicator versions use, for each (site, team, reason, advisor[, channel]) key
# present that day. A month is then a few thousand summary entries instead of the ~130,000
# calls behind them, and every grain is folded from them (`folding.fold`). Contacts are only
# ever inserted (imports skip duplicates); after deleting contacts, refresh the summary.
#
# A stock (`open_forms`, the backlog) is stored as daily movements: +1 on the day a form is
# received, −1 on the day it is answered (when later).


def measures_in_use() -> dict[str, list[Measure]]:
    """Per source, every measure of the shipped catalogue and of every stored version."""
    catalogue = load_catalogue()
    compiled = compile_definitions(catalogue.indicators, catalogue.measures)
    compiled += compile_definitions([as_definition(v) for v in IndicatorVersion.objects.all()], {})
    found: list[Measure] = []
    for item in compiled:
        collect_measures(item.numerator, found)
        collect_measures(item.denominator, found)
    by_source: dict[str, list[Measure]] = {source: [] for source in BINDINGS}
    for measure in found:
        if measure.source in by_source and measure not in by_source[measure.source]:
            by_source[measure.source].append(measure)
    return by_source


def _stock_movements(
    binding: SourceBinding, measures: list[Measure], days: set[dt.date] | None = None
) -> FineValues:
    """+values on the receiving day of records still open after it, −values on the day
    they close: a record is open at day L when received ≤ L < closed (only the movements
    of `days` when given)."""
    import numpy as np

    aggregates = {f"m{i}": measure_aggregate(m, binding) for i, m in enumerate(measures)}
    paths = [binding.grains[c] for c in binding.grains]
    received, closed = binding.day_field, binding.stock_open_field
    opening = binding.model.objects.filter(
        binding.base,
        Q(**{f"{closed}__isnull": True}) | Q(**{f"{closed}__gt": F(received)}),
        **{f"{received}__isnull": False},
    )
    closing = binding.model.objects.filter(binding.base, **{f"{closed}__gt": F(received)})
    if days is not None:
        opening = opening.filter(**{f"{received}__in": sorted(days)})
        closing = closing.filter(**{f"{closed}__in": sorted(days)})
    day_list, keys, rows = [], [], []
    for queryset, day_column, sign in ((opening, received, 1), (closing, closed, -1)):
        for row in queryset.values(day_column, *paths).annotate(**aggregates):
            day_list.append(row[day_column])
            keys.append(tuple(row[p] for p in paths))
            rows.append([sign * (row[f"m{i}"] or 0) for i in range(len(measures))])
    values = np.array(rows, dtype=np.float64).reshape(len(rows), len(measures))
    return FineValues.from_rows(tuple(binding.grains), day_list, keys, values)


def refresh_summary(*, sources: list[str] | None = None) -> dict[str, int]:
    """Recompute the summary of each source from its table; {source: days stored}."""
    in_use = measures_in_use()
    stored: dict[str, int] = {}
    for source in sources or list(BINDINGS):
        measures = [*in_use[source], presence_measure(source)]
        stored[source] = _rewrite(source, measures, labels={})
    return stored


def _rewrite(
    source: str,
    measures: list[Measure],
    *,
    labels: dict[str, list],
    days: set[dt.date] | None = None,
) -> int:
    """Recompute the summary of `source` (only `days` when given, keeping the key codes of
    `labels`, the state's) and record the fingerprint; the number of days written."""
    import numpy as np

    binding = BINDINGS[source]
    data_fingerprint = fingerprint(binding)  # taken first: later rows make it stale
    if binding.stock_open_field is not None:
        fine = _stock_movements(binding, measures, days)
    elif days is not None:
        fine = live_fine_values(
            binding, measures, min(days), max(days), "day", tuple(binding.grains), days
        )
    else:
        fine = live_fine_values(binding, measures, *EVER, "day", tuple(binding.grains))
    labels = {column: list(labels.get(column, [])) for column in binding.grains}
    codes = np.zeros((len(fine), len(binding.grains)), dtype=np.int32)
    for position, column in enumerate(binding.grains):
        part = fine.column(column)
        known = {value: code for code, value in enumerate(labels[column])}
        for value in part.labels:
            if value not in known:
                known[value] = len(labels[column])
                labels[column].append(value)
        to_global = np.array([known[value] for value in part.labels], dtype=np.int32)
        codes[:, position] = to_global[part.codes] if len(part.codes) else []
    day_of_row = fine.buckets.codes
    order = np.argsort(day_of_row, kind="stable")
    cuts = np.flatnonzero(np.diff(day_of_row[order])) + 1
    by_day = {
        fine.buckets.labels[int(day_of_row[rows[0]])]: rows
        for rows in np.split(order, cuts)
        if len(rows)
    }
    with transaction.atomic():
        replaced = DaySummary.objects.filter(source=source)
        if days is not None:
            replaced = replaced.filter(day__in=sorted(days))
        replaced.delete()
        DaySummary.objects.bulk_create(
            [
                DaySummary(
                    source=source,
                    day=day,
                    keys=np.ascontiguousarray(codes[rows]).tobytes(),
                    values=np.ascontiguousarray(fine.values[rows]).tobytes(),
                )
                for day, rows in by_day.items()
            ],
            batch_size=500,
        )
        SummaryState.objects.update_or_create(
            source=source,
            defaults={
                "measures": [to_text(m) for m in measures],
                "labels": labels,
                "fingerprint": data_fingerprint,
            },
        )
    return len(by_day) if days is None else len(days)


# --- refreshing only the days an import touched ----------------------------------------------


def _fingerprint_before(binding: SourceBinding, batch_id: int) -> str:
    """The fingerprint the table had before import `batch_id` added its rows (they hold the
    highest primary keys)."""
    highest = binding.model.objects.exclude(import_batch_id=batch_id).aggregate(highest=Max("pk"))[
        "highest"
    ]
    return f"{binding.model._meta.label_lower}:{highest}:{reference_digest()}"


def _days_touched(binding: SourceBinding, batch_id: int) -> set[dt.date]:
    rows = binding.model.objects.filter(binding.base, import_batch_id=batch_id)
    days = set(rows.values_list(binding.day_field, flat=True).distinct())
    if binding.stock_open_field is not None:
        days |= set(rows.values_list(binding.stock_open_field, flat=True).distinct())
    return days - {None}


def refresh_summary_after_import(
    batch_id: int, also_changed: dict[type, set[dt.date]] | None = None
) -> dict[str, int]:
    """After import `batch_id`: recompute only the days its rows fall on (and the days in
    `also_changed`, per model: calls whose repeat delay changed). A source without a
    summary, or whose summary was already stale before the import (or lacks a measure now in
    use), is left as it is: the engine reads its table until `refresh_summary` runs, so an
    import never pays for a whole refresh. {source: days recomputed}."""
    also_changed = also_changed or {}
    if not SummaryState.objects.exists():
        return {}
    in_use = measures_in_use()
    done: dict[str, int] = {}
    for source, binding in BINDINGS.items():
        measures = [*in_use[source], presence_measure(source)]
        state = SummaryState.objects.filter(source=source).first()
        if (
            state is None
            or state.measures != [to_text(m) for m in measures]
            or state.fingerprint != _fingerprint_before(binding, batch_id)
        ):
            continue
        days = _days_touched(binding, batch_id) | also_changed.get(binding.model, set())
        if not days:
            continue
        done[source] = _rewrite(source, measures, labels=state.labels, days=days)
    return done
