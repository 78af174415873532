"""`decroche order-proposal --committee 2026-03-06`: productive hours to order for D+10
(firm), D+20 and D+30 (indicative), with predicted indicators and what-if scenarios."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from decroche.planning import proposal_tables, selectors
from decroche.planning.management.commands.forecast import parse_day


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:.4f}" if 0 < abs(value) < 1 else f"{value:.1f}"
    return "—" if value is None else str(value)


class Command(BaseCommand):
    help = _(
        "Order proposal of a forecast committee (SPEC §6): productive phone hours per day and "
        "hour from the forecast and Erlang A, form hours, predicted answer rate and wait, and "
        "the what-if scenarios side by side."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--committee", required=True, help=_("Day of the committee, YYYY-MM-DD.")
        )
        parser.add_argument(
            "--shrinkage",
            type=float,
            default=0.0,
            help=_("Share of paid time off the phones, for the hours to schedule (e.g. 0.3)."),
        )
        parser.add_argument(
            "--history-months",
            type=int,
            default=selectors.DEFAULT_HISTORY_MONTHS,
            help=_("Months of history before the committee (default 12)."),
        )
        parser.add_argument("--json", action="store_true", help=_("Print one JSON object."))
        parser.add_argument("--xlsx", type=Path, help=_("Write the proposal to this workbook."))

    def handle(self, *args, **options):
        committee = parse_day(options["committee"])
        if not 0 <= options["shrinkage"] < 1:
            raise CommandError(_("--shrinkage must be in [0, 1)."))
        if options["history_months"] < 1:
            raise CommandError(_("--history-months must be at least 1."))
        proposal = selectors.order_proposal(
            committee, shrinkage=options["shrinkage"], history_months=options["history_months"]
        )
        if options["xlsx"]:
            options["xlsx"].write_bytes(proposal_tables.proposal_workbook(proposal))
        if options["json"]:
            self.stdout.write(json.dumps(proposal_tables.proposal_dict(proposal)))
            return
        lines = [_("Order proposal") + f" — {committee:%d/%m/%Y}"]
        lines += [f"{label}: {value}" for label, value in proposal_tables.assumption_rows(proposal)]
        lines.append("")
        lines.append(" | ".join(proposal_tables.summary_headers(proposal)))
        for row in proposal_tables.summary_rows(proposal):
            lines.append(" | ".join(_cell(cell) for cell in row))
        firm = proposal.plans[0].periods[0]
        lines.append("")
        lines.append(proposal_tables.period_label(firm))
        lines.append(" | ".join(proposal_tables.day_headers()))
        for row in proposal_tables.day_rows(firm):
            lines.append(" | ".join(_cell(cell) for cell in row))
        self.stdout.write("\n".join(lines))
