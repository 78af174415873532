"""The statement as XLSX and PDF, readable back (SPEC §5)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from decroche.contacts.factories import calls_make
from decroche.contract.exports import statement_pdf, statement_workbook
from decroche.contract.selectors import monthly_statement
from decroche.contract.services import contract_settings_update
from decroche.core.exports import EUROS_FORMAT
from decroche.core.tests.pdf_text import pdf_pages

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
    # real numbers, not text, in their French formats
    assert by_label["Taux de décroché téléphonique"][1] == 0.8
    assert by_label["Taux de décroché téléphonique"][5] == "Pénalité due"
    assert by_label["Taux de décroché téléphonique"][8] == 5000.0
    assert by_label["Total des pénalités"][1] == 5000.0
    assert by_label["Plafond : 10 % de la facture mensuelle"][1] == 28000.0
    cells = {row[0].value: row for row in sheet.iter_rows() if row[0].value}
    assert cells["Total des pénalités"][1].number_format == EUROS_FORMAT
    assert "%" in cells["Taux de décroché téléphonique"][1].number_format


def test_pdf_is_the_statement_document(statement):
    pdf = statement_pdf(statement, generated_by="Claire Fontaine")
    assert pdf.startswith(b"%PDF")
    pages = pdf_pages(pdf)
    first, text = pages[0], " ".join(" ".join(pages).split())
    # the identity block
    for words in (
        "Relevé mensuel des niveaux de service — mars 2026",
        "Marché de support de niveau 1 de Mon espace santé",
        "Caisse nationale de l'Assurance Maladie (Cnam)",
        "du 1er mars 2026 au 31 mars 2026",
        "Généré le",
        "Claire Fontaine",
    ):
        assert words in " ".join(first.split()), words
    for number, page in enumerate(pages, start=1):
        assert f"page {number}/{len(pages)}" in page
    # values in French, statuses in French words, the signature block of both parties
    assert "Total des pénalités 5 000,00 €" in text
    assert "28 000,00 €" in text and "80,0 %" in text and "≥ 90 %" in text
    assert "Pénalité due" in text and "0.8" not in text and "5000.0" not in text
    assert "Pour la Cnam" in text and "Pour le Titulaire" in text
