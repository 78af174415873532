"""Writes of `decroche demo`: one nominative account per role and a few months of traffic.

Idempotent: an account that exists keeps its password; traffic already stored is
skipped by its natural key (SPEC §9: nominative accounts, never generic).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from decroche.accounts.models import User
from decroche.accounts.roles import ROLES
from decroche.core.calendar import add_months, paris_today
from decroche.organisation.models import Advisor, Site

from . import roster
from .services import GenerationSummary, reference_data_ensure, traffic_generate

DEMO_PASSWORD = "Decroche-Demo-2026!"
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
            user.set_password(DEMO_PASSWORD)
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
        accounts.append(DemoAccount(role.code, username, created))
    return accounts


def months_before(day: dt.date, months: int) -> dt.date:
    """The day after the same date `months` months earlier (clamped to the month's end)."""
    return add_months(day, -months) + dt.timedelta(days=1)


def demo_traffic_generate(
    *, months: int, today: dt.date | None = None, scale: float = 1.0, progress: bool = False
) -> GenerationSummary:
    """`months` months of traffic ending yesterday (seed 1)."""
    end = (today or paris_today()) - dt.timedelta(days=1)
    return traffic_generate(
        start=months_before(end, months), end=end, seed=1, scale=scale, progress=progress
    )
