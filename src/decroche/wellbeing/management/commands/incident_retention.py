"""`decroche incident-retention [--dry-run] [--years 5]`: apply the retention schedule of
the incident register (SPEC §9; issue 14 §4), runnable from cron. Reports whose event is
older than the term are anonymised: texts, statements, health notes and witnesses erased,
the counted facts kept for the statistics."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from decroche.wellbeing.services import apply_retention


class Command(BaseCommand):
    help = "Anonymise the incident reports past their retention term."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count, change nothing")
        parser.add_argument("--years", type=int, default=5, help="retention term (default 5)")

    def handle(self, *args, dry_run: bool, years: int, **options) -> None:
        if years < 1:
            raise CommandError("--years: at least 1")
        count = apply_retention(now=timezone.now(), years=years, dry_run=dry_run)
        verb = "would be anonymised" if dry_run else "anonymised"
        self.stdout.write(f"{count} report(s) {verb}")
