"""Reads of the core app: the audit trail, filtered for the CSO (SPEC §9 access history)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import chain
from .models import AuditChainHead, AuditCheckpoint, AuditEntry

PURGE_ACTION = "core.audit.purged"  # written by `services.audit_purge`


def audit_entries(
    *,
    action: str = "",
    username: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    """Entries newest first; `action` matches a prefix (`accounts.login` finds both outcomes);
    dates are days in Paris time, both ends included."""
    entries = AuditEntry.objects.all()
    if action:
        entries = entries.filter(action__startswith=action)
    if username:
        entries = entries.filter(username__icontains=username)
    if date_from:
        entries = entries.filter(at__gte=_start_of_day(date_from))
    if date_to:
        entries = entries.filter(at__lt=_start_of_day(date_to + dt.timedelta(days=1)))
    return entries.order_by("-at", "-id")


def _start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass(frozen=True)
class ChainReport:
    """What `verify_chain` found: `problem` is empty when the chain is intact; otherwise
    it says what broke at the first broken entry (`broken_id` is None when that entry is
    gone, e.g. the last ones were removed)."""

    entries: int
    problem: str = ""
    broken_id: int | None = None
    broken_sequence: int | None = None

    @property
    def intact(self) -> bool:
        return not self.problem


def verify_chain() -> ChainReport:
    """Recompute the keyed hash chain of the audit trail (issue 12 §4) from the last purge
    checkpoint (or the start) and report the first entry altered (any stored field) or
    removed (a gap in the sequence, or a head further than the last entry)."""
    key = chain.chain_key()
    checkpoint = AuditCheckpoint.objects.order_by("-sequence").first()
    previous = checkpoint.chain_hash if checkpoint else ""
    expected = (checkpoint.sequence if checkpoint else 0) + 1
    vouched = checkpoint is None
    count = 0
    for entry in AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000):
        if entry.sequence != expected:
            problem = (
                _("sequence %(expected)d is missing: entries were removed before this one")
                if entry.sequence > expected
                else _("this entry should have been purged before sequence %(expected)d")
            ) % {"expected": expected}
            return ChainReport(count, problem, entry.pk, entry.sequence)
        if chain.entry_hash(entry, previous, key) != entry.chain_hash:
            problem = _("the entry was altered: its hash no longer matches its content")
            return ChainReport(count, problem, entry.pk, entry.sequence)
        if (
            checkpoint is not None
            and entry.action == PURGE_ACTION
            and entry.data.get("through_sequence") == checkpoint.sequence
            and entry.data.get("through_hash") == checkpoint.chain_hash
        ):
            vouched = True
        previous, expected, count = entry.chain_hash, expected + 1, count + 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.sequence, head.chain_hash) != (expected - 1, previous):
        problem = _("entries were removed at the end: the chain's head is at sequence %(head)d") % {
            "head": head.sequence
        }
        return ChainReport(count, problem, None, expected)
    if not vouched:
        problem = _("the purge checkpoint is not backed by an audited purge")
        return ChainReport(count, problem, None, checkpoint.sequence)
    return ChainReport(count)


def describe_chain(report: ChainReport) -> str:
    """One line for the command and the page's banner."""
    if report.intact:
        return _("Audit chain intact: %(count)d entries verified.") % {"count": report.entries}
    return _("Audit chain broken at entry id %(id)s, sequence %(sequence)d: %(problem)s.") % {
        "id": report.broken_id if report.broken_id is not None else "—",
        "sequence": report.broken_sequence,
        "problem": report.problem,
    }


# --- The access history (SPEC §9; issue 12 §4): who signed in, changed rights or read what.

# Kinds of access event: (code, label, action prefixes, action suffix).
ACCESS_KINDS = (
    ("sign_in", gettext_lazy("Sign-ins"), ("accounts.login.succeeded",), ""),
    (
        "failure",
        gettext_lazy("Failed sign-ins and locks"),
        ("accounts.login.failed", "accounts.login.locked"),
        "",
    ),
    ("sign_out", gettext_lazy("Sign-outs"), ("accounts.logout",), ""),
    ("second_factor", gettext_lazy("Second-factor events"), ("accounts.second_factor.",), ""),
    (
        "credentials",
        gettext_lazy("Passwords and locks lifted"),
        ("accounts.password.", "accounts.lock."),
        "",
    ),
    (
        "permissions",
        gettext_lazy("Accounts, roles and permissions"),
        (
            "accounts.roles.",
            "accounts.permissions.",
            "accounts.role_permissions.",
            "accounts.user.",
        ),
        "",
    ),
    ("read", gettext_lazy("Reads of personal or sensitive records"), (), ".read"),
    ("audit", gettext_lazy("The audit trail itself"), ("core.audit.", "core.access_history."), ""),
)


def access_kind_label(action: str) -> str:
    """The French name of the kind an access event belongs to, for the page and export."""
    for _code, label, prefixes, suffix in ACCESS_KINDS:
        if action.startswith(prefixes) or (suffix and action.endswith(suffix)):
            return label
    return action


def _kind_filter(kind: tuple) -> Q:
    _code, _label, prefixes, suffix = kind
    query = Q()
    for prefix in prefixes:
        query |= Q(action__startswith=prefix)
    if suffix:
        query |= Q(action__endswith=suffix)
    return query


def access_history(
    *,
    kind: str = "",
    username: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    """The access events of the trail, newest first, of one kind or of all of them, by the
    person whose username contains `username`, between two Paris days (both included)."""
    kinds = [k for k in ACCESS_KINDS if k[0] == kind] or list(ACCESS_KINDS)
    query = Q()
    for one in kinds:
        query |= _kind_filter(one)
    entries = audit_entries(username=username, date_from=date_from, date_to=date_to)
    return entries.filter(query)


CHAIN_REPORT_SECONDS = 600


def verify_chain_cached() -> tuple[ChainReport, dt.datetime]:
    """`verify_chain`, recomputed when an entry was appended or purged, else at most every
    ten minutes (it reads the whole trail); with the moment it ran."""
    sequence, last_hash = AuditChainHead.objects.filter(pk=1).values_list(
        "sequence", "chain_hash"
    ).first() or (0, "")
    checkpoint = AuditCheckpoint.objects.values_list("sequence", flat=True).first() or 0
    key = f"decroche.audit-chain.{sequence}.{last_hash}.{checkpoint}"
    cached = cache.get(key)
    if cached is None:
        cached = (verify_chain(), timezone.now())
        cache.set(key, cached, CHAIN_REPORT_SECONDS)
    return cached
