"""Reads behind the daily leavers' run and the CSO's page of accounts to review (SPEC §9).
The date rules come from `organisation.leavers`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from decroche.accounts.models import User
from decroche.accounts.selectors import users_visible_to

from .. import leavers
from ..models import Advisor, LeaverDeactivation, RightsSuspension

# An account unused for this long is shown for review (the contract's 90 days of absence).
DORMANT_DAYS = 90
ADVISOR_ROLE = "advisor"


@dataclass(frozen=True)
class PendingLeaver:
    """A leaver whose account is still open."""

    advisor: Advisor
    left_on: dt.date
    deadline: dt.date
    working_days: int  # working days since the leaving date
    overdue: bool


@dataclass(frozen=True)
class PendingSuspension:
    """An absence over 90 days whose account still holds its rights."""

    advisor: Advisor
    absent_from: dt.date
    since: dt.date  # the 91st day
    days: int


def leavers_pending(*, today: dt.date) -> list[PendingLeaver]:
    """Advisors whose leaving date has passed and whose account is still active."""
    advisors = Advisor.objects.filter(left_on__lt=today, user__is_active=True).select_related(
        "user", "site"
    )
    result = [
        PendingLeaver(
            advisor=advisor,
            left_on=advisor.left_on,
            deadline=leavers.leaver_deadline(advisor.left_on),
            working_days=leavers.working_days_since_leaving(advisor.left_on, today),
            overdue=leavers.leaver_overdue(advisor.left_on, today),
        )
        for advisor in advisors.order_by("left_on", "login")
    ]
    return result


def _open_suspension_users() -> QuerySet:
    return RightsSuspension.objects.filter(restored_at=None).values("user_id")


def absences_pending(*, today: dt.date) -> list[PendingSuspension]:
    """Absences over 90 days whose active account has no open suspension, leavers apart
    (their account is closed instead), nor a suspension of this same absence that the CSO
    lifted by hand (the person came back before the roster said so)."""
    limit = today - dt.timedelta(days=leavers.ABSENCE_DAYS_LIMIT)
    advisors = (
        Advisor.objects.filter(absent_from__lte=limit, user__is_active=True)
        .filter(Q(absent_to=None) | Q(absent_to__gte=today))
        .exclude(left_on__lt=today)
        .exclude(user_id__in=_open_suspension_users())
        .select_related("user", "site")
        .order_by("absent_from", "login")
    )
    lifted = set(
        RightsSuspension.objects.exclude(restored_by=None).values_list("user_id", "absent_from")
    )
    return [
        PendingSuspension(
            advisor=advisor,
            absent_from=advisor.absent_from,
            since=leavers.absence_suspension_from(advisor.absent_from),
            days=leavers.absence_days(advisor.absent_from, today),
        )
        for advisor in advisors
        if leavers.absence_suspends(advisor.absent_from, advisor.absent_to, today)
        and (advisor.user_id, advisor.absent_from) not in lifted
    ]


def suspensions_open() -> QuerySet[RightsSuspension]:
    return (
        RightsSuspension.objects.filter(restored_at=None)
        .select_related("advisor", "advisor__site", "user")
        .prefetch_related("groups")
        .order_by("suspended_on", "pk")
    )


def suspensions_to_restore(*, today: dt.date) -> list[RightsSuspension]:
    """Open suspensions whose absence is over (the day after `absent_to`, or no absence in
    the roster any more), for people who have not left meanwhile."""
    return [
        suspension
        for suspension in suspensions_open().select_related("advisor")
        if not leavers.absence_suspends(
            suspension.advisor.absent_from, suspension.advisor.absent_to, today
        )
        and not (suspension.advisor.left_on and suspension.advisor.left_on < today)
        and suspension.user.is_active
    ]


def accounts_dormant(*, user, today: dt.date) -> QuerySet[User]:
    """Active accounts `user` manages with no sign-in for `DORMANT_DAYS` (never signed in:
    counted from the account's creation)."""
    cutoff = timezone.make_aware(
        dt.datetime.combine(today - dt.timedelta(days=DORMANT_DAYS), dt.time.min)
    )
    return (
        users_visible_to(user)
        .filter(is_active=True)
        .filter(Q(last_login__lt=cutoff) | Q(last_login=None, date_joined__lt=cutoff))
    )


def accounts_without_advisor(*, user) -> QuerySet[User]:
    """Active accounts holding the advisor role but linked to no advisor of the roster:
    the leavers' automation cannot follow them (SPEC §9)."""
    return (
        users_visible_to(user)
        .filter(is_active=True, groups__name=ADVISOR_ROLE, advisor=None)
        .distinct()
    )


def leaver_closures_recent(*, limit: int = 20) -> QuerySet[LeaverDeactivation]:
    return LeaverDeactivation.objects.select_related("advisor", "closed_by")[:limit]


def reviewable_accounts(*, user) -> QuerySet[User]:
    """Accounts the CSO's actions may touch: those `user` manages (not administrators)."""
    return users_visible_to(user)
