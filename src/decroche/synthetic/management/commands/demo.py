"""`decroche demo [--months 3]`: demo accounts for every role and recent synthetic traffic.

Non-interactive and safe to run again (what exists is kept, nothing is duplicated)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from decroche.contacts.repeats import repeat_delays_refresh
from decroche.indicators.services import refresh_summary
from decroche.synthetic.demo import DEMO_PASSWORD, demo_accounts_ensure, demo_traffic_generate
from decroche.synthetic.orders import demo_invoices_ensure, demo_orders_ensure

DEMO_URL = "http://127.0.0.1:8000"


class Command(BaseCommand):
    help = "Create one demo account per role and load a few months of synthetic traffic ending yesterday."

    def add_arguments(self, parser):
        parser.add_argument(
            "--months", type=int, default=3, help="Months of traffic ending yesterday (default 3)."
        )
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Multiplies the volumes (default 1.0)."
        )

    def handle(self, *args, months: int, scale: float, **options):
        if months < 0:
            raise CommandError("--months must be zero or more.")
        accounts = demo_accounts_ensure()
        if months:
            summary = demo_traffic_generate(
                months=months, scale=scale, progress=options["verbosity"] > 0
            )
            repeat_delays_refresh()
            refresh_summary()  # the dashboards read it (indicators.services)
            orders = demo_orders_ensure(start=summary.start, end=summary.end)
            invoices = demo_invoices_ensure(start=summary.start, end=summary.end)
            self.stdout.write(
                f"Contract: {orders} new orders (firm and indicative, every ten-day period), "
                f"{invoices} new monthly invoices."
            )
            self.stdout.write(
                f"Traffic {summary.start} → {summary.end}: {summary.inserted['call']:,} new calls, "
                f"{summary.inserted['contactform']:,} new forms, {summary.inserted['advisorstate']:,} new advisor states "
                f"({summary.seconds:.0f} s)."
            )
        self.stdout.write("")
        self.stdout.write(f"Décroché demo: open {DEMO_URL} and log in with one of these accounts:")
        self.stdout.write(f"  {'role':<20} {'username':<22} password")
        for account in accounts:
            note = "" if account.created else "  (existing account: password unchanged)"
            self.stdout.write(f"  {account.role:<20} {account.username:<22} {DEMO_PASSWORD}{note}")
