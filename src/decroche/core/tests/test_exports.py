"""The export mechanism (core.exports) and the download helper (core.downloads)."""

from __future__ import annotations

import csv
import datetime as dt
import io

from openpyxl import load_workbook

from decroche.core.downloads import PDF, XLSX, file_response
from decroche.core.exports import (
    EUROS_FORMAT,
    Cell,
    Section,
    cell_text,
    euros_cell,
    sections_to_csv,
    sections_to_xlsx,
    unit_cell,
)


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


def test_typed_cells_are_real_numbers_in_french_formats():
    section = Section(
        "Relevé",
        headers=["Montant", "Taux", "Durée", "Vide"],
        rows=[
            [
                euros_cell(1234.56),
                unit_cell(0.994135, "rate"),
                unit_cell(125, "seconds"),
                unit_cell(None, "rate"),
            ]
        ],
    )
    sheet = load_workbook(io.BytesIO(sections_to_xlsx([section])))["Relevé"]
    amount, rate, duration, empty = sheet[2]
    # real numbers, never text: a spreadsheet can add them up
    assert amount.value == 1234.56 and amount.number_format == EUROS_FORMAT
    assert rate.value == 0.994135 and "%" in rate.number_format
    # a duration is a time value (a fraction of a day), read back as such
    assert (
        duration.value == dt.timedelta(seconds=125) and duration.number_format == '[m]" min "ss" s"'
    )
    assert empty.value is None
    # the same cells as a page or a PDF shows them
    texts = [cell_text(value) for value in section.rows[0]]
    assert texts == ["1\u00a0234,56\u00a0€", "99,4\u00a0%", "2\u00a0min\u00a005\u00a0s", "—"]


def test_cell_text_writes_plain_values_in_french():
    assert cell_text(dt.date(2026, 12, 3)) == "03/12/2026"
    assert cell_text(250000.0) == "250\u00a0000"
    assert cell_text(1234.5) == "1\u00a0234,50"
    assert cell_text(Cell(0.5, "0.0%")) == "50,0\u00a0%"  # Excel's own percent format
    assert cell_text(Cell(0.5, "0.000")) == "0,50"  # an unknown format: a French number


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
