"""`decroche audit-verify`: prove the audit trail's hash chain intact, or name the first
broken entry and exit non-zero (issue 12 §4, "Interface the checks use")."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from decroche.core.selectors import describe_chain, verify_chain


class Command(BaseCommand):
    help = "Verify the audit trail's keyed hash chain (exit 1 naming the first broken entry)."

    def handle(self, *args, **options) -> None:
        report = verify_chain()
        if not report.intact:
            raise CommandError(describe_chain(report))
        self.stdout.write(self.style.SUCCESS(describe_chain(report)))
