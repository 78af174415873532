"""Indicator reports as XLSX and CSV (SPEC §3: dashboards and Excel exports).

One workbook: a cover sheet with each indicator's formula in words and its version, then
one sheet per grain with frozen headers and number formats suited to each unit.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from decroche.core.exports import Cell, Section, sections_to_csv, sections_to_xlsx

from .engine import Result
from .models import IndicatorVersion
from .selectors import NotInForce

NUMBER_FORMATS = {"rate": "0.0%", "seconds": "0.0", "count": "#,##0.##", "score": "0.0"}
GRAIN_LABELS = {
    "site": "Site",
    "team": "Équipe",
    "reason": "Motif",
    "advisor": "Conseiller",
    "channel": "Canal",
}
STATUS_LABELS = {
    "met": "Atteint",
    "missed": "Non atteint",
    "no_target": "Indicateur de suivi",
    "no_data": "Pas de données",
}


def grain_name(grain: Sequence[str]) -> str:
    return " × ".join(GRAIN_LABELS.get(g, g) for g in grain) if grain else "Global"


def not_in_force_text(notice: NotInForce) -> str:
    """The notice in words, for the dashboards and the workbook (SPEC §3)."""
    return _(
        "No version of “%(label)s” (%(code)s) is in force from %(start)s to %(end)s: "
        "these days are not measured for it."
    ) % {
        "label": notice.label,
        "code": notice.indicator,
        "start": notice.start.strftime("%d/%m/%Y"),
        "end": notice.end.strftime("%d/%m/%Y"),
    }


def _cover(
    versions: Sequence[IndicatorVersion], title: str, notices: Sequence[NotInForce]
) -> Section:
    """Each indicator's formula in words and its version, then the days an indicator is
    not measured for want of a version in force."""
    after = []
    if notices:
        after = [
            [_("Not measured: no version in force")],
            *([notice.indicator, not_in_force_text(notice)] for notice in notices),
        ]
    return Section(
        "Définitions",
        heading=[title],
        headers=[
            "Identifiant",
            "Indicateur",
            "Catégorie",
            "Formule",
            "Formule (langage)",
            "Unité",
            "Cible",
            "Version",
            "Valide du",
        ],
        rows=[
            [
                version.code,
                version.label,
                version.get_category_display(),
                version.formula_text,
                version.formula,
                version.get_unit_display(),
                version.target or _("follow-up"),
                version.version,
                _("from the beginning") if version.since_beginning else version.valid_from,
            ]
            for version in versions
        ],
        after=after,
        widths=(24, 40, 14, 70, 70, 14, 12, 9, 12),
    )


def _grain_section(
    grain: Sequence[str], results: Sequence[Result], versions: Sequence[IndicatorVersion]
) -> Section:
    units = {version.code: version.unit for version in versions}
    labels = {version.code: version.label for version in versions}
    return Section(
        grain_name(grain),
        headers=[
            "Indicateur",
            "Début",
            "Fin",
            *(GRAIN_LABELS.get(g, g) for g in grain),
            "Numérateur",
            "Dénominateur",
            "Valeur",
            "Cible",
            "Statut",
        ],
        rows=[
            [
                labels.get(result.indicator, result.indicator),
                result.period_start,
                result.period_end,
                *(dict(result.keys).get(g) or "—" for g in grain),
                result.numerator,
                result.denominator,
                Cell(
                    result.value,
                    NUMBER_FORMATS.get(units.get(result.indicator, "count"), "0.00"),
                ),
                result.target or "—",
                STATUS_LABELS[result.status],
            ]
            for result in results
        ],
        widths=(40, 12, 12, *([18] * len(grain)), 13, 13, 12, 10, 18),
    )


def report_workbook(
    sections: Sequence[tuple[Sequence[str], Sequence[Result]]],
    versions: Sequence[IndicatorVersion],
    title: str,
    notices: Sequence[NotInForce] = (),
) -> bytes:
    """The workbook: cover sheet (definitions, then the days an indicator is not measured
    for want of a version in force), then one sheet per (grain, results) section."""
    return sections_to_xlsx(
        [
            _cover(versions, title, notices),
            *(_grain_section(grain, results, versions) for grain, results in sections),
        ]
    )


def report_csv(results: Sequence[Result], notices: Sequence[NotInForce] = ()) -> str:
    """All results as CSV, one row per indicator, bucket and grain key; then one row per
    run of days an indicator is not measured (status `not_in_force`, no figures)."""
    keys = [g for g in GRAIN_LABELS if any(g in dict(r.keys) for r in results)]
    rows = []
    for result in results:
        row = result.as_dict()
        rows.append(
            [
                row["indicator"],
                row["period_start"],
                row["period_end"],
                *(row.get(k, "") for k in keys),
                row["numerator"],
                row["denominator"],
                row["value"],
                row["target"] or "",
                row["status"],
            ]
        )
    for notice in notices:
        row = notice.as_dict()
        rows.append(
            [
                row["indicator"],
                row["period_start"],
                row["period_end"],
                *("" for _k in keys),
                "",
                "",
                "",
                "",
                row["status"],
            ]
        )
    headers = [
        "indicator",
        "period_start",
        "period_end",
        *keys,
        "numerator",
        "denominator",
        "value",
        "target",
        "status",
    ]
    return sections_to_csv([Section("indicators", headers=headers, rows=rows)])
