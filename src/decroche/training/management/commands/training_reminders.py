"""`decroche training_reminders [--day YYYY-MM-DD]`: remind once, by e-mail, each trainee and
manager whose transfer evaluation (three months after a session) is due and unanswered.
Idempotent: run it daily from cron."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand

from decroche.core.calendar import paris_today
from decroche.training.followup import transfer_reminders_send


class Command(BaseCommand):
    help = "Remind the transfer evaluations due and unanswered (once each)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--day", type=dt.date.fromisoformat, help="today by default (Paris)")

    def handle(self, *args, day: dt.date | None = None, **options) -> None:
        count = transfer_reminders_send(today=day or paris_today())
        self.stdout.write(f"{count} transfer evaluations reminded.")
