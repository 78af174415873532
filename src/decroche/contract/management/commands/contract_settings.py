"""`decroche contract-settings`: show and set the contract's settings (SPEC §5, §6).

    decroche contract-settings [show] [--json]
    decroche contract-settings set [--activity-start 2026-01-15] [--grace-months 4]
    decroche contract-settings invoice --month 2026-03 --phone 250000 --forms 30000
    decroche contract-settings revise-level answer_rate --from 2026-07-01 [--threshold 0.9]
        [--rate 0.02] [--breach "<"] [--invoice phone|total] [--note "avenant n°2"]

Every write goes through `contract.services` and writes one audit entry.
"""

from __future__ import annotations

import datetime as dt
import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from decroche.contract.management.commands.statement import parse_euros, parse_month
from decroche.contract.models import MonthlyInvoice
from decroche.contract.penalties import grace_period_end
from decroche.contract.selectors import contract_settings, levels_in_force
from decroche.contract.services import (
    contract_settings_update,
    monthly_invoice_record,
    service_level_revise,
)
from decroche.core.calendar import paris_today


def parse_day(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"{option}: expected YYYY-MM-DD, not {text!r}") from error


class Command(BaseCommand):
    help = "Show and set the contract settings, monthly invoices and service-level revisions."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--json", action="store_true", help="print the settings as JSON")
        actions = parser.add_subparsers(dest="action")
        show = actions.add_parser("show", help="the settings, invoices and levels in force")
        show.add_argument("--json", action="store_true", dest="json_show")
        change = actions.add_parser("set", help="activity start and grace months")
        change.add_argument("--activity-start", help="YYYY-MM-DD, first day of call taking")
        change.add_argument("--grace-months", type=int, help="0 to 4 (SPEC §5)")
        invoice = actions.add_parser("invoice", help="record the production invoices of a month")
        invoice.add_argument("--month", required=True, help="YYYY-MM")
        invoice.add_argument("--phone", required=True, help="phone production invoice (€)")
        invoice.add_argument("--forms", required=True, help="contact-form production invoice (€)")
        revise = actions.add_parser("revise-level", help="a new version of a service level")
        revise.add_argument("code", help="e.g. answer_rate")
        revise.add_argument("--from", dest="valid_from", required=True, help="YYYY-MM-DD")
        revise.add_argument("--threshold")
        revise.add_argument("--rate", help="fraction of the invoice: 0.02 = 2%%")
        revise.add_argument("--breach", choices=["<", ">"])
        revise.add_argument("--invoice", choices=["phone", "total"])
        revise.add_argument("--note", default="", help="reason (e.g. the amendment's number)")

    def handle(self, *args, **options) -> None:
        action = options.get("action") or "show"
        try:
            if action == "set":
                self._set(options)
            elif action == "invoice":
                invoice = monthly_invoice_record(
                    month=parse_month(options["month"]),
                    phone_amount=parse_euros(options["phone"], "--phone"),
                    forms_amount=parse_euros(options["forms"], "--forms"),
                )
                self.stdout.write(
                    f"Invoices of {invoice.month:%Y-%m}: phone {invoice.phone_amount} €, "
                    f"forms {invoice.forms_amount} €"
                )
            elif action == "revise-level":
                self._revise(options)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        if action != "show":
            return
        data = self._data()
        if options["json"] or options.get("json_show"):
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"Activity start {data['activity_start']}, grace {data['grace_months']} months "
            f"(penalised from {data['grace_period_end']})"
        )
        for invoice in data["invoices"]:
            self.stdout.write(
                f"  invoice {invoice['month']}: phone {invoice['phone_amount']:.2f} €, "
                f"forms {invoice['forms_amount']:.2f} €"
            )
        for level in data["levels"]:
            self.stdout.write(
                f"  {level['code']:<24} {level['breach']} {level['threshold']:g}  "
                f"rate {level['rate']:g} of {level['invoice']}  from {level['valid_from']}"
            )

    def _set(self, options) -> None:
        fields: dict[str, object] = {}
        if options["activity_start"]:
            fields["activity_start"] = parse_day(options["activity_start"], "--activity-start")
        if options["grace_months"] is not None:
            fields["grace_months"] = options["grace_months"]
        if not fields:
            raise CommandError("give --activity-start and/or --grace-months")
        settings = contract_settings_update(**fields)
        self.stdout.write(
            f"Activity start {settings.activity_start}, grace {settings.grace_months} months"
        )

    def _revise(self, options) -> None:
        changes: dict[str, object] = {}
        for name in ("threshold", "rate"):
            if options[name] is not None:
                changes[name] = parse_euros(options[name], f"--{name}")
        for name in ("breach", "invoice"):
            if options[name] is not None:
                changes[name] = options[name]
        if not changes:
            raise CommandError("give at least one of --threshold, --rate, --breach, --invoice")
        level = service_level_revise(
            code=options["code"],
            valid_from=parse_day(options["valid_from"], "--from"),
            change_note=options["note"],
            **changes,
        )
        self.stdout.write(f"{level.code}: new version from {level.valid_from}")

    def _data(self) -> dict:
        settings = contract_settings()
        today = paris_today()
        return {
            "activity_start": settings.activity_start.isoformat(),
            "grace_months": settings.grace_months,
            "grace_period_end": grace_period_end(
                settings.activity_start, settings.grace_months
            ).isoformat(),
            "invoices": [
                {
                    "month": f"{invoice.month:%Y-%m}",
                    "phone_amount": float(invoice.phone_amount),
                    "forms_amount": float(invoice.forms_amount),
                }
                for invoice in MonthlyInvoice.objects.all()[:24]
            ],
            "levels": [
                {
                    "code": level.code,
                    "breach": level.breach,
                    "threshold": float(level.threshold),
                    "rate": float(level.rate),
                    "invoice": level.invoice,
                    "valid_from": level.valid_from.isoformat(),
                }
                for level in levels_in_force(today)
            ],
        }
