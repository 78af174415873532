"""The statement as XLSX and PDF, readable back (SPEC §5)."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from decroche.contacts.factories import calls_make
from decroche.contract.exports import statement_pdf, statement_workbook
from decroche.contract.selectors import monthly_statement
from decroche.contract.services import contract_settings_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def statement(db):
    contract_settings_update(activity_start=dt.date(2025, 11, 9), grace_months=3)
    # 10 calls, 8 answered → 0.8 < 0.89: 2% × 250 000 = 5 000.00; handling 250 s met
    calls_make(dt.date(2026, 3, 2), answered=8, abandoned=2)
    return monthly_statement(
        month=dt.date(2026, 3, 1), invoice_phone=Decimal("250000"), invoice_forms=Decimal("30000")
    )


def test_workbook_reads_back(statement):
    sheet = load_workbook(io.BytesIO(statement_workbook(statement))).active
    rows = [row for row in sheet.iter_rows(values_only=True) if any(row)]
    by_label = {row[0]: row for row in rows}
    assert by_label["Taux de décroché téléphonique"][1] == 0.8
    assert by_label["Taux de décroché téléphonique"][8] == 5000.0
    assert by_label["Total des pénalités (€)"][1] == 5000.0
    assert by_label["Plafond : 10 % de la facture mensuelle (€)"][1] == 28000.0


def test_pdf_shows_the_totals(statement, tmp_path):
    pdf = statement_pdf(statement)
    assert pdf.startswith(b"%PDF")
    plain = statement_pdf(statement, compress=False)
    # Standard PDF fonts write "é" as the octal escape \351 (WinAnsi).
    assert b"Total des p\\351nalit\\351s" in plain and b"5000.0" in plain and b"28000.0" in plain
    if shutil.which("pdftotext"):
        path = tmp_path / "statement.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Total des pénalités" in text and "28000.0" in text
