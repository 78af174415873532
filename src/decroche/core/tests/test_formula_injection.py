"""Exports neutralise text a spreadsheet would run as a formula (issue 12 point 6): every
exporter of Décroché writes through `core.exports` (XLSX, CSV) or the rejects writer of
`core.tabular`, so each of them is tested with hostile text in every part of a sheet."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from decroche.core.exports import Section, sections_to_csv, sections_to_xlsx
from decroche.core.formula_injection import csv_safe, is_formula_like
from decroche.core.tabular.rejects import RejectsWriter

HOSTILE = ['=HYPERLINK("http://x","y")', "+33 6 12", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_like_text_gets_an_apostrophe_in_csv(text):
    assert is_formula_like(text)
    assert csv_safe(text) == "'" + text


@pytest.mark.parametrize("value", ["Dupont", "12 €", "", None, -3, 4.5, "a=b"])
def test_other_values_are_left_as_they_are(value):
    assert csv_safe(value) == value


def _section():
    return Section(
        "=feuille",
        heading=["=titre()"],
        before=[("Site", "=cmd|' /C calc'!A0")],
        headers=["Nom", "@entête"],
        rows=[["=1+1", -5], ["+Martin", "Dupont"]],
        after=[("-total", 3)],
        note="@note",
    )


def test_no_cell_of_a_workbook_is_a_formula_and_the_text_is_kept():
    sheet = load_workbook(io.BytesIO(sections_to_xlsx([_section()]))).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells}
    assert {
        "=titre()",
        "=cmd|' /C calc'!A0",
        "@entête",
        "=1+1",
        "+Martin",
        "-total",
        "@note",
    } <= texts
    # A number stays a number: -5 is a value, not text behind an apostrophe.
    assert -5 in texts


def test_csv_cells_are_neutralised_and_numbers_untouched():
    rows = list(csv.reader(io.StringIO(sections_to_csv([_section()]))))
    assert rows == [["Nom", "'@entête"], ["'=1+1", "-5"], ["'+Martin", "Dupont"]]


def test_the_rejects_file_neutralises_the_raw_line(tmp_path):
    writer = RejectsWriter(tmp_path / "rejects.csv")
    writer.add(2, "=reason", "-bad value", '=HYPERLINK("http://x")')
    writer.flush()
    writer.close()
    rows = list(csv.reader((tmp_path / "rejects.csv").open(encoding="utf-8")))
    assert rows[1] == ["2", "'=reason", "'-bad value", '\'=HYPERLINK("http://x")']
