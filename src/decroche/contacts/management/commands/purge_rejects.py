"""`decroche purge_rejects [--days N]`: delete rejects files past their term (30 days)."""

from django.core.management.base import BaseCommand, CommandError

from decroche.contacts.services import REJECTS_RETENTION_DAYS, rejects_purge


class Command(BaseCommand):
    help = (
        f"Delete the rejected-rows files of imports older than {REJECTS_RETENTION_DAYS} days "
        "(they hold source lines about people); run it daily from cron."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=REJECTS_RETENTION_DAYS)

    def handle(self, *args, days: int, **options) -> None:
        if days < 1:
            raise CommandError("--days must be at least 1")
        deleted = rejects_purge(days=days)
        self.stdout.write(f"{deleted} rejects file(s) deleted (older than {days} days)")
