"""`decroche process-leavers [--date YYYY-MM-DD] [--json] [--dry-run]`: the daily leavers'
and long absences' run (SPEC §9), from cron. Idempotent: closes the accounts of leavers
whose last day has passed (deadline: 3 working days), suspends the rights of people
absent over 90 days and restores them on return; prints what it did and what was overdue.
Exits with status 0; the overdue items are in the output (and in `--json`'s `overdue`)."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from decroche.core.calendar import paris_today
from decroche.organisation.review.services import leavers_process


class Command(BaseCommand):
    help = (
        "Close leavers' accounts (within 3 working days), suspend the rights of people "
        "absent over 90 days and restore them on return; audited."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", help="YYYY-MM-DD (default: today in Paris)")
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be done, change nothing."
        )

    def handle(self, *args, **options) -> None:
        try:
            day = dt.date.fromisoformat(options["date"]) if options["date"] else paris_today()
        except ValueError as error:
            raise CommandError(f"--date: expected YYYY-MM-DD, not {options['date']!r}") from error
        report = leavers_process(today=day, dry_run=options["dry_run"])
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), indent=2))
        else:
            self.stdout.write(report.as_text())
