"""Committee packs as an Excel workbook (one sheet per section) and a PDF (SPEC §6)."""

from __future__ import annotations

from dataclasses import replace

from django.utils.translation import gettext as _

from decroche.core.exports import sections_to_pdf, sections_to_xlsx

from .packs import Pack


def pack_heading(pack: Pack) -> str:
    return f"{pack.title} — {pack.held_on:%d/%m/%Y} ({pack.start:%d/%m/%Y} – {pack.end:%d/%m/%Y})"


def pack_workbook(pack: Pack) -> bytes:
    """One sheet per section, headed by the pack and the section's full title."""
    return sections_to_xlsx(
        [
            replace(section, heading=[pack_heading(pack), section.title], widths=(40,))
            for section in pack.sections
        ]
    )


def pack_pdf(pack: Pack, *, compress: bool = True) -> bytes:
    """Landscape A4; `compress=False` leaves the text readable in the bytes (tests)."""
    return sections_to_pdf(
        pack.sections,
        title=pack_heading(pack),
        empty_text=_("No data for this committee."),
        compress=compress,
    )
