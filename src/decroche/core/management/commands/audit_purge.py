"""`decroche audit-purge [--keep-days 400] [--dry-run]`: remove the audit entries past the
retention term (SPEC §9: at least one year), keeping the chain verifiable (issue 12 §4)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from decroche.core.services import DEFAULT_KEEP_DAYS, MIN_KEEP_DAYS, audit_purge


class Command(BaseCommand):
    help = "Purge audit entries older than --keep-days (at least 366), through a checkpoint."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--keep-days", type=int, default=DEFAULT_KEEP_DAYS)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, keep_days: int, dry_run: bool, **options) -> None:
        if keep_days < MIN_KEEP_DAYS:
            raise CommandError(
                f"--keep-days must be at least {MIN_KEEP_DAYS}: the access history is kept "
                "at least one year (SPEC §9)."
            )
        result = audit_purge(keep_days=keep_days, dry_run=dry_run)
        verb = "would be purged" if dry_run else "purged"
        self.stdout.write(
            f"{result.entries} audit entries older than {result.before:%Y-%m-%d %H:%M} UTC "
            f"{verb} (through sequence {result.through_sequence})."
        )
