"""One export mechanism for tables (STYLE: pretix's `ListExporter`): an app describes its
tables as `Section`s and renders them to XLSX, CSV or PDF through the writers below, so
every workbook and PDF of Décroché shares the same header style, date format, frozen
header row and PDF table (header repeated on every page).

A sheet is laid out top to bottom as: the `heading` lines (the first one is the
document's title), the `before` lines (key–value pairs), a blank line, the table
(`headers`, then `rows`), a blank line and the `after` lines, then the `note`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

# openpyxl and reportlab are imported by the writers that use them, not here: this module
# is loaded with the URL configuration, at every start (docs/architecture.md).

DATE_FORMAT = "dd/mm/yyyy"
SHEET_TITLE_MAX = 31  # Excel's limit on a sheet name

CELL_FONT_SIZE = 8
CELL_PADDING = 13  # reportlab's default left + right cell padding (6 + 6), and a point to spare
LINES_STYLE = [("FONTSIZE", (0, 0), (-1, -1), 9)]


@dataclass(frozen=True)
class Cell:
    """A value with its own number format, for a column whose format changes by row
    (an indicator's value: a rate, seconds or a count)."""

    value: object
    number_format: str


@dataclass
class Section:
    """One table: a sheet of a workbook, a block of a CSV file, a table of a PDF."""

    title: str
    headers: Sequence[str] = ()
    rows: list[Sequence] = field(default_factory=list)
    formats: Mapping[int, str] = field(default_factory=dict)  # column index → number format
    heading: Sequence[str] = ()
    before: Sequence[Sequence] = ()
    after: Sequence[Sequence] = ()
    note: str = ""
    widths: Sequence[float | None] = ()  # XLSX column widths, from column A
    frozen_columns: int = 0  # columns kept in view beside the frozen header row


def _plain(value: object) -> object:
    return value.value if isinstance(value, Cell) else value


def _text(value: object) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return f"{value:%d/%m/%Y}"
    return str(value)


# --- XLSX --------------------------------------------------------------------------------------


def sheet_title(title: str, used: set[str]) -> str:
    """A valid, unique sheet name: none of []:*?/\\, at most 31 characters."""
    name = re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:SHEET_TITLE_MAX].strip() or "Sheet"
    suffix = 2
    while name in used:
        tail = f" {suffix}"
        name = name[: SHEET_TITLE_MAX - len(tail)] + tail
        suffix += 1
    used.add(name)
    return name


def _append(sheet, values: Sequence, formats: Mapping[int, str] = {}) -> None:  # noqa: B006
    sheet.append([_plain(value) for value in values])
    for index, value in enumerate(values):
        cell = sheet.cell(row=sheet.max_row, column=index + 1)
        if isinstance(value, Cell):
            cell.number_format = value.number_format
        elif index in formats:
            cell.number_format = formats[index]
        elif isinstance(value, dt.date):
            cell.number_format = DATE_FORMAT


def _write_sheet(sheet, section: Section) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    for index, line in enumerate(section.heading):
        sheet.append([line])
        title = index == 0
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, size=13 if title else None)
    for values in section.before:
        _append(sheet, values)
    if section.heading or section.before:
        sheet.append([])
    if section.headers:
        sheet.append(list(section.headers))
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor="000091")
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        column = get_column_letter(section.frozen_columns + 1)
        sheet.freeze_panes = f"{column}{sheet.max_row + 1}"
    for values in section.rows:
        _append(sheet, values, section.formats)
    if section.after:
        sheet.append([])
        for values in section.after:
            _append(sheet, values)
    if section.note:
        sheet.append([])
        sheet.append([section.note])
    for index, width in enumerate(section.widths, start=1):
        if width:
            sheet.column_dimensions[get_column_letter(index)].width = width


def sections_to_xlsx(sections: Sequence[Section]) -> bytes:
    """A workbook with one sheet per section, in order."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for section in sections:
        _write_sheet(workbook.create_sheet(sheet_title(section.title, used)), section)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- CSV ---------------------------------------------------------------------------------------


def sections_to_csv(sections: Sequence[Section]) -> str:
    """Each section's header row and rows (values as they are, None empty); a blank line
    between sections. Headings, key–value lines and notes belong to the workbook and the
    PDF only, so a one-section CSV file is a plain table."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for index, section in enumerate(sections):
        if index:
            writer.writerow([])
        if section.headers:
            writer.writerow(list(section.headers))
        for values in section.rows:
            writer.writerow([_plain(value) for value in values])
    return buffer.getvalue()


# --- PDF ---------------------------------------------------------------------------------------


def column_widths(headers: Sequence[str], rows: Sequence[Sequence[str]], available: float):
    """Each column as wide as its widest cell or its header's longest word (headers wrap),
    all narrowed in proportion when the table would not fit the page."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

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


def _lines(values: Sequence[Sequence], styles) -> list:
    """Key–value lines as a borderless table; a line of one cell as a paragraph."""
    from reportlab.platypus import Paragraph, Table

    flowables, pairs = [], []
    for line in values:
        if len(line) == 1:
            if pairs:
                flowables.append(Table(pairs, style=LINES_STYLE, hAlign="LEFT"))
                pairs = []
            flowables.append(Paragraph(escape(_text(line[0])), styles["Normal"]))
        else:
            pairs.append([_text(value) for value in line])
    if pairs:
        flowables.append(Table(pairs, style=LINES_STYLE, hAlign="LEFT"))
    return flowables


def sections_to_pdf(
    sections: Sequence[Section],
    *,
    title: str,
    section_titles: bool = True,
    empty_text: str = "",
    compress: bool = True,
) -> bytes:
    """Landscape A4: the title, then each section (its title when `section_titles`, its
    key–value lines, its table with the header row repeated on every page, its closing
    lines and note); `empty_text` when no section has rows. `compress=False` leaves the
    text readable in the bytes (tests)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        title=title,
        pageCompression=1 if compress else 0,
        invariant=1,
    )
    styles = getSampleStyleSheet()
    header_style = ParagraphStyle(
        "header", fontName="Helvetica-Bold", fontSize=CELL_FONT_SIZE, leading=CELL_FONT_SIZE + 1
    )
    story: list = [Paragraph(escape(title), styles["Title"])]
    for section in sections:
        if section_titles:
            story.append(Paragraph(escape(section.title), styles["Heading2"]))
        if section.before:
            story += [*_lines(section.before, styles), Spacer(1, 8)]
        if section.rows:
            headers = [str(header) for header in section.headers]
            rows = [[_text(value) for value in values] for values in section.rows]
            table = Table(
                [[Paragraph(escape(header), header_style) for header in headers]] + rows,
                colWidths=column_widths(headers, rows, document.width),
                repeatRows=1,
            )
            table.setStyle(
                TableStyle(
                    [
                        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                        ("FONTSIZE", (0, 0), (-1, -1), CELL_FONT_SIZE),
                        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            story.append(table)
        if section.after:
            story += [Spacer(1, 12), *_lines(section.after, styles)]
        if section.note:
            story.append(Paragraph(escape(section.note), styles["Italic"]))
        story.append(Spacer(1, 8))
    if empty_text and not any(section.rows for section in sections):
        story.append(Paragraph(escape(empty_text), styles["Normal"]))
    document.build(story)
    return buffer.getvalue()
