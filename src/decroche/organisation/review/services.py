"""Writes for leavers and long absences (SPEC §9: "Leavers' access removed within 3
working days; absence over 90 days → rights disabled"), each one audited:

- `organisation.leaver.disabled`: a leaver's account closed (by the daily run or the CSO);
- `organisation.absence.rights_suspended` / `organisation.absence.rights_restored`;
- `organisation.account.disabled`: another account closed from the CSO's review page.
Audit data carry ids and dates, never names nor e-mails (personal data).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from decroche.accounts.services import user_close, user_roles_give, user_roles_take
from decroche.core.services import log_action

from .. import leavers
from ..models import Advisor, LeaverDeactivation, RightsSuspension
from . import selectors


class ReviewError(Exception):
    """An action of the review page that does not apply (already done, not a leaver)."""


@transaction.atomic
def leaver_disable(*, advisor: Advisor, today: dt.date, user=None) -> LeaverDeactivation:
    """Close the account of an advisor whose leaving date has passed and record it with its
    deadline and delay (SPEC §9: within 3 working days). `user` is the CSO acting from the
    review page, None for the daily command."""
    account = advisor.user
    if account is None or not account.is_active:
        raise ReviewError("the account is already closed")
    if advisor.left_on is None or not leavers.leaver_due(advisor.left_on, today):
        raise ReviewError("the advisor has not left")
    user_close(account=account)
    closure = LeaverDeactivation.objects.create(
        advisor=advisor,
        user=account,
        left_on=advisor.left_on,
        deadline=leavers.leaver_deadline(advisor.left_on),
        closed_on=today,
        closed_by=user if getattr(user, "is_authenticated", False) else None,
        working_days_late=leavers.working_days_late(advisor.left_on, today),
    )
    log_action(
        "organisation.leaver.disabled",
        user=user,
        data={
            "closure": closure.pk,
            "advisor": advisor.pk,
            "account": account.pk,
            "left_on": advisor.left_on.isoformat(),
            "deadline": closure.deadline.isoformat(),
            "working_days_late": closure.working_days_late,
        },
    )
    return closure


@transaction.atomic
def rights_suspend(*, advisor: Advisor, today: dt.date, user=None) -> RightsSuspension:
    """Take every role of the account of an advisor absent over 90 days, kept in a
    `RightsSuspension` so they are given back on return (SPEC §9)."""
    account = advisor.user
    if account is None or advisor.absent_from is None:
        raise ReviewError("no account or no absence")
    if RightsSuspension.objects.filter(user=account, restored_at=None).exists():
        raise ReviewError("the rights are already suspended")
    groups = user_roles_take(account=account)
    suspension = RightsSuspension.objects.create(
        advisor=advisor,
        user=account,
        absent_from=advisor.absent_from,
        suspended_on=today,
        suspended_by=user if getattr(user, "is_authenticated", False) else None,
    )
    suspension.groups.set(groups)
    log_action(
        "organisation.absence.rights_suspended",
        user=user,
        data={
            "suspension": suspension.pk,
            "advisor": advisor.pk,
            "account": account.pk,
            "absent_from": advisor.absent_from.isoformat(),
            "days": leavers.absence_days(advisor.absent_from, today),
            "roles": sorted(group.name for group in groups),
        },
    )
    return suspension


@transaction.atomic
def rights_restore(*, suspension: RightsSuspension, user=None) -> RightsSuspension:
    """Give back the roles a suspension took: the absence is over (the daily run), or the
    CSO restores them by hand (the person is back before the roster says so; the daily
    run then leaves that absence alone)."""
    suspension = RightsSuspension.objects.select_for_update().get(pk=suspension.pk)
    if suspension.restored_at is not None:
        raise ReviewError("the rights are already restored")
    groups = list(suspension.groups.all())
    user_roles_give(account=suspension.user, groups=groups)
    suspension.restored_at = timezone.now()
    suspension.restored_by = user if getattr(user, "is_authenticated", False) else None
    suspension.save(update_fields=["restored_at", "restored_by"])
    log_action(
        "organisation.absence.rights_restored",
        user=user,
        data={
            "suspension": suspension.pk,
            "advisor": suspension.advisor_id,
            "account": suspension.user_id,
            "roles": sorted(group.name for group in groups),
            "by_hand": suspension.restored_by is not None,
        },
    )
    return suspension


REVIEW_REASONS = ("dormant", "no_advisor", "leaver")


@transaction.atomic
def account_review_disable(*, account, user, reason: str, today: dt.date):
    """The CSO closes an account from the review page: a leaver's (recorded as a leaver's
    closure), or a dormant account or one linked to no advisor (`reason`)."""
    if reason not in REVIEW_REASONS:
        raise ReviewError(f"unknown reason {reason!r}")
    advisor = Advisor.objects.filter(user=account).first()
    if advisor and advisor.left_on and leavers.leaver_due(advisor.left_on, today):
        return leaver_disable(advisor=advisor, today=today, user=user)
    if not user_close(account=account):
        raise ReviewError("the account is already closed")
    log_action(
        "organisation.account.disabled",
        user=user,
        data={"account": account.pk, "reason": reason},
    )
    return None


@dataclass
class LeaversReport:
    """What one run did (or, dry, would do), and what was overdue."""

    day: dt.date
    dry_run: bool = False
    disabled: list[dict] = field(default_factory=list)
    suspended: list[dict] = field(default_factory=list)
    restored: list[dict] = field(default_factory=list)
    overdue: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "date": self.day.isoformat(),
            "dry_run": self.dry_run,
            "disabled": self.disabled,
            "rights_suspended": self.suspended,
            "rights_restored": self.restored,
            "overdue": self.overdue,
        }

    def as_text(self) -> str:
        verb = "would be" if self.dry_run else ""
        lines = [f"Leavers and long absences on {self.day.isoformat()}:"]
        for item in self.disabled:
            late = f", {item['working_days_late']} working day(s) late" if item["overdue"] else ""
            lines.append(
                f"  account {verb + ' ' if verb else ''}disabled: {item['login']} "
                f"(left on {item['left_on']}, deadline {item['deadline']}{late})"
            )
        for item in self.suspended:
            lines.append(
                f"  rights {verb + ' ' if verb else ''}suspended: {item['login']} "
                f"(absent since {item['absent_from']}, {item['days']} days)"
            )
        for item in self.restored:
            lines.append(f"  rights {verb + ' ' if verb else ''}restored: {item['login']}")
        for item in self.overdue:
            lines.append(
                f"  OVERDUE: {item['login']} left on {item['left_on']}, deadline "
                f"{item['deadline']} passed"
            )
        if len(lines) == 1:
            lines.append("  nothing to do.")
        return "\n".join(lines)


def leavers_process(*, today: dt.date, dry_run: bool = False) -> LeaversReport:
    """The daily run (`decroche process-leavers`), idempotent: closes the accounts of
    leavers whose last day has passed, suspends the rights of those absent over 90 days,
    restores those back; run twice on a day, the second run does nothing. Every leaver
    closed after the deadline is listed as overdue (each action commits on its own, so a
    failure on one person does not undo the others)."""
    report = LeaversReport(day=today, dry_run=dry_run)
    for pending in selectors.leavers_pending(today=today):
        advisor = pending.advisor
        item = {
            "advisor": advisor.pk,
            "login": advisor.login,
            "left_on": pending.left_on.isoformat(),
            "deadline": pending.deadline.isoformat(),
            "overdue": pending.overdue,
            "working_days_late": leavers.working_days_late(pending.left_on, today),
        }
        if not dry_run:
            leaver_disable(advisor=advisor, today=today)
        report.disabled.append(item)
        if pending.overdue:
            report.overdue.append(item)
    for pending in selectors.absences_pending(today=today):
        advisor = pending.advisor
        if not dry_run:
            rights_suspend(advisor=advisor, today=today)
        report.suspended.append(
            {
                "advisor": advisor.pk,
                "login": advisor.login,
                "absent_from": pending.absent_from.isoformat(),
                "days": pending.days,
            }
        )
    for suspension in selectors.suspensions_to_restore(today=today):
        if not dry_run:
            rights_restore(suspension=suspension)
        report.restored.append(
            {"advisor": suspension.advisor_id, "login": suspension.advisor.login}
        )
    return report
