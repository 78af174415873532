"""Committee packs as an Excel workbook (one sheet per section) and a PDF (SPEC §6)."""

from __future__ import annotations

import io
import re

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .packs import Pack


def pack_heading(pack: Pack) -> str:
    return f"{pack.title} — {pack.held_on:%d/%m/%Y} ({pack.start:%d/%m/%Y} – {pack.end:%d/%m/%Y})"


def pack_workbook(pack: Pack) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for index, section in enumerate(pack.sections, start=1):
        # Sheet titles: at most 31 characters, none of []:*?/\ and unique.
        name = re.sub(r"[\[\]:*?/\\]", " ", section.title)[:28].strip() or str(index)
        name = name if name not in used else f"{name[:25]} {index}"
        used.add(name)
        sheet = workbook.create_sheet(name)
        sheet.append([pack_heading(pack)])
        sheet["A1"].font = Font(bold=True, size=12)
        sheet.append([section.title])
        sheet.append(section.headers)
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for row in section.rows:
            sheet.append(row)
        if section.note:
            sheet.append([])
            sheet.append([section.note])
        sheet.column_dimensions["A"].width = 40
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pack_pdf(pack: Pack, *, compress: bool = True) -> bytes:
    """Landscape A4; `compress=False` leaves the text readable in the bytes (tests)."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        title=pack_heading(pack),
        pageCompression=1 if compress else 0,
        invariant=1,
    )
    styles = getSampleStyleSheet()
    story = [Paragraph(pack_heading(pack), styles["Title"])]
    for section in pack.sections:
        story.append(Paragraph(section.title, styles["Heading2"]))
        if section.rows:
            table = Table(
                [[str(h) for h in section.headers]]
                + [[str(cell) for cell in row] for row in section.rows],
                repeatRows=1,
            )
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
            story.append(table)
        if section.note:
            story.append(Paragraph(section.note, styles["Italic"]))
        story.append(Spacer(1, 8))
    if not any(section.rows for section in pack.sections):
        story.append(Paragraph(_("No data for this committee."), styles["Normal"]))
    document.build(story)
    return buffer.getvalue()
