"""Writes of the indicators app: drafts, publication, loading the shipped catalogue, and
refreshing the daily summary the dashboards read."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from decroche.core.services import log_action

from .bindings import BINDINGS
from .catalogue import CatalogueError, load_catalogue, parse_target
from .choices import VersionStatus
from .engine import collect_measures, compile_definitions
from .formula import FormulaError, Measure, inline_names, parse, to_text
from .models import IndicatorVersion, MeasureDefinition
from .queries.summary_write import refresh_dirty_days, rewrite_whole, sources_of_tables, table_of
from .selectors import as_definition
from .sources import SOURCES


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
# `refresh_summary()` (the `decroche refresh-summary` command, `generate`, `demo`) reads each
# source once and stores, per (source, day), the value of every measure the catalogue and
# the stored indicator versions use, for each (site, team, reason, advisor[, channel]) key
# present that day. A month is then a few thousand summary entries instead of the ~130,000
# calls behind them, and every grain is folded from them (`folding.fold`).
#
# It stays exact by itself: database triggers mark the days of every inserted, updated or
# deleted contact (`triggers.py`) and each read recomputes those days first
# (`queries.summary_write.refresh_dirty_days`). A whole refresh is needed only after
# publishing a version with new measures, or after sites, teams, reasons or advisors
# changed (until then the engine reads the contact tables, with the same figures).


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


def refresh_summary(*, sources: list[str] | None = None) -> dict[str, int]:
    """Recompute the summary of each source whole from its table; {source: days stored}.

    With `sources`, the other sources of the same tables are recomputed too (forms,
    answered_forms and open_forms share one table, and one set of dirty days)."""
    in_use = measures_in_use()
    chosen = sources_of_tables(table_of(source) for source in sources) if sources else BINDINGS
    return rewrite_whole({source: in_use[source] for source in chosen})


def summary_refresh_dirty() -> dict[str, int]:
    """Recompute now the days changed since the last refresh (every read does it too);
    {source: days recomputed}. The entry point for the end of an import."""
    return refresh_dirty_days()


def refresh_summary_after_import(
    batch_id: int, also_changed: dict[type, set[dt.date]] | None = None
) -> dict[str, int]:
    """After import `batch_id` (signal `contacts.signals.contacts_imported`): recompute the
    days it touched, repeat delays included. The triggers have marked them all, so
    `batch_id` and `also_changed` are kept for the signal's callers only."""
    return summary_refresh_dirty()
