"""The `operational_advisors` source of the indicator catalogue (SPEC §3, "initially
trained advisors = trained / advisors who were operational", target 100 %): indicators
names it, training binds it at start-up.

One computed row per advisor per month in which they were operational: on the line by the
month's last day (`LineStart`, else the joining day), not left before its first day, not
absent all month; dated by the month's first day (or the period's first day when the
period starts within the month), like the quality commitments. `initially_trained` says
whether the advisor had completed every required module of the initial training path
(`rules.initially_trained`, 002 §5.2) on or before the day they went on the line. Grains:
site, team and advisor (no contact reason nor channel: the rate is about people). Over a
period longer than a month the rate weighs advisor-months.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from decroche.core.calendar import add_months, month_first, month_last
from decroche.indicators.bindings import SourceBinding, row_matches, source_binding_register
from decroche.indicators.formula import Measure
from decroche.organisation.models import Advisor

from . import rules
from .selectors import initial_path, path_completion


def operational_advisor_rows(
    measures: Sequence[Measure], start: dt.date, end: dt.date, grouped: Sequence[str]
) -> list[tuple]:
    """(day, *`grouped` columns of `Advisor`, *measure values) per advisor per month."""
    _hours, required = initial_path()
    advisors = list(
        Advisor.objects.filter(joined_on__lte=end)
        .exclude(left_on__lt=start)
        .values(
            "pk",
            "site_id",
            "team_id",
            "login",
            "site__code",
            "team__code",
            "joined_on",
            "left_on",
            "absent_from",
            "absent_to",
            "line_start__operational_on",
        )
    )
    # every advisor's completion at once (the roster's advisors are nearly all of them):
    # no list of ids sent to the database
    completion = path_completion(until=end) if required else {}
    heads = {"site": "site_id", "team": "team_id", "login": "login"}
    rows = []
    for advisor in advisors:
        on = advisor["line_start__operational_on"] or advisor["joined_on"]
        trained = rules.initially_trained(completion.get(advisor["pk"], {}), required, on)
        row = {
            "site": advisor["site__code"],
            "team": advisor["team__code"],
            "advisor": advisor["login"],
            "initially_trained": trained,
        }
        values = [1 if row_matches(measure.condition, row) else 0 for measure in measures]
        keys = tuple(advisor[heads[g]] for g in grouped)
        month = month_first(start)
        while month <= end:
            last = month_last(month)
            on_line = on <= last and (advisor["left_on"] is None or advisor["left_on"] >= month)
            absent_all_month = (
                advisor["absent_from"] is not None
                and advisor["absent_from"] <= month
                and (advisor["absent_to"] is None or advisor["absent_to"] >= last)
            )
            if on_line and not absent_all_month:
                rows.append((max(month, start), *keys, *values))
            month = add_months(month, 1)
    return rows


TRAINING_BINDINGS = {
    "operational_advisors": SourceBinding(
        model=Advisor,
        day_field="joined_on",  # not read: the rows are computed (`operational_advisor_rows`)
        channel=None,
        fields={
            "site": "site__code",
            "team": "team__code",
            "advisor": "login",
            "initially_trained": "initially_trained",
        },
        grains={"site": "site__code", "team": "team__code", "advisor": "login"},
        rows=operational_advisor_rows,
    )
}


def training_sources_register() -> None:
    for source, binding in TRAINING_BINDINGS.items():
        source_binding_register(source, binding)
