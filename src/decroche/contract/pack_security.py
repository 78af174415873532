"""The six-monthly security review (SPEC §6 "every 6 months security review", SPEC §9):
accounts by role and their second factor, sign-in locks, leavers and long absences with
their delays, the access history's volumes, and the state of the audit trail. The monthly
steering committee's pack carries it every six months (`packs.monthly_pack`); the security
officer can generate it for any day (`security_review_pack`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from decroche.accounts.models import User
from decroche.accounts.roles import ROLES, roles_require_second_factor
from decroche.accounts.selectors import has_verifying_device, sign_in_locks
from decroche.core.exports import DECIMAL_FORMAT, PERCENT_FORMAT, Cell, Section
from decroche.core.models import AuditEntry
from decroche.core.selectors import describe_chain, verify_chain
from decroche.organisation.models import LeaverDeactivation, RightsSuspension
from decroche.organisation.review.selectors import leavers_pending

from .models import ServiceInterruption
from .pack_sections import Pack

REVIEW_DAYS = 182  # six months back from the day of the review
# SPEC §9: the access history is kept at least one year.
RETENTION_DAYS = 365

# The access history's families, by the prefix (or suffix) of their audit codes.
HISTORY_FAMILIES = (
    ("Sign-ins", "accounts.login.succeeded", ""),
    ("Failed sign-ins", "accounts.login.failed", ""),
    ("Sign-outs", "accounts.logout", ""),
    ("Second-factor events", "accounts.second_factor.", ""),
    ("Password changes and resets", "accounts.password", ""),
    ("Locks lifted", "accounts.lock.lifted", ""),
    ("Account and role changes", "accounts.user", ""),
    ("Reads of personal or sensitive records", "", ".read"),
)


@dataclass(frozen=True)
class RoleCoverage:
    role: str
    label: str
    accounts: int
    second_factor_required: bool
    with_second_factor: int

    @property
    def coverage(self) -> float | None:
        return self.with_second_factor / self.accounts if self.accounts else None


def second_factor_coverage() -> list[RoleCoverage]:
    """Active accounts per role, and how many have an authenticator app or e-mail codes
    (recovery codes alone are no factor). An account with two roles counts in both."""
    lines = []
    for role in ROLES:
        accounts = list(User.objects.filter(is_active=True, groups__name=role.code).distinct())
        lines.append(
            RoleCoverage(
                role=role.code,
                label=str(role.label),
                accounts=len(accounts),
                second_factor_required=roles_require_second_factor([role.code]),
                with_second_factor=sum(1 for user in accounts if has_verifying_device(user)),
            )
        )
    return lines


def _accounts_section() -> Section:
    section = Section(
        _("Security: accounts by role and second factor"),
        [
            _("Role"),
            _("Active accounts"),
            _("Second factor required"),
            _("With a second factor"),
            _("Coverage"),
        ],
        formats={4: PERCENT_FORMAT},
        note=_("Nominative accounts only (SPEC §9); an account with two roles counts in both."),
    )
    for line in second_factor_coverage():
        if not line.accounts:
            continue
        gap = line.second_factor_required and line.with_second_factor < line.accounts
        section.rows.append(
            [
                line.label,
                line.accounts,
                _("yes") if line.second_factor_required else _("no"),
                line.with_second_factor,
                Cell(line.coverage, PERCENT_FORMAT, tone="error" if gap else ""),
            ]
        )
    return section


def _sign_in_section(start: dt.date, end: dt.date) -> Section:
    audit = AuditEntry.objects.filter(at__date__gte=start, at__date__lte=end)
    locks = sign_in_locks()
    return Section(
        _("Security: sign-in locks"),
        [_("Item"), _("Count")],
        rows=[
            [
                _("Failed sign-ins in the period"),
                audit.filter(action="accounts.login.failed").count(),
            ],
            [
                _("Locks lifted by the security officer"),
                audit.filter(action="accounts.lock.lifted").count(),
            ],
            [_("Accounts or addresses locked today"), len(locks)],
        ],
    )


def _leavers_section(start: dt.date, end: dt.date, today: dt.date) -> Section:
    closures = LeaverDeactivation.objects.filter(closed_on__range=(start, end))
    figures = closures.aggregate(mean=Avg("working_days_late"), worst=Max("working_days_late"))
    late = closures.filter(working_days_late__gt=0).count()
    pending = leavers_pending(today=today)
    overdue = sum(1 for line in pending if line.overdue)
    suspended = RightsSuspension.objects.filter(suspended_on__range=(start, end))
    section = Section(
        _("Security: leavers and long absences"),
        [_("Item"), _("Value")],
        formats={1: DECIMAL_FORMAT},
        note=_(
            "Leavers' access is removed within 3 working days; rights are disabled after "
            "90 days of absence (SPEC §9)."
        ),
    )
    section.rows += [
        [_("Leavers' accounts closed in the period"), closures.count()],
        [_("… of which after the 3 working days"), Cell(late, "0", tone="error" if late else "")],
        [_("Mean delay past the deadline (working days)"), float(figures["mean"] or 0)],
        [_("Longest delay past the deadline (working days)"), figures["worst"] or 0],
        [
            _("Leavers still open today, past their deadline"),
            Cell(overdue, "0", tone="error" if overdue else ""),
        ],
        [_("Rights suspended for an absence over 90 days"), suspended.count()],
        [_("… restored on return"), suspended.filter(restored_at__isnull=False).count()],
    ]
    return section


def _history_section(start: dt.date, end: dt.date, today: dt.date) -> Section:
    audit = AuditEntry.objects.filter(at__date__gte=start, at__date__lte=end)
    section = Section(_("Security: access history"), [_("Item"), _("Entries")])
    for label, prefix, suffix in HISTORY_FAMILIES:
        entries = audit
        if prefix:
            entries = entries.filter(action__startswith=prefix)
        if suffix:
            entries = entries.filter(action__endswith=suffix)
        section.rows.append([_(label), entries.count()])
    permission_changes = audit.filter(
        Q(action__startswith="accounts.roles.")
        | Q(action__startswith="accounts.permissions.")
        | Q(action__startswith="accounts.role_permissions.")
    )
    section.rows.append([_("Role and permission changes"), permission_changes.count()])
    section.rows.append([_("All entries in the period"), audit.count()])
    oldest = AuditEntry.objects.aggregate(oldest=Min("at"))["oldest"]
    kept_days = (today - timezone.localtime(oldest).date()).days if oldest else 0
    section.rows.append([_("Days of history kept (at least 365)"), kept_days])
    chain = verify_chain()  # issue 12 §4: the keyed hash chain, as `decroche audit-verify`
    section.rows.append(
        [
            _("Audit chain (audit-verify)"),
            Cell(describe_chain(chain), "@", tone="" if chain.intact else "error"),
        ]
    )
    section.rows.append(
        [
            _("Service interruptions"),
            ServiceInterruption.objects.filter(started_at__date__range=(start, end)).count(),
        ]
    )
    return section


def security_review_sections(held_on: dt.date) -> list[Section]:
    """The review's sections, covering the six months before `held_on`."""
    start, end = held_on - dt.timedelta(days=REVIEW_DAYS), held_on - dt.timedelta(days=1)
    return [
        _accounts_section(),
        _sign_in_section(start, end),
        _leavers_section(start, end, held_on),
        _history_section(start, end, held_on),
    ]


def security_review_pack(held_on: dt.date) -> Pack:
    """The review on its own, as the security officer generates it for any day."""
    start = held_on - dt.timedelta(days=REVIEW_DAYS)
    return Pack(
        "security",
        held_on,
        _("Six-monthly security review"),
        start,
        held_on - dt.timedelta(days=1),
        security_review_sections(held_on),
    )
