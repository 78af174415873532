"""One layout for every generated document (core.documents, issue 18 point 4): identity
block, running header, `page n/N` footer, tables repeating their header, signatures. The
text layer is read back with pypdf, as an auditor's tools would read it."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest

from decroche.core.documents import Document, document_pdf
from decroche.core.exports import Section, euros_cell, unit_cell

from .pdf_text import pdf_pages

GENERATED = dt.datetime(2026, 12, 3, 17, 5)


def _document(rows: int, signatories=()) -> Document:
    return Document(
        title="Relevé d'essai",
        contract="Marché d'essai",
        parties="La Cnam et le Titulaire",
        period="du 1er au 30 novembre 2026",
        generated_at=GENERATED,
        generated_by="Claire Fontaine",
        sections=[
            Section(
                "Tableau",
                headers=["Jour", "Appels décrochés", "Taux", "Montant"],
                rows=[
                    [
                        dt.date(2026, 11, 2),
                        1000 + i,
                        unit_cell(0.994135, "rate"),
                        euros_cell(1234.5),
                    ]
                    for i in range(rows)
                ],
            )
        ],
        signatories=signatories,
    )


def test_identity_block_and_page_numbers_are_in_the_text_layer():
    pages = pdf_pages(document_pdf(_document(120, signatories=["Pour la Cnam"])))
    assert len(pages) >= 3  # 120 rows do not fit one landscape A4 page
    first = pages[0]
    for words in (
        "Contrat",
        "Marché d'essai",
        "Parties",
        "La Cnam et le Titulaire",
        "Période",
        "du 1er au 30 novembre 2026",
        "Généré le",
        "3 décembre 2026 à 17 h 05",
        "Claire Fontaine",
    ):
        assert words in first, words
    total = len(pages)
    for number, text in enumerate(pages, start=1):
        assert f"page {number}/{total}" in text  # the footer of every page
        assert "Relevé d'essai" in text and "Marché d'essai" in text  # the running header
        assert "Appels décrochés" in " ".join(text.split())  # the header row, repeated
    # French numbers and dates in the cells, the signature block at the end
    assert "1 000" in first and "99,4 %" in first and "1 234,50 €" in first
    assert "02/11/2026" in first
    assert "Pour la Cnam" in pages[-1] and "Date et signature" in pages[-1]


def test_a_document_without_signatories_has_no_signature_block():
    (page,) = pdf_pages(document_pdf(_document(3)))
    assert "page 1/1" in page and "Signatures" not in page


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler's pdftoppm is absent")
def test_pages_render_to_images(tmp_path):
    """Looked at as a person would: each page renders to a PNG (pdftoppm, as docs/ shows)."""
    path = tmp_path / "document.pdf"
    path.write_bytes(document_pdf(_document(60)))
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(path), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == len(pdf_pages(path.read_bytes())) >= 2
    assert all(image.read_bytes().startswith(b"\x89PNG") for image in images)
