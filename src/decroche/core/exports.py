"""One export mechanism for tables (STYLE: pretix's `ListExporter`): an app describes its
tables as `Section`s and renders them to XLSX, CSV or PDF through the writers below, so
every workbook and PDF of Décroché shares the same header style, number and date formats
(French, `core.formatting`), frozen header row and PDF table (`core.documents`, header
repeated on every page).

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
from decimal import Decimal

from . import formatting
from .formula_injection import csv_safe, protect_xlsx_cell

# Number formats of the workbook cells: real numbers, shown the French way by a French
# Excel or LibreOffice (the format codes are written in the file's neutral syntax, "." for
# the decimal mark and "," for grouping, which the spreadsheet shows as "," and a space).
DATE_FORMAT = "dd/mm/yyyy"
EUROS_FORMAT = '#,##0.00" €"'
PERCENT_FORMAT = '0.0" "%'
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"
SCORE_FORMAT = "#,##0.0"
HOURS_FORMAT = '#,##0.00" h"'
DURATION_FORMAT = '[m]" min "ss" s"'  # a duration stored as a fraction of a day
UNIT_FORMATS = {
    "rate": PERCENT_FORMAT,
    "seconds": DURATION_FORMAT,
    "count": "#,##0.##",
    "score": SCORE_FORMAT,
    "euros": EUROS_FORMAT,
}
SECONDS_PER_DAY = 86400
SHEET_TITLE_MAX = 31  # Excel's limit on a sheet name

CELL_PADDING = 13  # reportlab's default left + right cell padding (6 + 6), and a point to spare


@dataclass(frozen=True)
class Cell:
    """A value with its own number format, for a column whose format changes by row
    (an indicator's value: a rate, seconds or a count)."""

    value: object
    number_format: str
    text: str = ""  # what a page or a PDF shows; by default `value` written by its format
    tone: str = ""  # a PDF cell's colour beside its words: success, warning, error, info


def unit_cell(value: float | Decimal | None, unit: str, text: str = "") -> Cell:
    """An indicator's or a level's value as a real number with its unit's format (a
    duration in seconds is stored as a fraction of a day, Excel's time unit)."""
    shown = text or formatting.value(value, unit)
    if value is None:
        return Cell(None, "General", shown)
    stored = float(value) / SECONDS_PER_DAY if unit == "seconds" else float(value)
    return Cell(stored, UNIT_FORMATS.get(unit, DECIMAL_FORMAT), shown)


def euros_cell(value: float | Decimal | None) -> Cell:
    return Cell(None if value is None else float(value), EUROS_FORMAT, formatting.euros(value))


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


_FORMATTERS = {
    EUROS_FORMAT: formatting.euros,
    PERCENT_FORMAT: formatting.percent,
    "0.0%": formatting.percent,
    INTEGER_FORMAT: lambda v: formatting.number(v, 0),
    DECIMAL_FORMAT: lambda v: formatting.number(v, 2),
    SCORE_FORMAT: lambda v: formatting.number(v, 1),
    HOURS_FORMAT: formatting.hours,
    DURATION_FORMAT: lambda v: formatting.duration(v * SECONDS_PER_DAY),
}


def cell_text(value: object) -> str:
    """A cell as a page or a PDF shows it, in French (`core.formatting`)."""
    if isinstance(value, Cell):
        if value.text:
            return value.text
        if value.value is None:
            return ""
        formatter = _FORMATTERS.get(value.number_format)
        if formatter is not None and isinstance(value.value, int | float | Decimal):
            return formatter(value.value)
        value = value.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, dt.datetime):
        return formatting.date_time(value)
    if isinstance(value, dt.date):
        return formatting.short_date(value)
    if isinstance(value, int | Decimal | float):
        whole = Decimal(repr(value) if isinstance(value, float) else value)
        return formatting.number(value, 0 if whole == whole.to_integral_value() else 2)
    return str(value)


# --- XLSX --------------------------------------------------------------------------------------


def section_table(section: Section) -> dict:
    """A section as a page's table: its title, headers, note and rows of French text with
    each cell's tone (a `Cell`'s success, warning, error or info)."""
    return {
        "title": section.title,
        "headers": list(section.headers),
        "note": section.note,
        "rows": [
            [
                {"text": cell_text(value), "tone": value.tone if isinstance(value, Cell) else ""}
                for value in row
            ]
            for row in section.rows
        ],
    }


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
        protect_xlsx_cell(cell)
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
        protect_xlsx_cell(sheet.cell(row=sheet.max_row, column=1))
    for values in section.before:
        _append(sheet, values)
    if section.heading or section.before:
        sheet.append([])
    if section.headers:
        sheet.append(list(section.headers))
        for cell in sheet[sheet.max_row]:
            protect_xlsx_cell(cell)
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
        protect_xlsx_cell(sheet.cell(row=sheet.max_row, column=1))
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
            writer.writerow([csv_safe(header) for header in section.headers])
        for values in section.rows:
            writer.writerow([csv_safe(_plain(value)) for value in values])
    return buffer.getvalue()


# --- PDF ---------------------------------------------------------------------------------------
# The PDF of a section is part of a document: `core.documents.document_pdf`.


def column_widths(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    available: float,
    *,
    font: str = "Helvetica",
    size: float = 8,
    header_font: str = "Helvetica-Bold",
):
    """Each column as wide as its widest cell (headers wrap at their words). When the table
    would not fit the page, only the widest columns are narrowed, down to a common width,
    and never below their longest word: numbers and short labels stay on one line, long
    text wraps."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    natural, least = [], []
    for index, header in enumerate(headers):
        cells = [row[index] for row in rows if index < len(row)]
        words = [w for text in cells for w in text.replace("\u00a0", "_").split()]
        longest = CELL_PADDING + max(
            [stringWidth(w, font, size) for w in words]
            + [stringWidth(w, header_font, size) for w in header.split()]
            + [0]
        )
        widest = max([stringWidth(cell, font, size) for cell in cells] or [0]) + CELL_PADDING
        least.append(longest)
        natural.append(max(widest, longest))
    if sum(natural) <= available:
        return natural
    # water-filling: the largest common cap that fits, each column at least its longest word
    low, high = 0.0, max(natural)
    for _step in range(40):
        cap = (low + high) / 2
        total = sum(max(min(w, cap), m) for w, m in zip(natural, least, strict=True))
        low, high = (cap, high) if total <= available else (low, cap)
    widths = [max(min(w, low), m) for w, m in zip(natural, least, strict=True)]
    total = sum(widths)
    return [w * available / total for w in widths] if total > available else widths
