"""An advisor's own results (issue 9, point 10; SPEC §3 advisor grain, SPEC §9 scope).

The advisor is always the signed-in user's `organisation.Advisor` record: nothing in the
request can name another one. Their indicators over a day, a week or a month come from
the engine at the advisor grain, beside the target of the version in force and the figure
of their team (team grain), then one row per day of the period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from decroche.organisation.models import Advisor

from .dashboards import Selection
from .display import format_value, status_badge, target_text
from .engine import Result
from .selectors import indicator_reports, versions_in_force

# The advisor's own figures, in the order of the page (labels in French in the .po file).
ADVISOR_INDICATORS = (
    ("calls_handled", _("Calls handled")),
    ("average_talk_time", _("Average talk time")),
    ("average_handling_time", _("Average handling time (AHT)")),
    ("qualification_rate", _("Qualification rate")),
    ("availability_rate", _("Availability rate")),
    ("forms_per_advisor_day", _("Forms per day")),
)
VIEWS = {"day": _("Day"), "week": _("Week"), "month": _("Month")}


def advisor_of(user) -> Advisor | None:
    """The advisor record of the signed-in user, or None (not an advisor)."""
    if not user.is_authenticated:
        return None
    return Advisor.objects.select_related("team", "site").filter(user=user).first()


@dataclass(frozen=True)
class Period:
    """A day, an ISO week or a month around ``day``, with its neighbours."""

    view: str
    day: dt.date

    @property
    def span(self) -> tuple[dt.date, dt.date]:
        return Selection(self.view, self.day, "advisor").span

    @property
    def previous(self) -> dt.date:
        start, _end = self.span
        return start - dt.timedelta(days=1)

    @property
    def following(self) -> dt.date:
        _start, end = self.span
        return end + dt.timedelta(days=1)


def parse_period(view: str | None, day: str | None, *, today: dt.date) -> Period:
    """The period asked in the query string; anything unreadable falls back to the default
    (the current week), never to an error page."""
    if view not in VIEWS:
        view = "week"
    try:
        chosen = dt.date.fromisoformat(day or "")
    except ValueError:
        chosen = today
    return Period(view, chosen)


def _pick(results: list[Result], grain: str, key: str | None) -> dict[tuple, Result]:
    return {(r.indicator, r.period_start): r for r in results if dict(r.keys).get(grain) == key}


def advisor_results(advisor: Advisor, period: Period) -> dict:
    """The period's table (advisor, target, team) and the per-day table of ``advisor``."""
    start, end = period.span
    codes = [code for code, _label in ADVISOR_INDICATORS]
    versions = {v.code: v for v in versions_in_force(start, codes)}
    team_code = advisor.team.code if advisor.team else None
    grains = [("advisor",), ("team",)] if team_code else [("advisor",)]
    # Every advisor is computed and only this one kept: the filter is on the server.
    whole = indicator_reports(start=start, end=end, period="range", grains=grains, codes=codes)
    mine = _pick(whole[("advisor",)], "advisor", advisor.login)
    team = _pick(whole[("team",)], "team", team_code) if team_code else {}
    rows = []
    for code, label in ADVISOR_INDICATORS:
        version = versions.get(code)
        if version is None:
            continue
        result, team_result = mine.get((code, start)), team.get((code, start))
        target = result.target if result else version.target
        rows.append(
            {
                "code": code,
                "label": label,
                "value": format_value(result.value if result else None, version.unit),
                "target": target_text(target, version.unit) or version.target_note or "—",
                "status": status_badge(result.status if result else "no_data"),
                "team": format_value(team_result.value if team_result else None, version.unit),
            }
        )
    days = []
    if period.view != "day":
        daily = indicator_reports(
            start=start, end=end, period="day", grains=[("advisor",)], codes=codes
        )[("advisor",)]
        by_day = _pick(daily, "advisor", advisor.login)
        shown = [row["code"] for row in rows]
        for offset in range((end - start).days + 1):
            day = start + dt.timedelta(days=offset)
            cells = [by_day.get((code, day)) for code in shown]
            if not any(cell is not None and cell.value is not None for cell in cells):
                continue
            days.append(
                {
                    "day": day,
                    "cells": [
                        format_value(cell.value if cell else None, versions[code].unit)
                        for code, cell in zip(shown, cells, strict=True)
                    ],
                }
            )
    return {"start": start, "end": end, "rows": rows, "days": days, "team": advisor.team}
