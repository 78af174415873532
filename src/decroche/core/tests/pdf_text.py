"""The text layer of a generated PDF, page by page (pypdf), for the document tests."""

from __future__ import annotations

import io

from pypdf import PdfReader


def pdf_pages(pdf: bytes) -> list[str]:
    """Each page's text, no-break spaces read as spaces (extractors differ on them)."""
    return [page.extract_text().replace("\u00a0", " ") for page in PdfReader(io.BytesIO(pdf)).pages]
