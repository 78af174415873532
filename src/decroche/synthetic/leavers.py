"""Demo leavers and long absences (issue 12.5): a few advisors of the synthetic roster
who left or are away for long get a nominative account, so the CSO's page of accounts
to review (`/organisation/comptes-a-revoir/`) and `decroche process-leavers` have work
to show: leavers whose account is still open (some past the 3 working days), absences
over 90 days, and one suspension already made by the daily run (SPEC §9).

Safe to run again: once a leaver of the roster has an account, nothing more is done."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from decroche.accounts.services import user_nominative_create
from decroche.organisation import leavers
from decroche.organisation.models import Advisor
from decroche.organisation.review.services import rights_suspend

LEAVERS = 3  # the most recent leavers of the roster
ABSENCES = 2  # absences over 90 days, the first one suspended already


@dataclass(frozen=True)
class LeaversDemoSummary:
    leavers: int
    absences: int
    suspended: int


def _give_account(advisor: Advisor) -> None:
    advisor.user = user_nominative_create(
        username=advisor.login,
        email=advisor.email,
        first_name=advisor.first_name,
        last_name=advisor.last_name,
        role_code="advisor",
    )
    advisor.save(update_fields=["user"])


@transaction.atomic
def demo_leavers_ensure(*, today: dt.date) -> LeaversDemoSummary:
    if Advisor.objects.filter(left_on__isnull=False).exclude(user=None).exists():
        return LeaversDemoSummary(leavers=0, absences=0, suspended=0)
    gone = list(
        Advisor.objects.filter(left_on__lt=today, user=None).order_by("-left_on", "login")[:LEAVERS]
    )
    away = [
        advisor
        for advisor in Advisor.objects.filter(user=None, left_on=None)
        .exclude(absent_from=None)
        .order_by("absent_from", "login")
        if leavers.absence_suspends(advisor.absent_from, advisor.absent_to, today)
    ][:ABSENCES]
    for advisor in gone + away:
        _give_account(advisor)
    suspended = 0
    if away:
        rights_suspend(advisor=away[0], today=today)
        suspended = 1
    return LeaversDemoSummary(leavers=len(gone), absences=len(away), suspended=suspended)
