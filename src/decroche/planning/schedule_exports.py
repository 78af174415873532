"""A schedule run as an Excel workbook: a cover sheet with the parameters and results, the
schedule per advisor, and the coverage per half-hour against the requirement (SPEC §6)."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from decroche.core.exports import Section, sections_to_xlsx

from .models import ScheduleRun, Shift
from .schedule_selectors import schedule_tables


def shift_label(shift: Shift | None) -> str:
    """e.g. "08:30–16:30, lunch 12:00–12:30"; empty on a day off."""
    if shift is None:
        return ""
    text = f"{shift.starts_at:%H:%M}–{shift.ends_at:%H:%M}"
    if shift.lunch_starts_at:
        text += ", " + _("lunch %(start)s–%(end)s") % {
            "start": f"{shift.lunch_starts_at:%H:%M}",
            "end": f"{shift.lunch_ends_at:%H:%M}",
        }
    forms = shift.activities.count("F") / 2
    if forms and "P" in shift.activities:
        text += ", " + _("forms %(hours)s h") % {"hours": f"{forms:g}"}
    elif forms:
        text += ", " + _("forms")
    return text


def run_parameters(run: ScheduleRun) -> list[tuple[str, object]]:
    """Label and value of each parameter and result, for the page and the cover sheet."""
    p = run.parameters
    return [
        (_("Period"), f"{run.start:%d/%m/%Y} – {run.end:%d/%m/%Y}"),
        (_("Working days"), run.working_days),
        (_("Site"), str(run.site) if run.site else _("every site")),
        (_("Advisors"), p.get("advisors")),
        (_("Opening hours"), f"{p['opening']}–{p['closing']}"),
        (_("Daily paid hours"), f"{p['min_daily_hours']:g}–{p['max_daily_hours']:g}"),
        (_("Lunch break beyond (hours of work)"), p["lunch_after_hours"]),
        (_("Lunch window"), f"{p['lunch_window_start']}–{p['lunch_window_end']}"),
        (_("Lunch length (minutes)"), f"{p['min_lunch_minutes']}–{p['max_lunch_minutes']}"),
        (_("Weekly hours"), f"{p['weekly_hours_min']:g}–{p['weekly_hours_max']:g}"),
        (_("Annualised hours: weekly tolerance (hours)"), p["annualised_tolerance_hours"]),
        (_("De-staffing on the day (share of planned hours)"), p["destaffing_share"]),
        (_("Reinforcing at D+1 (share of planned hours)"), p["reinforcement_share"]),
        (_("Shrinkage"), p.get("shrinkage", 0)),
        (_("History of the requirement"), " – ".join(p.get("history", []))),
        (_("Average handling time (s)"), p.get("aht_seconds")),
        (_("Status"), run.get_status_display()),
        (_("Method"), run.method),
        (_("Paid hours"), run.paid_hours),
        (_("Lower bound (hours of need or weekly minima)"), run.lower_bound_hours),
        (_("Phone shortfall (hours)"), run.phone_shortfall_hours),
        (_("Forms shortfall (hours)"), run.forms_shortfall_hours),
        (_("Optimality gap"), "" if run.gap is None else round(run.gap, 4)),
        (_("Computing time (s)"), run.seconds),
    ]


def schedule_workbook(run: ScheduleRun) -> bytes:
    tables = schedule_tables(run)
    cover = Section(
        _("Parameters"),
        heading=[_("Schedules") + f" — {run.start:%d/%m/%Y} – {run.end:%d/%m/%Y}"],
        rows=[[label, value] for label, value in run_parameters(run)],
        widths=(48, 28),
    )
    schedule = Section(
        _("Schedule per advisor"),
        headers=[
            _("Advisor"),
            _("Site"),
            *(date_format(day, "D d/m") for day in tables.days),
            _("Paid hours"),
        ],
        rows=[
            [
                str(row["advisor"]),
                str(row["advisor"].site),
                *(shift_label(shift) for shift in row["cells"]),
                row["hours"],
            ]
            for row in tables.advisors
        ],
        widths=(26, 16, *([30] * len(tables.days))),
        frozen_columns=2,
    )
    coverage = Section(
        _("Coverage"),
        headers=[
            _("Day"),
            _("Half-hour"),
            _("Required on the phones"),
            _("Planned"),
            _("Shortfall"),
        ],
        widths=(12, 14, 16, 12, 12),
        frozen_columns=2,
    )
    for d, day in enumerate(tables.days):
        for line in tables.coverage:
            cell = line["cells"][d]
            coverage.rows.append(
                [day, line["slot"], cell["required"], cell["planned"], cell["shortfall"]]
            )
        forms = tables.forms[d]
        coverage.rows.append(
            [day, _("forms (hours)"), forms["required"], forms["planned"], forms["shortfall"]]
        )
    return sections_to_xlsx([cover, schedule, coverage])
