"""`decroche refresh_summary`: recompute the daily indicator summary whole (nightly; edits,
deletes and imports keep it exact day by day through the dirty-day triggers)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from decroche.indicators.bindings import BINDINGS
from decroche.indicators.services import refresh_summary


class Command(BaseCommand):
    help = "Recompute the daily summary the indicator engine reads when it is fresh."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--source", action="append", choices=sorted(BINDINGS), help="only this source"
        )

    def handle(self, *args, **options) -> None:
        began = time.perf_counter()
        stored = refresh_summary(sources=options["source"])
        for source, days in stored.items():
            self.stdout.write(f"{source:16} {days:6} days")
        self.stdout.write(f"summary refreshed in {time.perf_counter() - began:.1f} s")
