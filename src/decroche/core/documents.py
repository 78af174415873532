"""One layout for every generated document (issue 18 point 4): the monthly statement, the
committee packs, and the people-side documents to come (evaluation sheets, attendance
sheets, certificates, incident reports) are `Document`s rendered by `document_pdf`.

Every page carries a running header (the document's title and its contract) and a footer
(generated on, by whom, `page 2/5`); the first page opens with the identity block
(contract, parties, period, generated on, by whom); tables are the `core.exports` sections,
their header row repeated on every page; a signature block closes the document when it
has signatories. Values are written by `core.formatting` (French numbers and dates).

The fonts are Bitstream Vera, shipped inside ReportLab: they hold the characters the
standard PDF fonts lack (≥, ≤, the no-break space of French numbers), with no system
font to install.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from .exports import Section


@dataclass(frozen=True)
class Document:
    """What a document says about itself, shown in its identity block and on every page."""

    title: str
    contract: str
    parties: str
    period: str
    generated_at: dt.datetime  # in Paris time
    generated_by: str
    sections: Sequence[Section] = ()
    signatories: Sequence[str] = ()  # one signature box each ("Pour la Cnam")
    section_titles: bool = True
    empty_text: str = ""
    labels: dict[str, str] = field(default_factory=dict)  # the identity block's words

    def words(self) -> dict[str, str]:
        """The identity block's and footer's words: the defaults, then `labels`."""
        return {**DEFAULT_LABELS, **self.labels}


# The identity block and footer words, French by default (the documents are French); an app
# passes its translated words in `Document.labels` when it has them.
DEFAULT_LABELS = {
    "contract": "Contrat",
    "parties": "Parties",
    "period": "Période",
    "generated_on": "Généré le",
    "generated_by": "Par",
    "page": "page",
    "signature": "Date et signature",
    "signatures": "Signatures",
}


def document_pdf(document: Document, *, compress: bool = True) -> bytes:
    """The document as landscape A4 pages (layout in the module docstring). ReportLab is
    loaded here, when a document is made, not with the application (docs/architecture.md)."""
    from .pdf_layout import render

    return render(document, compress=compress)
