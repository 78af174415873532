"""Indicator reports as XLSX and CSV (SPEC §3: dashboards and Excel exports).

One workbook: a cover sheet with each indicator's formula in words and its version, then
one sheet per grain with frozen headers and number formats suited to each unit.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

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
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="000091")


def grain_name(grain: Sequence[str]) -> str:
    return " × ".join(GRAIN_LABELS.get(g, g) for g in grain) if grain else "Global"


def _header(sheet, titles: Sequence[str]) -> None:
    sheet.append(list(titles))
    for cell in sheet[1]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    sheet.freeze_panes = "A2"


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


def report_workbook(
    sections: Sequence[tuple[Sequence[str], Sequence[Result]]],
    versions: Sequence[IndicatorVersion],
    title: str,
    notices: Sequence[NotInForce] = (),
) -> bytes:
    """The workbook: cover sheet (definitions, then the days an indicator is not measured
    for want of a version in force), then one sheet per (grain, results) section."""
    workbook = Workbook()
    cover = workbook.active
    cover.title = "Définitions"
    cover.append([title])
    cover["A1"].font = Font(bold=True, size=14)
    cover.append([])
    _header_row = [
        "Identifiant",
        "Indicateur",
        "Catégorie",
        "Formule",
        "Formule (langage)",
        "Unité",
        "Cible",
        "Version",
        "Valide du",
    ]
    cover.append(_header_row)
    for cell in cover[3]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    cover.freeze_panes = "A4"
    for version in versions:
        cover.append(
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
        )
    if notices:
        cover.append([])
        cover.append([_("Not measured: no version in force")])
        cover.cell(row=cover.max_row, column=1).font = Font(bold=True)
        for notice in notices:
            cover.append([notice.indicator, not_in_force_text(notice)])
    for column, width in zip("ABCDEFGHI", (24, 40, 14, 70, 70, 14, 12, 9, 12), strict=True):
        cover.column_dimensions[column].width = width
    units = {version.code: version.unit for version in versions}
    labels = {version.code: version.label for version in versions}
    used_titles: set[str] = set()
    for grain, results in sections:
        name = grain_name(grain)[:31]
        while name in used_titles:
            name = name[:29] + "_2"
        used_titles.add(name)
        sheet = workbook.create_sheet(name)
        grain_titles = [GRAIN_LABELS.get(g, g) for g in grain]
        _header(
            sheet,
            [
                "Indicateur",
                "Début",
                "Fin",
                *grain_titles,
                "Numérateur",
                "Dénominateur",
                "Valeur",
                "Cible",
                "Statut",
            ],
        )
        for result in results:
            keys = dict(result.keys)
            sheet.append(
                [
                    labels.get(result.indicator, result.indicator),
                    result.period_start,
                    result.period_end,
                    *(keys.get(g) or "—" for g in grain),
                    result.numerator,
                    result.denominator,
                    result.value,
                    result.target or "—",
                    STATUS_LABELS[result.status],
                ]
            )
            value_cell = sheet.cell(row=sheet.max_row, column=6 + len(grain))
            value_cell.number_format = NUMBER_FORMATS.get(
                units.get(result.indicator, "count"), "0.00"
            )
            for column in (2, 3):
                sheet.cell(row=sheet.max_row, column=column).number_format = "dd/mm/yyyy"
        for index, width in enumerate(
            [40, 12, 12, *([18] * len(grain)), 13, 13, 12, 10, 18], start=1
        ):
            sheet.column_dimensions[get_column_letter(index)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_csv(results: Sequence[Result], notices: Sequence[NotInForce] = ()) -> str:
    """All results as CSV, one row per indicator, bucket and grain key; then one row per
    run of days an indicator is not measured (status `not_in_force`, no figures)."""
    buffer = io.StringIO()
    keys = [g for g in GRAIN_LABELS if any(g in dict(r.keys) for r in results)]
    writer = csv.writer(buffer)
    writer.writerow(
        [
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
    )
    for result in results:
        row = result.as_dict()
        writer.writerow(
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
        writer.writerow(
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
    return buffer.getvalue()
