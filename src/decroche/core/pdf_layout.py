"""The ReportLab layout of `core.documents` (fonts, running header, identity block,
tables, signatures): loaded only when a document is rendered. Its functions take a
`core.documents.Document` (not imported here: documents loads this module)."""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from . import formatting
from .exports import Cell, Section, cell_text, column_widths

FONT, BOLD_FONT, ITALIC_FONT = "DecrocheSans", "DecrocheSans-Bold", "DecrocheSans-Italic"
_FONT_FILES = {FONT: "Vera.ttf", BOLD_FONT: "VeraBd.ttf", ITALIC_FONT: "VeraIt.ttf"}
BLUE = colors.HexColor("#000091")  # the State's blue (DSFR)
GREY = colors.HexColor("#666666")
# The DSFR's light tones of success, warning, error and information: a cell's colour always
# comes with its words (RGAA 3.1, never the colour alone).
TONES = {
    "success": colors.HexColor("#b8fec9"),
    "warning": colors.HexColor("#fee7a0"),
    "error": colors.HexColor("#ffbdbd"),
    "info": colors.HexColor("#e8edff"),
}
CELL_FONT_SIZE = 7.5
MARGIN = 15 * mm
SECTION_START = 35 * mm  # room for a title and a few rows, else the section starts a page


def _register_fonts() -> None:
    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    for name, filename in _FONT_FILES.items():
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, os.path.join(folder, filename)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD_FONT, italic=ITALIC_FONT)


_register_fonts()

STYLES = {
    "title": ParagraphStyle("title", fontName=BOLD_FONT, fontSize=15, leading=19, textColor=BLUE),
    "heading": ParagraphStyle(
        "heading",
        fontName=BOLD_FONT,
        fontSize=11,
        leading=14,
        spaceBefore=6,
        spaceAfter=4,
    ),
    "normal": ParagraphStyle("normal", fontName=FONT, fontSize=9, leading=12),
    "note": ParagraphStyle("note", fontName=ITALIC_FONT, fontSize=8, leading=10, textColor=GREY),
    "cell": ParagraphStyle("cell", fontName=FONT, fontSize=CELL_FONT_SIZE, leading=9.5),
    "header": ParagraphStyle(
        "header", fontName=BOLD_FONT, fontSize=CELL_FONT_SIZE, leading=9.5, textColor=colors.white
    ),
}


def _page_canvas(document):
    """A canvas that knows the page count: each page is kept until the end, then stamped
    with its header and its `page n/N` footer (the ReportLab two-pass recipe)."""
    words = document.words()
    generated = formatting.date_time(document.generated_at)

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 (ReportLab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._stamp(total)
                super().showPage()
            super().save()

        def _stamp(self, total: int) -> None:
            width, height = self._pagesize
            self.saveState()
            self.setFont(BOLD_FONT, 8)
            self.setFillColor(BLUE)
            self.drawString(MARGIN, height - 10 * mm, document.title)
            self.setFont(FONT, 8)
            self.setFillColor(GREY)
            self.drawRightString(width - MARGIN, height - 10 * mm, document.contract)
            self.setStrokeColor(BLUE)
            self.setLineWidth(0.5)
            self.line(MARGIN, height - 11.5 * mm, width - MARGIN, height - 11.5 * mm)
            self.drawString(
                MARGIN,
                8 * mm,
                f"{words['generated_on']} {generated} — {words['generated_by']} "
                f"{document.generated_by}",
            )
            self.drawRightString(
                width - MARGIN, 8 * mm, f"{words['page']} {self._pageNumber}/{total}"
            )
            self.restoreState()

    return NumberedCanvas


def _identity(document) -> Table:
    words = document.words()
    rows = [
        (words["contract"], document.contract),
        (words["parties"], document.parties),
        (words["period"], document.period),
        (words["generated_on"], formatting.date_time(document.generated_at)),
        (words["generated_by"], document.generated_by),
    ]
    table = Table(
        [
            [
                Paragraph(f"<b>{escape(k)}</b>", STYLES["normal"]),
                Paragraph(escape(v), STYLES["normal"]),
            ]
            for k, v in rows
        ],
        colWidths=[35 * mm, None],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.5, BLUE),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#eeeef8")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _lines(values: Sequence[Sequence]) -> list:
    """Key–value lines as a borderless table; a line of one cell as a paragraph."""
    flowables: list = []
    pairs: list = []

    def flush() -> None:
        if pairs:
            table = Table(list(pairs), hAlign="LEFT")
            table.setStyle(TableStyle([("TOPPADDING", (0, 0), (-1, -1), 1)]))
            flowables.append(table)
            pairs.clear()

    for line in values:
        if len(line) == 1:
            flush()
            flowables.append(Paragraph(escape(cell_text(line[0])), STYLES["normal"]))
        else:
            pairs.append([Paragraph(escape(cell_text(v)), STYLES["normal"]) for v in line])
    flush()
    return flowables


def _table(section: Section, available: float) -> Table:
    headers = [str(header) for header in section.headers]
    rows = [[cell_text(value) for value in values] for values in section.rows]
    widths = column_widths(
        headers, rows, available, font=FONT, size=CELL_FONT_SIZE, header_font=BOLD_FONT
    )
    data = [[Paragraph(escape(h), STYLES["header"]) for h in headers]]
    data += [[Paragraph(escape(text), STYLES["cell"]) for text in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    commands = [
        ("BACKGROUND", (0, 0), (-1, 0), BLUE),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f6f6f6")]),
    ]
    for row_index, values in enumerate(section.rows, start=1):
        for column, value in enumerate(values):
            if isinstance(value, Cell) and value.tone in TONES:
                commands.append(
                    ("BACKGROUND", (column, row_index), (column, row_index), TONES[value.tone])
                )
    table.setStyle(TableStyle(commands))
    return table


def _signatures(document, available: float) -> KeepTogether:
    words = document.words()
    boxes = [
        [Paragraph(f"<b>{escape(who)}</b>", STYLES["normal"]) for who in document.signatories],
        [Paragraph(escape(words["signature"]), STYLES["note"]) for _who in document.signatories],
    ]
    width = available / len(document.signatories)
    table = Table(boxes, colWidths=[width] * len(document.signatories), rowHeights=[None, 28 * mm])
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.5, colors.grey),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
            ]
        )
    )
    return KeepTogether([Paragraph(escape(words["signatures"]), STYLES["heading"]), table])


def render(document, *, compress: bool = True) -> bytes:
    """The document as landscape A4 pages (see `core.documents` for the layout)."""
    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        title=document.title,
        author=document.generated_by,
        subject=document.contract,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=16 * mm,
        bottomMargin=14 * mm,
        pageCompression=1 if compress else 0,
        invariant=1,
    )
    story: list = [
        Paragraph(escape(document.title), STYLES["title"]),
        Spacer(1, 4),
        _identity(document),
        Spacer(1, 8),
    ]
    for section in document.sections:
        if document.section_titles:
            # a section's title never ends a page without the start of its table
            story.append(CondPageBreak(SECTION_START))
            story.append(Paragraph(escape(section.title), STYLES["heading"]))
        if section.before:
            story += [*_lines(section.before), Spacer(1, 6)]
        if section.rows:
            story.append(_table(section, template.width))
        if section.after:
            story += [Spacer(1, 8), *_lines(section.after)]
        if section.note:
            story.append(Paragraph(escape(section.note), STYLES["note"]))
        story.append(Spacer(1, 6))
    if document.empty_text and not any(section.rows for section in document.sections):
        story.append(Paragraph(escape(document.empty_text), STYLES["normal"]))
    if document.signatories:
        story += [Spacer(1, 10), _signatures(document, template.width)]
    template.build(story, canvasmaker=_page_canvas(document))
    return buffer.getvalue()
