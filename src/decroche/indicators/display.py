"""Figures shaped for the indicator templates: values formatted by unit, statuses in text
and colour (never colour alone, RGAA), drill-down links, charts with their data tables."""

from __future__ import annotations

from urllib.parse import urlencode

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from decroche.core import formatting

from . import charts
from .catalogue import parse_target
from .dashboards import KEY_INDICATORS, Dashboard, Selection, half_hour_label
from .engine import Result
from .exports import not_in_force_text

DRAFT_FIELDS = (
    "label",
    "category",
    "purpose",
    "formula_text",
    "formula",
    "unit",
    "target",
    "target_note",
)
NEXT_LEVEL = {"site": "team", "team": "advisor"}


def dashboard_context(board: Dashboard, selection: Selection) -> dict:
    """The dashboard's figures shaped for its template: the overall table or the
    breakdown by the chosen level, the charts, the days not measured."""
    grain, results, versions = board.grain, board.results, board.versions
    return {
        "start": board.start,
        "end": board.end,
        "grain": grain,
        "overall_rows": overall_rows(results, versions) if not grain else None,
        "breakdown": breakdown(results, grain, versions, board.labels, selection)
        if grain
        else None,
        "charts": chart_blocks(board.trend, board.reasons, board.profile, versions, board.labels),
        "not_measured": [not_in_force_text(notice) for notice in board.notices],
    }


def status_badge(status: str) -> dict[str, str]:
    """The status as words plus a DSFR badge class (the badge also carries an icon)."""
    badges = {
        "met": (_("Target met"), "fr-badge--success"),
        "missed": (_("Target missed"), "fr-badge--error"),
        "no_target": (_("Follow-up (no target)"), "fr-badge--info"),
        "no_data": (_("No data"), ""),
    }
    label, css = badges.get(status, (status, ""))
    return {"label": label, "css": css}


def format_value(value: float | None, unit: str) -> str:
    """A value by its unit, in French (`core.formatting`: `92,1 %`, `2 min 05 s`)."""
    return formatting.value(value, unit)


def target_text(target: str, unit: str) -> str:
    """`>= 0.90` as `≥ 90 %`, `< 120` seconds as `< 2 min 00 s`; "" for a follow-up."""
    return formatting.written_target(target, unit)


def _number(value: float, decimals: int) -> str:
    return formatting.number(value, decimals)


def _unit(versions: dict, code: str) -> str:
    version = versions.get(code)
    return version.unit if version is not None else "count"


def overall_rows(results: list[Result], versions: dict) -> list[dict]:
    rows = []
    for result in results:
        version = versions.get(result.indicator)
        unit = _unit(versions, result.indicator)
        rows.append(
            {
                "code": result.indicator,
                "label": version.label if version else result.indicator,
                "category": version.get_category_display() if version else "",
                "value": format_value(result.value, unit),
                "numerator": format_value(result.numerator, "count"),
                "denominator": format_value(result.denominator, "count"),
                "target": target_text(result.target, unit)
                or (version.target_note if version else ""),
                "status": status_badge(result.status),
            }
        )
    return sorted(rows, key=lambda row: (row["category"], row["label"]))


def _link(selection: Selection, level: str, parent: str) -> str:
    return "?" + urlencode(
        {"view": selection.view, "day": selection.day.isoformat(), "level": level, "parent": parent}
    )


def breakdown(
    results: list[Result], grain: tuple, versions: dict, labels: dict, selection: Selection
) -> dict:
    """One row per grain key, one column per headline indicator, each cell with its status."""
    columns = [code for code in KEY_INDICATORS if code in versions]
    by_key: dict[tuple, dict[str, Result]] = {}
    for result in results:
        by_key.setdefault(result.keys, {})[result.indicator] = result
    rows = []
    for keys, cells in sorted(
        by_key.items(), key=lambda item: [labels.get(k, str(k[1])) for k in item[0]]
    ):
        grain_name, code = keys[0]
        rows.append(
            {
                "keys": [labels.get(k, k[1] or _("(none)")) for k in keys],
                "cells": [
                    {
                        "value": format_value(cells[c].value, _unit(versions, c))
                        if c in cells
                        else "—",
                        "status": status_badge(cells[c].status) if c in cells else None,
                    }
                    for c in columns
                ],
                "drill": _link(selection, NEXT_LEVEL[grain_name], f"{grain_name}:{code}")
                if grain_name in NEXT_LEVEL and code and len(keys) == 1
                else "",
                "by_reason": _link(selection, "reason", f"{grain_name}:{code}")
                if grain_name in ("site", "team") and code and len(keys) == 1
                else "",
            }
        )
    return {
        "headers": [_grain_title(g) for g in grain],
        "columns": [versions[c].label for c in columns],
        "rows": rows,
    }


def _grain_title(grain: str) -> str:
    return {
        "site": _("Site"),
        "team": _("Team"),
        "advisor": _("Advisor"),
        "reason": _("Reason"),
        "channel": _("Channel"),
    }.get(grain, grain)


def chart_blocks(trend, reasons, profile, versions, labels) -> list[dict]:
    """The four charts, each with the table of its figures (its text alternative); a trend's
    target line is the target of its version in force (`versions`), none for a follow-up."""

    def rate(value: float) -> str:
        return format_value(value, "rate")

    def seconds(value: float) -> str:
        return format_value(value, "seconds")

    out = []
    for code, fmt in (("answer_rate", rate), ("average_wait", seconds)):
        points = [r for r in trend if r.indicator == code]
        if code not in versions:
            continue
        in_force = parse_target(versions[code].target)
        target = in_force.threshold if in_force is not None else None
        title = versions[code].label
        dates = [r.period_start.strftime("%d/%m") for r in points]
        out.append(
            {
                "title": title,
                "svg": mark_safe(
                    charts.line_chart(
                        title,
                        dates,
                        [charts.Series(title, [r.value for r in points])],
                        target=target,
                        target_label=_("target %(value)s") % {"value": fmt(target)}
                        if target is not None
                        else "",
                        fmt=fmt,
                        description=_table_below(len(dates), _("points")),
                    )
                ),
                "headers": [_("Period start"), title, _("Status")],
                "rows": [
                    [
                        d,
                        fmt(r.value) if r.value is not None else "—",
                        status_badge(r.status)["label"],
                    ]
                    for d, r in zip(dates, points, strict=True)
                ],
            }
        )
    reason_names = [labels.get(("reason", code), code or _("(none)")) for code, _v in reasons]
    title = _("Calls received by reason")
    out.append(
        {
            "title": title,
            "svg": mark_safe(
                charts.bar_chart(
                    title,
                    reason_names,
                    [v for _c, v in reasons],
                    fmt=lambda v: format_value(v, "count"),
                    description=_table_below(len(reason_names), _("bars")),
                )
            ),
            "headers": [_("Reason"), _("Calls received")],
            "rows": [
                [n, format_value(v, "count")]
                for n, (_c, v) in zip(reason_names, reasons, strict=True)
            ],
        }
    )
    title = _("Intraday profile: arrivals and answered calls per half-hour")
    slots = [half_hour_label(slot) for slot, _a, _b in profile]
    arrivals, answered = _("Arrivals"), _("Answered")
    out.append(
        {
            "title": title,
            "svg": mark_safe(
                charts.column_chart(
                    title,
                    slots,
                    [
                        charts.Series(arrivals, [a for _s, a, _b in profile]),
                        charts.Series(answered, [b for _s, _a, b in profile]),
                    ],
                    fmt=lambda v: format_value(v, "count"),
                    description=_table_below(len(slots), _("groups of bars")),
                )
            ),
            "headers": [_("Half-hour"), arrivals, answered],
            "rows": [[s, a, b] for s, (_slot, a, b) in zip(slots, profile, strict=True)],
        }
    )
    return out


def _table_below(count: int, what: str) -> str:
    """A chart's description: what it draws, and where its figures are written."""
    return _("%(count)s %(what)s; the figures are in the table below the chart.") % {
        "count": count,
        "what": what,
    }


def forecast_rows(forecast) -> list[dict]:
    return [
        {
            "slot": half_hour_label(slot),
            "cells": [
                {
                    "calls": _number(forecast.calls[(day, slot)], 1),
                    "agents": forecast.agents[(day, slot)],
                }
                for day in forecast.days
            ],
        }
        for slot in forecast.slots
    ]


def preview_rows(results: list[Result], version) -> list[dict]:
    return [
        {
            "start": result.period_start,
            "end": result.period_end,
            "numerator": format_value(result.numerator, "count"),
            "denominator": format_value(result.denominator, "count"),
            "value": format_value(result.value, version.unit),
            "status": status_badge(result.status),
        }
        for result in results
    ]
