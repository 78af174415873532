"""`decroche demo [--months 1]`: demo accounts for every role, recent synthetic traffic,
the Cnam's orders and invoices, and the committees; the last complete month is short of
advisors, so that its statement owes penalties (SPEC §5, §6).

Non-interactive and safe to run again (what exists is kept, nothing is duplicated)."""

from __future__ import annotations

import os
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from decroche.accounts.models import User
from decroche.contacts.repeats import repeat_delays_refresh
from decroche.core.calendar import paris_today
from decroche.indicators.services import refresh_summary
from decroche.synthetic.certification import demo_certification_ensure
from decroche.synthetic.committees import demo_committees_ensure
from decroche.synthetic.demo import (
    DEMO_PASSWORD,
    demo_accounts_ensure,
    demo_settlement,
    demo_span,
    demo_totp_secret,
    demo_traffic_generate,
    shortage_month,
)
from decroche.synthetic.incidents import demo_incidents_ensure
from decroche.synthetic.leavers import demo_leavers_ensure
from decroche.synthetic.orders import demo_invoices_ensure, demo_orders_ensure
from decroche.synthetic.quality import demo_quality_ensure
from decroche.synthetic.replies import demo_replies_ensure
from decroche.synthetic.training import demo_training_ensure

ALL_INTERFACES = ("0.0.0.0", "::", "[::]")


def demo_url(host: str, port: str) -> str:
    """The address to open for a server bound to `host`:`port` (all interfaces: this machine)."""
    if host in ALL_INTERFACES:
        host = "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


class Command(BaseCommand):
    help = (
        "Create one demo account per role and load synthetic traffic (the complete months "
        "asked for and the current month up to yesterday), orders, invoices and committees."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--months",
            type=int,
            default=1,
            help="Complete months of traffic before the current month (default 1).",
        )
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Multiplies the volumes (default 1.0)."
        )
        parser.add_argument(
            "--host",
            default=os.environ.get("HOST") or "127.0.0.1",
            help="Interface the server binds to, for the address printed (default $HOST).",
        )
        parser.add_argument(
            "--port",
            default=os.environ.get("PORT") or "8000",
            help="Port of the server, for the address printed (default $PORT or 8000).",
        )

    def step(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def handle(self, *args, months: int, scale: float, host: str, port: str, **options):
        if months < 0:
            raise CommandError("--months must be zero or more.")
        began = time.perf_counter()
        accounts = demo_accounts_ensure()
        demo_leavers_ensure(today=paris_today())  # accounts to review (issue 12.5)
        settlement = penalty_month = None
        if months:
            today = paris_today()
            start, end = demo_span(months, today)
            self.step(f"Traffic {start} → {end} (the days already stored are kept)…")
            summary = demo_traffic_generate(
                months=months, today=today, scale=scale, progress=options["verbosity"] > 0
            )
            self.step(
                f"  {summary.inserted['call']:,} new calls, {summary.inserted['contactform']:,} "
                f"new forms, {summary.inserted['advisorstate']:,} new advisor states "
                f"({summary.seconds:.0f} s)."
            )
            self.step("Repeat contacts and the dashboards' daily summary…")
            repeat_delays_refresh()
            refresh_summary()  # the dashboards read it (indicators.services)
            self.step("The Cnam's orders, the monthly invoices and the committees…")
            shortage = shortage_month(today)
            orders = demo_orders_ensure(start=start, end=end, shortage=shortage)
            invoices = demo_invoices_ensure(start=start, end=end)
            users = {account.role: account.username for account in accounts}
            committees = demo_committees_ensure(
                start=start,
                end=end,
                shortage=shortage,
                prepared_by=User.objects.get(username=users["contract_manager"]),
                client=User.objects.get(username=users["client_auditor"]),
            )
            self.step(
                f"  {orders} new orders (firm and indicative, every ten-day period), "
                f"{invoices} new monthly invoices, {committees} new committees."
            )
            self.step("Quality: sampling, evaluations, calibrations, disputes, coaching…")
            quality = demo_quality_ensure(month=shortage[0])
            if quality is not None:
                self.step(
                    f"  {quality.evaluations} evaluations, {quality.calibrations} calibrations, "
                    f"{quality.disputes} disputes, {quality.coachings} feedback and coaching sessions."
                )
            demo_replies_ensure(  # the reply templates' library (issue 11.7)
                today=today,
                author=User.objects.get(username=users["trainer"]),
                approver=User.objects.get(username=users["quality_analyst"]),
            )
            self.step(
                f"  {demo_incidents_ensure(today)} incident reports with follow-ups and check-ins."
            )
            assessed = demo_certification_ensure(  # two-evaluator certification (issue 15)
                candidate=User.objects.get(username=users["advisor"]),
                evaluator_a=User.objects.get(username=users["evaluator"]),
                evaluator_b=User.objects.get(username=users["trainer"]),
                jury=User.objects.get(username=users["certification_jury"]),
            )
            self.step(f"  {assessed} new co-signed competency assessment.")
            training = demo_training_ensure(today=today)  # issue 13
            if training is not None:
                self.step(
                    f"  Training: {training.sessions} sessions, {training.attendances} half-day "
                    f"signatures, {training.certificates} certificates, "
                    f"{training.not_trained} advisors on the line without the full initial path."
                )
            penalty_month = shortage[0]
            settlement = demo_settlement(penalty_month)
        self.step(f"Done in {time.perf_counter() - began:.0f} s.")
        self.stdout.write("")
        if settlement is not None and penalty_month is not None:
            missed = [line.label for line in settlement.levels if line.applies]
            cap_effect = (
                f"capped at {settlement.cap:,.2f} € (10 % of the invoice)"
                if settlement.cap_reached
                else f"below the cap of {settlement.cap:,.2f} € (10 % of the invoice)"
            )
            self.stdout.write(
                f"Penalty month: {penalty_month:%Y-%m} (short of advisors) — "
                f"{settlement.total:,.2f} € of penalties due, {cap_effect}; "
                f"levels missed: {', '.join(missed) or 'none'}. The dashboards, the statement "
                f"and the monthly committee pack open on this month."
            )
        url = demo_url(host, port)
        self.stdout.write(f"Décroché demo: open {url} and log in with one of these accounts:")
        self.stdout.write(f"  {'role':<20} {'username':<22} password")
        for account in accounts:
            note = "" if account.created else "  (existing account: password unchanged)"
            self.stdout.write(f"  {account.role:<20} {account.username:<22} {DEMO_PASSWORD}{note}")
        self.stdout.write(
            "Double authentification (exigée pour tous les rôles sauf conseiller) : après le "
            "mot de passe, saisissez\n"
            "  - soit le code d'une application d'authentification (FreeOTP, Aegis, Google "
            "Authenticator…) où vous aurez ajouté la clé secrète de démonstration, commune à "
            f"tous les comptes : {demo_totp_secret()}\n"
            "  - soit un code par e-mail : cliquez « M'envoyer un code », le message s'affiche "
            "dans le terminal du serveur (make demo : DEBUG, e-mails écrits sur la console)."
        )
        sys.stdout.flush()
