"""The monthly statement as JSON-ready data, an Excel workbook and a PDF (SPEC §5)."""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

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


def _rows(statement: MonthlyStatement) -> list[list]:
    header = [
        _("Service level"),
        _("Value"),
        _("Target"),
        _("Threshold"),
        _("Status"),
        _("Penalty applies"),
        _("Rate"),
        _("Base invoice (€)"),
        _("Amount (€)"),
    ]
    rows = [header]
    for line in statement.settlement.levels:
        rows.append(
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
        )
    return rows


def _summary(statement: MonthlyStatement) -> list[list]:
    s = statement.settlement
    figure = statement.figures[0]
    return [
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
    ]


def statement_workbook(statement: MonthlyStatement) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{statement.month:%Y-%m}"
    sheet.append([_("Monthly statement of service levels") + f" — {statement.month:%Y-%m}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([_("Phone invoice (€)"), float(statement.settlement.invoice_phone)])
    sheet.append([_("Contact-form invoice (€)"), float(statement.settlement.invoice_forms)])
    if grace_note(statement):
        sheet.append([grace_note(statement)])
    sheet.append([])
    for index, row in enumerate(_rows(statement)):
        sheet.append(row)
        if index == 0:
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
    sheet.append([])
    for row in _summary(statement):
        sheet.append(row)
    sheet.column_dimensions["A"].width = 55
    for column in "BCDEFGHI":
        sheet.column_dimensions[column].width = 16
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def statement_pdf(statement: MonthlyStatement, *, compress: bool = True) -> bytes:
    """A one-page landscape PDF; `compress=False` leaves the text readable in the bytes."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        title=f"Statement {statement.month:%Y-%m}",
        pageCompression=1 if compress else 0,
        invariant=1,
    )
    styles = getSampleStyleSheet()
    rows = [[str(cell) for cell in row] for row in _rows(statement)]
    table = Table(rows, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
            ]
        )
    )
    summary = Table([[str(a), str(b)] for a, b in _summary(statement)])
    summary.setStyle(TableStyle([("FONTSIZE", (0, 0), (-1, -1), 9)]))
    s = statement.settlement
    story = [
        Paragraph(
            _("Monthly statement of service levels") + f" — {statement.month:%Y-%m}",
            styles["Title"],
        ),
        Paragraph(
            _("Phone invoice: %(phone)s €; contact-form invoice: %(forms)s €")
            % {"phone": s.invoice_phone, "forms": s.invoice_forms},
            styles["Normal"],
        ),
        *([Paragraph(grace_note(statement), styles["Normal"])] if grace_note(statement) else []),
        Spacer(1, 8),
        table,
        Spacer(1, 12),
        summary,
    ]
    document.build(story)
    return buffer.getvalue()
