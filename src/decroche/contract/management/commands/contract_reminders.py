"""`decroche contract_reminders [--today YYYY-MM-DD]`: the contract's deadlines, from cron.

Idempotent: orders unanswered after 3 working days become "deemed valid" (SPEC §6);
target changes unanswered after the 15th are accepted by silence and published from the
first day of the coming quarter (SPEC §5); the others get one reminder per day.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from decroche.contract.selectors import orders_awaiting_validation, proposals_awaiting_answer
from decroche.contract.services import orders_deem_valid
from decroche.contract.target_changes import (
    target_changes_accept_by_silence,
    target_changes_remind,
)


class Command(BaseCommand):
    help = (
        "Apply the contract's deadlines: orders deemed valid, target changes accepted by silence."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--today", help="YYYY-MM-DD (default: today in Paris)")

    def handle(self, *args, **options) -> None:
        try:
            today = (
                dt.date.fromisoformat(options["today"])
                if options["today"]
                else timezone.localdate()
            )
        except ValueError as error:
            raise CommandError(f"--today: expected YYYY-MM-DD, not {options['today']!r}") from error
        for order in orders_deem_valid(today=today):
            self.stdout.write(f"order {order.pk} ({order}) deemed valid")
        for proposal in target_changes_accept_by_silence(today=today):
            self.stdout.write(
                f"target change {proposal.pk} ({proposal}) accepted by silence, "
                f"in force from {proposal.effective_from}"
            )
        target_changes_remind(today=today)
        for order in orders_awaiting_validation():
            self.stdout.write(
                f"awaiting validation: order {order.pk} ({order}) by {order.validation_deadline}"
            )
        for proposal in proposals_awaiting_answer():
            self.stdout.write(
                f"awaiting an answer: target change {proposal.pk} ({proposal}) "
                f"by {proposal.answer_deadline}"
            )
