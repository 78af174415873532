"""The order proposal as tables, JSON and an Excel workbook: one shape for the
`order-proposal` command and the forecast committee pack (SPEC §6)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from decroche.core.exports import Section, sections_to_xlsx

from .choices import ScenarioCode
from .proposal import PeriodPlan, Proposal

HOURS = tuple(range(8, 18))  # clock hours of 08:30–17:30


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def period_label(period: PeriodPlan) -> str:
    kind = _("firm") if period.firm else _("indicative")
    return f"{period.offset} {period.start:%d/%m} – {period.end:%d/%m} ({kind})"


def assumption_rows(proposal: Proposal) -> list[list]:
    patience = "" if proposal.patience is None else round(proposal.patience, 1)
    targets = proposal.targets
    return [
        [_("Committee"), proposal.committee.isoformat()],
        [_("Staffing model"), proposal.model],
        [
            _("Targets"),
            _("answer rate ≥ %(rate)s%%, average wait ≤ %(wait)s s")
            % {"rate": f"{targets.answer_rate * 100:g}", "wait": f"{targets.average_wait:g}"},
        ],
        [_("Average handling time (s)"), round(proposal.aht, 1)],
        [_("Mean patience (s)"), patience],
        [_("Shrinkage"), proposal.shrinkage],
        [_("Out-of-scope share of calls"), round(proposal.out_of_scope_share, 4)],
    ]


def summary_headers(proposal: Proposal) -> list[str]:
    return [_("Period"), _("Item")] + [
        str(ScenarioCode(plan.scenario.code).label) for plan in proposal.plans
    ]


def summary_rows(proposal: Proposal) -> list[list]:
    """Scenarios side by side: one row per period and item, one column per scenario."""
    items = [
        (_("Calls expected"), lambda p: round(p.calls, 1)),
        (_("Forms expected"), lambda p: round(p.forms, 1)),
        (_("UO1 phone productive hours"), lambda p: p.phone_hours),
        (_("UO3 form productive hours"), lambda p: p.form_hours),
        (_("Hours to schedule (shrinkage)"), lambda p: p.scheduled_hours + p.form_hours),
        (_("Predicted answer rate"), lambda p: _round(p.answer_rate, 4)),
        (_("Predicted average wait (s)"), lambda p: _round(p.average_wait, 1)),
    ]
    rows = []
    for index, period in enumerate(proposal.plans[0].periods):
        for label, value in items:
            rows.append(
                [period_label(period), label]
                + [value(plan.periods[index]) for plan in proposal.plans]
            )
    return rows


def day_headers() -> list[str]:
    return [
        _("Day"),
        _("Calls expected"),
        _("Forms due"),
        _("UO1 (h)"),
        _("UO3 (h)"),
        _("Predicted answer rate"),
        _("Predicted average wait (s)"),
    ] + [f"{hour:02d}h" for hour in HOURS]


def day_rows(period: PeriodPlan) -> list[list]:
    """Per day and clock hour of one period (UO1 hours per hour)."""
    rows = []
    for day in period.days:
        by_hour = day.hours_by_hour
        rows.append(
            [
                day.day.isoformat(),
                round(day.calls, 1),
                round(day.forms_due, 1),
                day.phone_hours,
                day.form_hours,
                _round(day.answer_rate, 4),
                _round(day.average_wait, 1),
            ]
            + [by_hour.get(hour, 0.0) for hour in HOURS]
        )
    return rows


def proposal_dict(proposal: Proposal) -> dict:
    """JSON shape of the proposal: assumptions, then every scenario's periods and days."""
    return {
        "committee": proposal.committee.isoformat(),
        "model": proposal.model,
        "aht": round(proposal.aht, 2),
        "patience": _round(proposal.patience, 2),
        "shrinkage": proposal.shrinkage,
        "out_of_scope_share": round(proposal.out_of_scope_share, 4),
        "targets": {
            "answer_rate": proposal.targets.answer_rate,
            "average_wait": proposal.targets.average_wait,
        },
        "scenarios": [
            {
                "code": plan.scenario.code,
                "label": str(ScenarioCode(plan.scenario.code).label),
                "periods": [_period_dict(period) for period in plan.periods],
            }
            for plan in proposal.plans
        ],
    }


def _period_dict(period: PeriodPlan) -> dict:
    return {
        "offset": period.offset,
        "kind": "firm" if period.firm else "indicative",
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "calls": round(period.calls, 1),
        "forms": round(period.forms, 1),
        "phone_hours": period.phone_hours,
        "form_hours": period.form_hours,
        "scheduled_hours": period.scheduled_hours,
        "answer_rate": _round(period.answer_rate, 4),
        "average_wait": _round(period.average_wait, 1),
        "days": [
            {
                "day": day.day.isoformat(),
                "calls": round(day.calls, 1),
                "forms_due": round(day.forms_due, 1),
                "phone_hours": day.phone_hours,
                "form_hours": day.form_hours,
                "form_advisors": day.form_advisors,
                "scheduled_hours": day.scheduled_hours,
                "hours_by_hour": {f"{h:02d}": v for h, v in day.hours_by_hour.items()},
                "agents_by_half_hour": day.agents,
                "answer_rate": _round(day.answer_rate, 4),
                "average_wait": _round(day.average_wait, 1),
            }
            for day in period.days
        ],
    }


def proposal_workbook(proposal: Proposal) -> bytes:
    """A summary sheet (assumptions, scenarios side by side), then one sheet per scenario
    with every day of the three periods and its hours per clock hour."""
    summary = Section(
        _("Summary"),
        heading=[_("Order proposal") + f" — {proposal.committee:%d/%m/%Y}"],
        before=assumption_rows(proposal),
        headers=summary_headers(proposal),
        rows=summary_rows(proposal),
        widths=(34, 30),
    )
    scenarios = [
        Section(
            str(ScenarioCode(plan.scenario.code).label),
            headers=day_headers(),
            rows=[row for period in plan.periods for row in day_rows(period)],
            widths=(12,),
        )
        for plan in proposal.plans
    ]
    return sections_to_xlsx([summary, *scenarios])
