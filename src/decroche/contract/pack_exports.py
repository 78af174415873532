"""Committee packs as an Excel workbook (one sheet per section) and a PDF (SPEC §6)."""

from __future__ import annotations

import io
import re
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.pdfbase.pdfmetrics import stringWidth
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


CELL_FONT_SIZE = 8
CELL_PADDING = 7  # reportlab's default left + right cell padding, and a point to spare


def _column_widths(headers: list[str], rows: list[list[str]], available: float) -> list[float]:
    """Each column as wide as its widest cell or its header's longest word (headers wrap),
    all narrowed in proportion when the table would not fit the page."""
    widths = []
    for index, header in enumerate(headers):
        cells = [row[index] for row in rows if index < len(row)]
        words = header.split() or [""]
        widest = max(
            [stringWidth(cell, "Helvetica", CELL_FONT_SIZE) for cell in cells]
            + [stringWidth(word, "Helvetica-Bold", CELL_FONT_SIZE) for word in words]
        )
        widths.append(widest + CELL_PADDING)
    total = sum(widths)
    return [width * available / total for width in widths] if total > available else widths


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
    header_style = ParagraphStyle(
        "header", fontName="Helvetica-Bold", fontSize=CELL_FONT_SIZE, leading=CELL_FONT_SIZE + 1
    )
    story = [Paragraph(pack_heading(pack), styles["Title"])]
    for section in pack.sections:
        story.append(Paragraph(section.title, styles["Heading2"]))
        if section.rows:
            headers = [str(h) for h in section.headers]
            rows = [[str(cell) for cell in row] for row in section.rows]
            table = Table(
                [[Paragraph(escape(header), header_style) for header in headers]] + rows,
                colWidths=_column_widths(headers, rows, document.width),
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
