"""`decroche committee_pack --kind weekly|monthly|forecast --date 2026-03-06 [--pdf F]
[--xlsx F]`: a committee pack (SPEC §6); without a file, prints its sections."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from decroche.contract.choices import CommitteeKind
from decroche.contract.pack_exports import pack_heading, pack_pdf, pack_workbook
from decroche.contract.packs import committee_pack


class Command(BaseCommand):
    help = "Committee pack (weekly production, monthly steering, ten-day forecast; SPEC §6)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--kind", required=True, choices=list(CommitteeKind.values))
        parser.add_argument("--date", required=True, help="day of the committee, YYYY-MM-DD")
        parser.add_argument("--pdf", type=Path, help="write the pack as a PDF")
        parser.add_argument("--xlsx", type=Path, help="write the pack as an Excel workbook")

    def handle(self, *args, **options) -> None:
        try:
            held_on = dt.date.fromisoformat(options["date"])
        except ValueError as error:
            raise CommandError(f"--date: expected YYYY-MM-DD, not {options['date']!r}") from error
        pack = committee_pack(kind=options["kind"], held_on=held_on)
        if options["pdf"]:
            options["pdf"].write_bytes(pack_pdf(pack))
        if options["xlsx"]:
            options["xlsx"].write_bytes(pack_workbook(pack))
        self.stdout.write(pack_heading(pack))
        for section in pack.sections:
            self.stdout.write(f"\n## {section.title}")
            self.stdout.write(" | ".join(str(h) for h in section.headers))
            for row in section.rows:
                self.stdout.write(" | ".join(str(cell) for cell in row))
            if section.note:
                self.stdout.write(f"({section.note})")
