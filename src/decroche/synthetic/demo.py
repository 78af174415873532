"""Writes of `decroche demo`: one nominative account per role and a few months of traffic.

Idempotent: an account that exists keeps its password; traffic already stored is
skipped by its natural key (SPEC §9: nominative accounts, never generic).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from decroche.accounts.models import User
from decroche.accounts.roles import ROLES
from decroche.contract.penalties import Settlement
from decroche.contract.selectors import monthly_statement, statement_invoices
from decroche.core.calendar import last_complete_month, paris_today
from decroche.organisation.models import Advisor, Site

from . import roster
from .services import GenerationSummary, reference_data_ensure, traffic_generate

DEMO_PASSWORD = "Decroche-Demo-2026!"
# The demo's second factor (SPEC §9), published like its password: every demo account has
# an authenticator device with this secret (one entry in the app serves every account) and
# an e-mail device (in DEBUG the codes are printed by the console e-mail backend).
DEMO_TOTP_KEY = "4465636f726368652d44656d6f2d544f54502d4b6579"  # hex of "Decroche-Demo-TOTP-Key"
DEMO_ADVISOR_LOGIN = "A1001"
# Role -> (first name, last name) of the demo person; the advisor is roster advisor A1001.
DEMO_PEOPLE = {
    "team_leader": ("Nadia", "Benali"),
    "site_manager": ("Hélène", "Rousseau"),
    "workforce_planner": ("Julien", "Mercier"),
    "contract_manager": ("Claire", "Fontaine"),
    "quality_analyst": ("Sophie", "Garnier"),
    "trainer": ("Olivier", "Lambert"),
    "security_officer": ("Karim", "Haddad"),
    "client_auditor": ("Isabelle", "Morel"),
    "cnam_evaluator": ("Marc", "Lefebvre"),
    "administrator": ("Antoine", "Girard"),
    "occupational_health": ("Martine", "Perrin"),
    "prevention_officer": ("Thomas", "Caron"),
    "staff_representative": ("Nathalie", "Blanc"),
    "evaluator": ("Lucie", "Vasseur"),
    "certification_jury": ("Bernard", "Picard"),
    "training_manager": ("Sandrine", "Marchand"),
}


@dataclass(frozen=True)
class DemoAccount:
    role: str
    username: str
    created: bool


def _person(role: str) -> tuple[str, str]:
    if role == "advisor":
        person = next(a for a in roster.advisors() if a.login == DEMO_ADVISOR_LOGIN)
        return person.first_name, person.last_name
    return DEMO_PEOPLE[role]


@transaction.atomic
def demo_accounts_ensure() -> list[DemoAccount]:
    """One account per role of `accounts.roles`, linked to the advisor, team and site it steers."""
    reference_data_ensure()
    advisor = Advisor.objects.select_related("team", "site").get(login=DEMO_ADVISOR_LOGIN)
    accounts = []
    # One hash for the shared, published demo password: hashing it once per account would
    # cost about a second of CPU each (Argon2, SPEC §9), the longest step of the demo.
    demo_hash = None
    for role in ROLES:
        first_name, last_name = _person(role.code)
        username = f"{roster.ascii_slug(first_name)}.{roster.ascii_slug(last_name)}".replace(
            "-", ""
        )
        user = User.objects.filter(username=username).first()
        created = user is None
        if created:
            user = User(
                username=username,
                first_name=first_name,
                last_name=last_name,
                email=f"{username}@example.org",
                must_change_password=False,
                is_staff=role.code in ("administrator", "site_manager"),
                is_superuser=role.code == "administrator",
            )
            user.full_clean(exclude=["password"])
            validate_password(DEMO_PASSWORD, user)
            demo_hash = demo_hash or make_password(DEMO_PASSWORD)
            user.password = demo_hash
            user.save()
        user.groups.add(Group.objects.get(name=role.code))
        if role.code == "advisor" and advisor.user_id is None:
            advisor.user = user
            advisor.save(update_fields=["user"])
        elif role.code == "team_leader" and advisor.team and advisor.team.leader_id is None:
            advisor.team.leader = user
            advisor.team.save(update_fields=["leader"])
        elif role.code == "site_manager":
            Site.objects.get(pk=advisor.site_id).managers.add(user)
        demo_second_factor_ensure(user)
        accounts.append(DemoAccount(role.code, username, created))
    return accounts


def demo_totp_secret() -> str:
    """The demo's TOTP secret as an authenticator app takes it (base 32, by groups of 4)."""
    from base64 import b32encode

    secret = b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def demo_second_factor_ensure(user: User) -> None:
    """An authenticator device with the published demo secret and an e-mail device, both
    confirmed, unless the account already has its own."""
    from django_otp.plugins.otp_email.models import EmailDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not TOTPDevice.objects.filter(user=user).exists():
        TOTPDevice.objects.create(
            user=user, name="Démo : application", key=DEMO_TOTP_KEY, confirmed=True
        )
    if not EmailDevice.objects.filter(user=user).exists():
        EmailDevice.objects.create(user=user, name="Démo : e-mail", confirmed=True)


def demo_span(months: int, today: dt.date) -> tuple[dt.date, dt.date]:
    """The demo's traffic days: the `months` complete months before `today`'s month, then
    the current month up to yesterday (3 on 3 December 2026: 1 September – 2 December)."""
    first = last_complete_month(today)
    for _month in range(months - 1):
        first = last_complete_month(first)
    return first, today - dt.timedelta(days=1)


def shortage_month(today: dt.date) -> tuple[dt.date, dt.date]:
    """The month the demo understaffs: the last complete month, the one the dashboards and
    the statement open on (first and last day)."""
    first = last_complete_month(today)
    return first, today.replace(day=1) - dt.timedelta(days=1)


def demo_traffic_generate(
    *, months: int, today: dt.date | None = None, scale: float = 1.0, progress: bool = False
) -> GenerationSummary:
    """Traffic of `demo_span` (seed 1), the last complete month short of phone advisors."""
    today = today or paris_today()
    start, end = demo_span(months, today)
    return traffic_generate(
        start=start,
        end=end,
        seed=1,
        scale=scale,
        progress=progress,
        shortage=shortage_month(today),
    )


def demo_settlement(month: dt.date) -> Settlement | None:
    """The statement of `month` computed by `contract` from the stored data and the
    recorded invoice (None without an invoice): what the demo's closing message shows."""
    invoices = statement_invoices(month=month)
    if invoices is None:
        return None
    statement = monthly_statement(month=month, invoice_phone=invoices[0], invoice_forms=invoices[1])
    return statement.settlement
