"""The export mechanism (core.exports) and the download helper (core.downloads)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from openpyxl import load_workbook

from decroche.core.downloads import PDF, XLSX, file_response
from decroche.core.exports import Cell, Section, sections_to_csv, sections_to_pdf, sections_to_xlsx


def _section(rows: int = 3) -> Section:
    return Section(
        "Relevé",
        headers=["Jour", "Appels", "Taux", "Site"],
        rows=[[dt.date(2026, 3, 2), 10 + i, Cell(0.8, "0.0%"), "nord"] for i in range(rows)],
        formats={1: "#,##0"},
        heading=["Titre"],
        before=[["Facture (€)", 250000.0]],
        note="Une note.",
    )


def test_xlsx_cells_keep_their_types_and_formats():
    sheet = load_workbook(io.BytesIO(sections_to_xlsx([_section()])))["Relevé"]
    # row 1 heading, row 2 key-value line, row 3 blank, row 4 header, rows 5.. data
    assert sheet["A1"].value == "Titre" and sheet["B2"].value == 250000.0
    assert [c.value for c in sheet[4]] == ["Jour", "Appels", "Taux", "Site"]
    assert sheet.freeze_panes == "A5"
    day, calls, rate, site = sheet[5]
    assert day.value.date() == dt.date(2026, 3, 2) and day.number_format == "dd/mm/yyyy"
    assert calls.value == 10 and calls.number_format == "#,##0"
    assert rate.value == 0.8 and rate.number_format == "0.0%"
    assert site.value == "nord"


def test_sheet_titles_are_valid_and_unique():
    book = load_workbook(
        io.BytesIO(sections_to_xlsx([Section("a/b"), Section("a/b"), Section("x" * 40)]))
    )
    assert book.sheetnames == ["a b", "a b 2", "x" * 31]


def test_csv_is_the_header_then_the_rows():
    rows = list(csv.reader(io.StringIO(sections_to_csv([_section(2)]))))
    assert rows == [
        ["Jour", "Appels", "Taux", "Site"],
        ["2026-03-02", "10", "0.8", "nord"],
        ["2026-03-02", "11", "0.8", "nord"],
    ]


def test_pdf_repeats_the_header_on_every_page():
    pdf = sections_to_pdf([_section(120)], title="Titre", compress=False)
    pages = len(re.findall(rb"/Type /Page\b", pdf))
    assert pages >= 2  # 120 rows do not fit one landscape A4 page
    # pdftotext/pypdf are absent here; uncompressed, each header cell is a text literal.
    assert pdf.count(b"(Appels)") == pages
    assert b"(01/01/2026)" not in pdf and b"(02/03/2026)" in pdf  # dates in French


def test_download_header_ascii_and_non_ascii():
    ascii_name = file_response(b"x", "releve-2026-03.xlsx", XLSX)
    assert ascii_name["Content-Disposition"] == 'attachment; filename="releve-2026-03.xlsx"'
    assert ascii_name["Content-Type"] == XLSX and ascii_name.content == b"x"
    accented = file_response(b"%PDF", "relevé.pdf", PDF)
    assert accented["Content-Disposition"] == "attachment; filename*=utf-8''relev%C3%A9.pdf"


def test_download_streams_an_open_file(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes(b"a,b\n")
    response = file_response(path.open("rb"), "rejets.csv", "text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="rejets.csv"'
    assert b"".join(response.streaming_content) == b"a,b\n"
