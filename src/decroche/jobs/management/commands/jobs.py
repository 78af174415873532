"""`decroche jobs`: background jobs by status; `--fail-interrupted` ends the jobs a
stopped worker left running (issue 12 point 8). `make serve` runs it before its worker."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db.models import Count

from decroche.jobs.models import Job
from decroche.jobs.services import jobs_fail_interrupted


class Command(BaseCommand):
    help = "Background jobs by status; --fail-interrupted ends those a stopped worker left running."

    def add_arguments(self, parser):
        parser.add_argument(
            "--fail-interrupted",
            action="store_true",
            help="Mark the running jobs failed (run it when no worker is running).",
        )

    def handle(self, *args, fail_interrupted: bool = False, **options):
        if fail_interrupted:
            count = jobs_fail_interrupted()
            self.stdout.write(f"{count} interrupted job(s) marked failed")
        for row in Job.objects.values("status").annotate(n=Count("pk")).order_by("status"):
            self.stdout.write(f"{row['status']}: {row['n']}")
