"""`decroche statement --month 2026-03 --invoice-phone 250000 --invoice-forms 30000 [--json]
[--xlsx F] [--pdf F]`: the monthly statement of service levels and penalties (SPEC §5)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from decroche.contract.exports import statement_dict, statement_pdf, statement_workbook
from decroche.contract.selectors import monthly_statement, statement_invoices
from decroche.contract.services import monthly_invoice_record


def parse_month(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError as error:
        raise CommandError(f"--month: expected YYYY-MM, not {text!r}") from error


def parse_euros(text: str | None, option: str) -> Decimal | None:
    if text is None:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation as error:
        raise CommandError(f"{option}: not an amount: {text!r}") from error
    if amount < 0 or not amount.is_finite():
        raise CommandError(f"{option}: must be a positive amount")
    return amount


class Command(BaseCommand):
    help = "Monthly statement of service levels and penalties (SPEC §5)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--month", required=True, help="YYYY-MM, e.g. 2026-03")
        parser.add_argument(
            "--invoice-phone", help="phone production invoice in euros (recorded for the month)"
        )
        parser.add_argument(
            "--invoice-forms", help="contact-form production invoice in euros (recorded)"
        )
        parser.add_argument("--json", action="store_true", help="print the statement as JSON")
        parser.add_argument("--xlsx", type=Path, help="write the statement as an Excel workbook")
        parser.add_argument("--pdf", type=Path, help="write the statement as a PDF")

    def handle(self, *args, **options) -> None:
        month = parse_month(options["month"])
        phone = parse_euros(options["invoice_phone"], "--invoice-phone")
        forms = parse_euros(options["invoice_forms"], "--invoice-forms")
        given = phone is not None and forms is not None
        invoices = statement_invoices(month=month, phone=phone, forms=forms)
        if invoices is None:
            raise CommandError(
                "give --invoice-phone and --invoice-forms (no invoice recorded for this month)"
            )
        phone, forms = invoices
        if given:
            monthly_invoice_record(month=month, phone_amount=phone, forms_amount=forms)
        statement = monthly_statement(month=month, invoice_phone=phone, invoice_forms=forms)
        if options["xlsx"]:
            options["xlsx"].write_bytes(statement_workbook(statement))
        if options["pdf"]:
            options["pdf"].write_bytes(statement_pdf(statement))
        data = statement_dict(statement)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self._print(data)

    def _print(self, data: dict) -> None:
        self.stdout.write(f"Statement {data['month']}")
        if data["grace_note"]:
            self.stdout.write(f"  {data['grace_note']}")
        for level in data["levels"]:
            value = "no data" if level["value"] is None else f"{level['value']:g}"
            amount = f"{level['amount']:.2f} €" if level["applies"] else "-"
            self.stdout.write(f"  {level['level']:<24} {value:>12}  {level['status']:<18} {amount}")
        self.stdout.write(
            f"Total before cap {data['total_before_cap']:.2f} €, cap {data['cap']:.2f} €, "
            f"total {data['total']:.2f} €" + ("  CAP REACHED" if data["cap_reached"] else "")
        )
        figure = data["figures"][0]
        longest = "none" if figure["value"] is None else f"{figure['value']:g} h"
        self.stdout.write(f"Longest service interruption: {longest} (limit {figure['limit']:g} h)")
