"""`decroche generate --from 2025-11-09 --to 2026-12-31 [--scale 1.0] [--seed 1] [--json]`."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from decroche.contacts.repeats import repeat_delays_refresh
from decroche.indicators.services import refresh_summary
from decroche.synthetic.services import traffic_generate


def parse_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Invalid date {value!r}: expected YYYY-MM-DD.") from error


class Command(BaseCommand):
    help = "Generate realistic synthetic calls, forms and advisor states (SPEC §1-§2); idempotent for a seed."

    def add_arguments(self, parser):
        parser.add_argument(
            "--from", dest="start", required=True, type=parse_date, help="First day (YYYY-MM-DD)."
        )
        parser.add_argument(
            "--to", dest="end", required=True, type=parse_date, help="Last day, included."
        )
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Multiplies the SPEC §2 volumes (default 1.0)."
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")

    def handle(self, *args, start, end, scale, seed, **options):
        if end < start:
            raise CommandError("--to precedes --from.")
        if scale <= 0:
            raise CommandError("--scale must be positive.")
        summary = traffic_generate(
            start=start,
            end=end,
            seed=seed,
            scale=scale,
            progress=options["verbosity"] > 0 and not options["json"],
        )
        # Link repeat callers so that first-contact resolution without repeat is measured.
        repeat_delays_refresh()
        refresh_summary()  # the dashboards read it (indicators.services)
        if options["json"]:
            self.stdout.write(json.dumps(summary.as_dict(), indent=2))
            return
        self.stdout.write(
            f"Generated {start} → {end} (seed {seed}, scale {scale:g}) in {summary.seconds:.1f} s"
        )
        for name, count in summary.generated.items():
            self.stdout.write(
                f"  {name:<16} {count:>10,} generated  {summary.inserted[name]:>10,} new"
            )
