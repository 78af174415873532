"""A schedule run as an Excel workbook: a cover sheet with the parameters and results, the
schedule per advisor, and the coverage per half-hour against the requirement (SPEC §6)."""

from __future__ import annotations

import io

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .models import ScheduleRun, Shift
from .schedule_selectors import schedule_tables

BOLD = Font(bold=True)


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


def _header(sheet, values: list) -> None:
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def schedule_workbook(run: ScheduleRun) -> bytes:
    tables = schedule_tables(run)
    workbook = Workbook()
    cover = workbook.active
    cover.title = _("Parameters")
    cover.append([_("Schedules") + f" — {run.start:%d/%m/%Y} – {run.end:%d/%m/%Y}"])
    cover["A1"].font = Font(bold=True, size=13)
    cover.append([])
    for label, value in run_parameters(run):
        cover.append([label, value])
    cover.column_dimensions["A"].width = 48
    cover.column_dimensions["B"].width = 28

    day_labels = [date_format(day, "D d/m") for day in tables.days]
    schedule = workbook.create_sheet(_("Schedule per advisor"))
    _header(schedule, [_("Advisor"), _("Site"), *day_labels, _("Paid hours")])
    for row in tables.advisors:
        advisor = row["advisor"]
        schedule.append(
            [str(advisor), str(advisor.site), *[shift_label(s) for s in row["cells"]], row["hours"]]
        )
    schedule.freeze_panes = "C2"
    schedule.column_dimensions["A"].width = 26
    schedule.column_dimensions["B"].width = 16
    for index in range(len(tables.days)):
        schedule.column_dimensions[get_column_letter(3 + index)].width = 30

    coverage = workbook.create_sheet(_("Coverage"))
    _header(
        coverage,
        [_("Day"), _("Half-hour"), _("Required on the phones"), _("Planned"), _("Shortfall")],
    )
    for d, day in enumerate(tables.days):
        for line in tables.coverage:
            cell = line["cells"][d]
            coverage.append(
                [day, line["slot"], cell["required"], cell["planned"], cell["shortfall"]]
            )
        forms = tables.forms[d]
        coverage.append(
            [day, _("forms (hours)"), forms["required"], forms["planned"], forms["shortfall"]]
        )
    for row in coverage.iter_rows(min_row=2, max_col=1):
        row[0].number_format = "DD/MM/YYYY"
    coverage.freeze_panes = "C2"
    for column, width in zip("ABCDE", (12, 14, 16, 12, 12), strict=True):
        coverage.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
