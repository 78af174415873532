"""`decroche jobs`: background jobs by status; `--fail-interrupted` ends the jobs a
stopped worker left running (issue 12 point 8), `make serve` runs it before its worker;
`--purge-days N` (daily, cron) deletes finished jobs and their files older than N days."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from decroche.jobs.models import Job
from decroche.jobs.services import jobs_fail_interrupted, jobs_purge


class Command(BaseCommand):
    help = "Background jobs by status; --fail-interrupted ends those a stopped worker left running."

    def add_arguments(self, parser):
        parser.add_argument(
            "--fail-interrupted",
            action="store_true",
            help="Mark the running jobs failed (run it when no worker is running).",
        )
        parser.add_argument(
            "--purge-days",
            type=int,
            help="Delete the finished jobs (and their files) older than this many days.",
        )

    def handle(self, *args, fail_interrupted: bool = False, purge_days=None, **options):
        if purge_days is not None:
            if purge_days < 0:
                raise CommandError("--purge-days must be 0 or more")
            count = jobs_purge(days=purge_days)
            self.stdout.write(f"{count} finished job(s) deleted")
        if fail_interrupted:
            count = jobs_fail_interrupted()
            self.stdout.write(f"{count} interrupted job(s) marked failed")
        for row in Job.objects.values("status").annotate(n=Count("pk")).order_by("status"):
            self.stdout.write(f"{row['status']}: {row['n']}")
