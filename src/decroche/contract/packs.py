"""Committee packs (SPEC §6): the data of the weekly production committee, the monthly
steering committee and the ten-day forecast committee, as titled sections of rows that
`pack_exports` renders to PDF and XLSX and the web page shows.

Covered ranges, for a committee held on day D:
- weekly: the seven days D-7 … D-1; projections for the 7 days from D and the next
  calendar month;
- monthly: the calendar month before D's month; the security review is added every 6
  months after the start of the activity's month;
- forecast: the ten-day period containing D (landing and gaps), and the periods at
  D+10 (firm), D+20 and D+30 (indicative) with capacity and the proposed order of the
  planning module (`planning.proposal`: forecast, Erlang A, scenarios side by side).
Weekly projections are the mean of the same weekday over the last 4 working weeks
(`committees.weekday_averages`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from decroche.core import formatting
from decroche.core.calendar import months_between, working_days
from decroche.core.exports import HOURS_FORMAT, Cell, Section, euros_cell, unit_cell
from decroche.organisation.models import Advisor
from decroche.planning import proposal_tables
from decroche.planning.proposal import BASELINE, PeriodPlan, Proposal
from decroche.planning.selectors import order_proposal

from . import committees
from .choices import ActionStatus, CommitteeKind, OrderKind, WorkUnit
from .deadlines import committee_periods, ten_day_period
from .exports import STATE_TONES, level_rows
from .models import ActionPlan, MonthlyInvoice, OrderPeriod
from .pack_quality import quality_sections
from .pack_sections import (
    Pack,
    acts_section,
    alerts_section,
    days_between,
    forecast_volumes,
    hours_section,
    indicator_section,
)
from .pack_security import security_review_sections
from .selectors import (
    conformity_by_day,
    contract_settings,
    month_bounds,
    monthly_statement,
    ordered_quantities,
)

ZERO = Decimal("0")


def _projection_section(held_on: dt.date) -> Section:
    week = days_between(held_on, held_on + dt.timedelta(days=6))
    month_start, month_end = month_bounds(month_bounds(held_on)[1] + dt.timedelta(days=1))
    forecast = forecast_volumes(held_on, week + days_between(month_start, month_end))
    section = Section(
        _("Projections"),
        [_("Day or month"), _("Calls expected"), _("Forms expected")],
        note=_("Mean of the same weekday over the last 4 working weeks; 0 on closed days."),
    )
    for day in week:
        section.rows.append(
            [day, round(forecast["calls"][day], 1), round(forecast["forms"][day], 1)]
        )
    month_days = days_between(month_start, month_end)
    section.rows.append(
        [
            formatting.month_name(month_start),
            round(sum(forecast["calls"][d] for d in month_days), 1),
            round(sum(forecast["forms"][d] for d in month_days), 1),
        ]
    )
    return section


def weekly_pack(held_on: dt.date) -> Pack:
    """Weekly production committee (SPEC §6): productive hours, acts, performance, quality
    (`pack_quality`), satisfaction, alerts, projections for the next week and month."""
    start, end = held_on - dt.timedelta(days=7), held_on - dt.timedelta(days=1)
    measured = [
        indicator_section(_("Performance (phone)"), start, end, "phone"),
        indicator_section(_("Performance (contact forms)"), start, end, "forms"),
        *quality_sections(start, end),
        indicator_section(_("Satisfaction"), start, end, "satisfaction"),
    ]
    sections = [hours_section(start, end), acts_section(start, end), *measured]
    sections += [alerts_section(start, end, measured), _projection_section(held_on)]
    return Pack(
        CommitteeKind.WEEKLY, held_on, _("Weekly production committee"), start, end, sections
    )


# --- monthly steering committee --------------------------------------------------------------


def security_review_due(held_on: dt.date, activity_start: dt.date) -> bool:
    """Every 6 months from the activity's first month (SPEC §6 "every 6 months security
    review"): start November 2025 → May 2026, November 2026..."""
    months = months_between(activity_start, held_on)
    return months > 0 and months % 6 == 0


def _results_section(month: dt.date) -> Section:
    invoice = MonthlyInvoice.objects.filter(month=month).first()
    phone, forms = (invoice.phone_amount, invoice.forms_amount) if invoice else (ZERO, ZERO)
    statement = monthly_statement(month=month, invoice_phone=phone, invoice_forms=forms)
    section = Section(
        _("Monthly results: service levels"),
        [
            _("Service level"),
            _("Value"),
            _("Objective"),
            _("Penalty threshold"),
            _("State"),
            _("Penalty"),
        ],
        note="" if invoice else _("No invoice recorded for this month: amounts are 0."),
    )
    for row in level_rows(statement):
        line = row["line"]
        section.rows.append(
            [
                line.label,
                unit_cell(line.value, line.unit, row["value"]),
                row["objective"] + (f" ({row['objective_note']})" if row["objective_note"] else ""),
                row["threshold"],
                Cell(row["state"], "General", tone=STATE_TONES[row["state_code"]]),
                euros_cell(line.amount),
            ]
        )
    section.rows.append(
        [
            _("Total penalties (€), after the 10% cap"),
            "",
            "",
            "",
            "",
            euros_cell(statement.settlement.total),
        ]
    )
    return section


def _actions_section(start: dt.date, end: dt.date) -> Section:
    section = Section(
        _("Action plans"), [_("Action"), _("Owner"), _("Due on"), _("Status"), _("Decided at")]
    )
    actions = ActionPlan.objects.filter(
        Q(status=ActionStatus.OPEN) | Q(closed_on__range=(start, end))
    ).select_related("meeting")
    for action in actions:
        due = action.due_on or ""
        section.rows.append(
            [action.title, action.owner, due, action.get_status_display(), str(action.meeting)]
        )
    if not section.rows:
        section.note = _("No action plan open or closed this month.")
    return section


def monthly_pack(held_on: dt.date) -> Pack:
    """Monthly steering committee (SPEC §6): results, action plans, quality (`pack_quality`),
    satisfaction; every 6 months the security review."""
    start, end = month_bounds(held_on.replace(day=1) - dt.timedelta(days=1))
    sections = [
        _results_section(start),
        _actions_section(start, end),
        *quality_sections(start, end),
        indicator_section(_("Satisfaction"), start, end, "satisfaction"),
    ]
    if security_review_due(held_on, contract_settings().activity_start):
        sections += security_review_sections(held_on)
    return Pack(
        CommitteeKind.MONTHLY, held_on, _("Monthly steering committee"), start, end, sections
    )


# --- ten-day forecast committee --------------------------------------------------------------


def active_advisors_by_day(start: dt.date, end: dt.date) -> dict[dt.date, int]:
    """Advisors employed and not absent on each working day of the range."""
    advisors = list(
        Advisor.objects.exclude(status="left").values(
            "joined_on", "left_on", "absent_from", "absent_to"
        )
    )
    counts = {}
    for day in working_days(start, end):
        counts[day] = sum(
            1
            for a in advisors
            if a["joined_on"] <= day
            and (a["left_on"] is None or a["left_on"] > day)
            and not (a["absent_from"] and a["absent_from"] <= day <= (a["absent_to"] or day))
        )
    return counts


def _landing_section(held_on: dt.date) -> tuple[Section, Section]:
    period = OrderPeriod.objects.filter(start__lte=held_on, end__gte=held_on).first()
    start, end = (period.start, period.end) if period else ten_day_period(held_on)
    ordered = ordered_quantities(start, end)
    hours_ordered = ordered[WorkUnit.PHONE_HOURS] + ordered[WorkUnit.FORM_HOURS]
    done = conformity_by_day(start, min(end, held_on - dt.timedelta(days=1)))
    produced = sum((row["produced_hours"] for row in done), ZERO)
    days_done = len(list(working_days(start, held_on - dt.timedelta(days=1))))
    days_left = len(list(working_days(max(start, held_on), end)))
    projected, ratio = committees.landing(
        ordered=hours_ordered, produced=produced, days_done=days_done, days_left=days_left
    )
    landing = Section(
        _("Landing of the current period") + f" ({start:%d/%m} – {end:%d/%m})",
        [_("Item"), _("Value")],
        [
            [_("Hours ordered (firm)"), Cell(float(hours_ordered), HOURS_FORMAT)],
            [_("Productive hours so far"), Cell(float(produced), HOURS_FORMAT)],
            [_("Working days done / left"), f"{days_done} / {days_left}"],
            [_("Projected hours at the end of the period"), Cell(float(projected), HOURS_FORMAT)],
            [_("Projected conformity"), unit_cell(ratio, "rate")],
        ],
    )
    gaps = Section(
        _("Gaps per day"), [_("Day"), _("Hours ordered"), _("Productive hours"), _("Gap")]
    )
    for row in done:
        gap = row["produced_hours"] - row["ordered_hours"]
        gaps.rows.append(
            [
                row["day"],
                Cell(float(row["ordered_hours"]), HOURS_FORMAT),
                Cell(float(row["produced_hours"]), HOURS_FORMAT),
                Cell(float(gap), HOURS_FORMAT),
            ]
        )
    return landing, gaps


def proposed_hours(period: PeriodPlan) -> tuple[Decimal, Decimal]:
    """(UO1, UO3) productive hours the planning module proposes for one period: Erlang A
    agents per half-hour on the forecast × 0.5 h, and form advisors × 7 h (SPEC §6,
    `planning.proposal`)."""
    cent = Decimal("0.01")
    return (
        Decimal(str(period.phone_hours)).quantize(cent),
        Decimal(str(period.form_hours)).quantize(cent),
    )


def _capacity_section(proposal: Proposal) -> Section:
    section = Section(
        _("Capacity and proposed order"),
        [
            _("Period"),
            _("Order"),
            _("Calls expected"),
            _("Forms expected"),
            _("Capacity (h)"),
            _("Proposed UO1 (h)"),
            _("Proposed UO3 (h)"),
            _("Already ordered (h)"),
            _("Predicted answer rate"),
            _("Predicted average wait"),
        ],
        note=_(
            "Capacity: active advisors × 7 contractual hours per working day. Proposed order "
            "(planning module): calls forecast per half-hour, agents by Erlang A for an answer "
            "rate of at least 90% and an average wait of at most 120 s, × 0.5 h; forms at 90 "
            "an advisor-day, answered by the next working day, × 7 h."
        ),
    )
    for period in proposal.plan(BASELINE).periods:
        kind = OrderKind.FIRM if period.firm else OrderKind.INDICATIVE
        phone_hours, form_hours = proposed_hours(period)
        capacity = committees.period_capacity(
            active_advisors_by_day(period.start, period.end), period.start, period.end
        )
        ordered = ordered_quantities(period.start, period.end)
        section.rows.append(
            [
                f"{period.offset.replace('D+', 'J+')} {period.start:%d/%m} – {period.end:%d/%m}",
                str(OrderKind(kind).label),
                round(period.calls, 2),
                round(period.forms, 2),
                float(capacity),
                float(phone_hours),
                float(form_hours),
                float(ordered[WorkUnit.PHONE_HOURS] + ordered[WorkUnit.FORM_HOURS]),
                unit_cell(period.answer_rate, "rate"),
                unit_cell(period.average_wait, "seconds"),
            ]
        )
    return section


def _proposal_sections(proposal: Proposal) -> list[Section]:
    """The firm period per day and hour, and the what-if scenarios side by side."""
    firm = proposal.plan(BASELINE).periods[0]
    days = Section(
        _("Proposed order per day and hour") + f" ({firm.start:%d/%m} – {firm.end:%d/%m})",
        proposal_tables.day_headers(),
        proposal_tables.day_rows(firm),
    )
    scenarios = Section(
        _("What-if scenarios"),
        proposal_tables.summary_headers(proposal),
        proposal_tables.summary_rows(proposal),
    )
    return [days, scenarios]


def forecast_pack(held_on: dt.date) -> Pack:
    """Ten-day forecast committee (SPEC §6): landing of the current period, gaps, capacity at
    D+10/D+20/D+30 and the proposed order."""
    landing, gaps = _landing_section(held_on)
    proposal = order_proposal(held_on)
    capacity = _capacity_section(proposal)
    periods = committee_periods(held_on)
    return Pack(
        CommitteeKind.FORECAST,
        held_on,
        _("Ten-day forecast committee"),
        periods[0][0],
        periods[-1][1],
        [landing, gaps, capacity, *_proposal_sections(proposal)],
    )


BUILDERS = {
    CommitteeKind.WEEKLY: weekly_pack,
    CommitteeKind.MONTHLY: monthly_pack,
    CommitteeKind.FORECAST: forecast_pack,
}


def committee_pack(*, kind: str, held_on: dt.date) -> Pack:
    return BUILDERS[CommitteeKind(kind)](held_on)
