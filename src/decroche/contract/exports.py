"""The monthly statement as JSON-ready data, an Excel workbook and a PDF (SPEC §5)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from decroche.core import formatting
from decroche.core.documents import Document, document_pdf
from decroche.core.exports import (
    HOURS_FORMAT,
    PERCENT_FORMAT,
    Cell,
    Section,
    euros_cell,
    sections_to_xlsx,
    unit_cell,
)

from .penalties import State, Status
from .selectors import MonthlyStatement, month_bounds

# The contract every document of this app belongs to (SPEC, "the service"): named in the
# identity block and the running header of the statement and the committee packs.
CONTRACT_NAME = gettext_lazy("Mon espace santé level-1 support contract")
CONTRACT_PARTIES = gettext_lazy(
    "Caisse nationale de l'Assurance Maladie (Cnam), contracting authority; the contractor "
    "(Titulaire)"
)


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
                "objective_met": line.objective_met,
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


# The penalty side (`status`), in the words of a reader of the statement.
STATUS_LABELS = {
    Status.MET: gettext_lazy("threshold not crossed"),
    Status.MISSED: gettext_lazy("penalty due"),
    Status.NO_DATA: gettext_lazy("no data"),
    Status.GRACE: gettext_lazy("threshold crossed, grace period: no penalty"),
    Status.BEYOND_COMMITMENT: gettext_lazy(
        "threshold crossed, volume beyond 120% of the order: no penalty"
    ),
}

# The one state a line shows (`penalties.level_state`): its words and its colour (a DSFR
# badge on the page, a cell colour in the PDF), never the colour alone (RGAA 3.1).
STATE_LABELS = {
    State.OBJECTIVE_MET: gettext_lazy("Objective met"),
    State.OBJECTIVE_MISSED: gettext_lazy("Objective missed, no penalty"),
    State.PENALTY_DUE: gettext_lazy("Penalty due"),
    State.NO_PENALTY_GRACE: gettext_lazy("Threshold crossed, no penalty (grace period)"),
    State.NO_PENALTY_BEYOND: gettext_lazy(
        "Threshold crossed, no penalty (volume beyond 120% of the order)"
    ),
    State.THRESHOLD_KEPT: gettext_lazy("Penalty threshold kept (no objective to compare)"),
    State.NO_DATA: gettext_lazy("No data"),
}
STATE_BADGES = {
    State.OBJECTIVE_MET: "fr-badge--success",
    State.OBJECTIVE_MISSED: "fr-badge--warning",
    State.PENALTY_DUE: "fr-badge--error",
    State.NO_PENALTY_GRACE: "fr-badge--info",
    State.NO_PENALTY_BEYOND: "fr-badge--info",
    State.THRESHOLD_KEPT: "fr-badge--info",
    State.NO_DATA: "",
}

STATE_TONES = {
    State.OBJECTIVE_MET: "success",
    State.OBJECTIVE_MISSED: "warning",
    State.PENALTY_DUE: "error",
    State.NO_PENALTY_GRACE: "info",
    State.NO_PENALTY_BEYOND: "info",
    State.THRESHOLD_KEPT: "info",
    State.NO_DATA: "",
}


def objective_text(target: str, unit: str) -> str:
    """`>= 0.90` as `≥ 90 %`, `< 120` seconds as `< 2 min 00 s`; words stay words."""
    return formatting.written_target(target, unit) or "—"


def value_text(line) -> str:
    """The exact value, with the digits it takes not to read as its objective or its
    penalty threshold (99,4 % against ≥ 100 %, never 100 %)."""
    parsed = formatting.parse_comparison(line.objective)
    limits = (parsed[1] if parsed else None, line.threshold)
    return max(
        (formatting.distinct_value(line.value, line.unit, limit) for limit in limits), key=len
    )


def level_rows(statement: MonthlyStatement) -> list[dict]:
    """Each level shaped for the page, the workbook and the PDF."""
    rows = []
    for line in statement.settlement.levels:
        state = line.state
        rows.append(
            {
                "line": line,
                "value": value_text(line),
                "objective": objective_text(line.objective, line.unit),
                # the contract's words when they are not the comparison itself (plan
                # conformity: "jusqu'à 120 % des heures productives commandées")
                "objective_note": line.target if line.target != line.objective else "",
                "threshold": formatting.target(line.breach, line.threshold, line.unit),
                "objective_met": {True: _("yes"), False: _("no"), None: "—"}[line.objective_met],
                "penalty": str(STATUS_LABELS[line.status]),
                "state": str(STATE_LABELS[state]),
                "state_code": state,
                "badge": STATE_BADGES[state],
                "rate": formatting.percent(line.rate, 1),
                "base": formatting.euros(line.base),
                "amount": formatting.euros(line.amount),
            }
        )
    return rows


def statement_heading(statement: MonthlyStatement) -> str:
    return _("Monthly statement of service levels") + " — " + formatting.month_name(statement.month)


def statement_section(statement: MonthlyStatement) -> Section:
    """The statement as one table: the invoices (and the grace note), one row per service
    level, then the totals and the cap (SPEC §5)."""
    s = statement.settlement
    figure = statement.figures[0]
    note = grace_note(statement)
    return Section(
        formatting.month_name(statement.month),
        heading=[statement_heading(statement)],
        before=[
            [_("Phone invoice"), euros_cell(s.invoice_phone)],
            [_("Contact-form invoice"), euros_cell(s.invoice_forms)],
            *([[note]] if note else []),
        ],
        headers=[
            _("Service level"),
            _("Value"),
            _("Objective"),
            _("Penalty threshold"),
            _("Objective met"),
            _("State"),
            _("Penalty rate"),
            _("Base invoice"),
            _("Penalty"),
        ],
        rows=[
            [
                row["line"].label,
                unit_cell(row["line"].value, row["line"].unit, row["value"]),
                row["objective"] + (f" ({row['objective_note']})" if row["objective_note"] else ""),
                row["threshold"],
                row["objective_met"],
                Cell(row["state"], "General", tone=STATE_TONES[row["state_code"]]),
                Cell(float(row["line"].rate), PERCENT_FORMAT, row["rate"]),
                euros_cell(row["line"].base),
                euros_cell(row["line"].amount),
            ]
            for row in level_rows(statement)
        ],
        after=[
            [_("Total before cap"), euros_cell(s.total_before_cap)],
            [_("Cap: 10% of the monthly invoice"), euros_cell(s.cap)],
            [_("Total penalties"), euros_cell(s.total)],
            [_("Cap reached"), _("yes") if s.cap_reached else _("no")],
            [
                _("Termination risk (penalties beyond the cap)"),
                _("yes") if s.termination_risk else _("no"),
            ],
            [
                _("Longest service interruption, limit 48 h"),
                _("none")
                if figure.value is None
                else Cell(float(figure.value), HOURS_FORMAT, formatting.hours(figure.value)),
            ],
        ],
        widths=(55, 14, 16, 16, 12, 40, 12, 18, 16),
    )


def statement_workbook(statement: MonthlyStatement) -> bytes:
    return sections_to_xlsx([statement_section(statement)])


def statement_document(
    statement: MonthlyStatement, *, generated_by: str, generated_at: dt.datetime | None = None
) -> Document:
    """The statement as a document (core.documents): its identity block, the table, and the
    signature block of both parties, who acknowledge the month's penalties (SPEC §5: they
    "apply by right" and are deducted from the invoice)."""
    start, end = month_bounds(statement.month)
    return Document(
        title=statement_heading(statement),
        contract=str(CONTRACT_NAME),
        parties=str(CONTRACT_PARTIES),
        period=_("from %(start)s to %(end)s")
        % {"start": formatting.long_date(start), "end": formatting.long_date(end)},
        generated_at=timezone.localtime(generated_at or timezone.now()),
        generated_by=generated_by,
        sections=[statement_section(statement)],
        signatories=[str(_("For the Cnam")), str(_("For the contractor (Titulaire)"))],
        section_titles=False,
        labels=document_labels(),
    )


def statement_pdf(
    statement: MonthlyStatement,
    *,
    generated_by: str = "",
    generated_at: dt.datetime | None = None,
    compress: bool = True,
) -> bytes:
    """The statement document as landscape A4 pages."""
    return document_pdf(
        statement_document(
            statement,
            generated_by=generated_by or str(_("Décroché (command line)")),
            generated_at=generated_at,
        ),
        compress=compress,
    )


def document_labels() -> dict[str, str]:
    """The identity block and footer words of `core.documents`, translated."""
    return {
        "contract": str(_("Contract")),
        "parties": str(_("Parties")),
        "period": str(_("Period")),
        "generated_on": str(_("Generated on")),
        "generated_by": str(_("by")),
        "page": str(_("page")),
        "signature": str(_("Date and signature")),
        "signatures": str(_("Signatures")),
    }
