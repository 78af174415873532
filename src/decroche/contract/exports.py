"""The monthly statement as JSON-ready data, an Excel workbook and a PDF (SPEC §5)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from decroche.core.exports import Section, sections_to_pdf, sections_to_xlsx

from .penalties import Status
from .selectors import MonthlyStatement


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _iso(day) -> str | None:
    return None if day is None else day.isoformat()


def grace_note(statement: MonthlyStatement) -> str:
    """The sentence every form of the statement carries when the grace period ends inside
    the month (penalties.penalised_days); empty otherwise."""
    if not statement.grace_ends_inside:
        return ""
    first, last = statement.grace_levels_days
    return _(
        "Grace period ended during the month: levels subject to it computed from %(start)s "
        "to %(end)s; plan conformity on the whole month."
    ) % {"start": f"{first:%d/%m/%Y}", "end": f"{last:%d/%m/%Y}"}


def statement_dict(statement: MonthlyStatement) -> dict:
    """The statement in the shape of `decroche statement --json`."""
    s = statement.settlement
    produced, ordered = statement.volumes.conformity_volumes()
    return {
        "month": f"{statement.month:%Y-%m}",
        "invoice_phone": float(s.invoice_phone),
        "invoice_forms": float(s.invoice_forms),
        "levels": [
            {
                "level": line.level,
                "label": line.label,
                "value": _number(line.value),
                "target": line.target,
                "threshold": float(line.threshold),
                "penalised_when": line.breach,
                "status": line.status,
                "applies": line.applies,
                "rate": float(line.rate),
                "invoice": line.invoice,
                "base": float(line.base),
                "amount": float(line.amount),
                "measured_from": _iso(line.measured_from),
                "measured_to": _iso(line.measured_to),
            }
            for line in s.levels
        ],
        "total_before_cap": float(s.total_before_cap),
        "cap": float(s.cap),
        "total": float(s.total),
        "cap_reached": s.cap_reached,
        "termination_risk": s.termination_risk,
        "in_grace_period": statement.in_grace_period,
        "grace_period_end": statement.grace_period_end.isoformat(),
        "grace_levels_from": _iso(statement.grace_levels_days and statement.grace_levels_days[0]),
        "grace_levels_to": _iso(statement.grace_levels_days and statement.grace_levels_days[1]),
        "grace_note": grace_note(statement),
        "plan": {
            "ordered": {unit: float(q) for unit, q in statement.volumes.ordered.items()},
            "productive_hours": {k: float(v) for k, v in statement.volumes.hours.items()},
            "acts_handled": {k: float(v) for k, v in statement.volumes.acts.items()},
            "conformity_produced": float(produced),
            "conformity_ordered": float(ordered),
        },
        "figures": [
            {
                "figure": f.code,
                "value": _number(f.value),
                "limit": float(f.limit),
                "within_limit": f.within_limit,
            }
            for f in statement.figures
        ],
    }


STATUS_LABELS = {
    Status.MET: gettext_lazy("met"),
    Status.MISSED: gettext_lazy("missed"),
    Status.NO_DATA: gettext_lazy("no data"),
    Status.GRACE: gettext_lazy("grace period"),
    Status.BEYOND_COMMITMENT: gettext_lazy("beyond 120% of the order"),
}


def statement_heading(statement: MonthlyStatement) -> str:
    return _("Monthly statement of service levels") + f" — {statement.month:%Y-%m}"


def statement_section(statement: MonthlyStatement) -> Section:
    """The statement as one table: the invoices (and the grace note), one row per service
    level, then the totals and the cap (SPEC §5)."""
    s = statement.settlement
    figure = statement.figures[0]
    note = grace_note(statement)
    return Section(
        f"{statement.month:%Y-%m}",
        heading=[statement_heading(statement)],
        before=[
            [_("Phone invoice (€)"), float(s.invoice_phone)],
            [_("Contact-form invoice (€)"), float(s.invoice_forms)],
            *([[note]] if note else []),
        ],
        headers=[
            _("Service level"),
            _("Value"),
            _("Target"),
            _("Threshold"),
            _("Status"),
            _("Penalty applies"),
            _("Rate"),
            _("Base invoice (€)"),
            _("Amount (€)"),
        ],
        rows=[
            [
                line.label,
                "" if line.value is None else float(line.value),
                line.target,
                f"{line.breach} {line.threshold.normalize():f}",
                str(STATUS_LABELS[line.status]),
                _("yes") if line.applies else _("no"),
                float(line.rate),
                float(line.base),
                float(line.amount),
            ]
            for line in s.levels
        ],
        after=[
            [_("Total before cap (€)"), float(s.total_before_cap)],
            [_("Cap: 10% of the monthly invoice (€)"), float(s.cap)],
            [_("Total penalties (€)"), float(s.total)],
            [_("Cap reached"), _("yes") if s.cap_reached else _("no")],
            [
                _("Termination risk (penalties beyond the cap)"),
                _("yes") if s.termination_risk else _("no"),
            ],
            [
                _("Longest service interruption (h), limit 48 h"),
                _("none") if figure.value is None else float(figure.value),
            ],
        ],
        widths=(55, *([16] * 8)),
    )


def statement_workbook(statement: MonthlyStatement) -> bytes:
    return sections_to_xlsx([statement_section(statement)])


def statement_pdf(statement: MonthlyStatement, *, compress: bool = True) -> bytes:
    """A one-page landscape PDF; `compress=False` leaves the text readable in the bytes."""
    return sections_to_pdf(
        [statement_section(statement)],
        title=statement_heading(statement),
        section_titles=False,
        compress=compress,
    )
