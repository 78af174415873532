"""Committee packs as an Excel workbook (one sheet per section) and a PDF document (SPEC §6,
core.documents: identity block, running header, page numbers)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from django.utils import timezone
from django.utils.translation import gettext as _

from decroche.core import formatting
from decroche.core.documents import Document, document_pdf
from decroche.core.exports import sections_to_xlsx

from .exports import CONTRACT_NAME, CONTRACT_PARTIES, document_labels
from .packs import Pack


def pack_heading(pack: Pack) -> str:
    return f"{pack.title} — {formatting.long_date(pack.held_on)}"


def pack_period(pack: Pack) -> str:
    return _("from %(start)s to %(end)s") % {
        "start": formatting.long_date(pack.start),
        "end": formatting.long_date(pack.end),
    }


def pack_workbook(pack: Pack) -> bytes:
    """One sheet per section, headed by the pack, its period and the section's full title."""
    return sections_to_xlsx(
        [
            replace(
                section,
                heading=[pack_heading(pack), pack_period(pack), section.title],
                widths=(40,),
            )
            for section in pack.sections
        ]
    )


def pack_pdf(
    pack: Pack,
    *,
    generated_by: str = "",
    generated_at: dt.datetime | None = None,
    compress: bool = True,
) -> bytes:
    """The pack as a document: no signature block, a pack prepares the committee whose
    minutes are validated afterwards (SPEC §6 "minutes within 24 working hours, validated if
    no remark within 48 h")."""
    return document_pdf(
        Document(
            title=pack_heading(pack),
            contract=str(CONTRACT_NAME),
            parties=str(CONTRACT_PARTIES),
            period=pack_period(pack),
            generated_at=timezone.localtime(generated_at or timezone.now()),
            generated_by=generated_by or _("Décroché (command line)"),
            sections=pack.sections,
            empty_text=_("No data for this committee."),
            labels=document_labels(),
        ),
        compress=compress,
    )
