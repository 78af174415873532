"""Writes of the core app: the audit trail, chained and append-only (SPEC §9; issue 12 §4)."""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import ipaddress
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from . import chain
from .models import AuditChainHead, AuditCheckpoint, AuditEntry
from .selectors import PURGE_ACTION

# Who acts when no signed-in user does: the command line names the system account that ran
# it (`cli.main`), so an entry written by `decroche import ...` is never anonymous.
_SYSTEM_ACTOR: contextvars.ContextVar[str] = contextvars.ContextVar("system_actor", default="")

MASK = "***"
# Keys whose values never enter the audit trail: credentials, and the insured persons'
# data that SPEC §9 names (NIR, name, phone number, e-mail). An explicit list, matched on
# the whole key (case-insensitive), never a substring: `phone` (the phone invoice amount)
# and `phone_shortfall_hours` are figures, not personal data, and are kept.
PERSONAL_KEYS = frozenset(
    {
        # credentials
        "password",
        "password1",
        "password2",
        "old_password",
        "new_password",
        "new_password1",
        "new_password2",
        "secret",
        "secret_key",
        "token",
        "api_key",
        "otp",
        "otp_code",
        # insured persons (SPEC §9)
        "nir",
        "ssn",
        "caller",
        "caller_number",
        "phone_number",
        "mobile_number",
        "email",
        "first_name",
        "last_name",
        "birth_date",
        "address",
    }
)


def mask_personal_data(data: Any) -> Any:
    """Replace the values of the keys of `PERSONAL_KEYS` by a mask, recursively."""
    if isinstance(data, dict):
        return {
            key: MASK if str(key).lower() in PERSONAL_KEYS else mask_personal_data(value)
            for key, value in data.items()
        }
    if isinstance(data, list | tuple):
        return [mask_personal_data(item) for item in data]
    return data


def log_action(
    action: str, *, user=None, data: dict | None = None, ip_address: str | None = None
) -> AuditEntry:
    """Record one business action, e.g. `contacts.import.completed` (STYLE habit 6).

    Without a signed-in user the entry names the system actor in force (see
    `system_actor`), e.g. `system:root` for a command run by root."""
    is_real_user = user is not None and getattr(user, "is_authenticated", False)
    entry = AuditEntry(
        action=action,
        user=user if is_real_user else None,
        username=user.get_username() if is_real_user else _SYSTEM_ACTOR.get(),
        ip_address=_ip(ip_address),
        # Hashed as it will read back from the database: through a JSON round trip.
        data=json.loads(json.dumps(mask_personal_data(data or {}))),
    )
    return _append(entry)


def _ip(value: str | None) -> str | None:
    """The address in the form the database gives back (IPv6 compressed); an unreadable
    one is dropped rather than losing the entry."""
    try:
        return str(ipaddress.ip_address(value)) if value else None
    except ValueError:
        return None


def _append(entry: AuditEntry) -> AuditEntry:
    """Chain `entry` after the head and save it. The head row stays locked until the
    enclosing transaction ends, so appends are serialised (SQLite: the write lock of its
    IMMEDIATE transactions; PostgreSQL: the row lock)."""
    with transaction.atomic():
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        entry.at = timezone.now()
        entry.sequence = head.sequence + 1
        entry.chain_hash = chain.entry_hash(entry, head.chain_hash)
        entry.save(force_insert=True)
        head.sequence, head.chain_hash = entry.sequence, entry.chain_hash
        head.save(update_fields=["sequence", "chain_hash"])
    return entry


def log_read(
    request_or_user, obj, reason: str, *, action: str = "", data: dict | None = None
) -> AuditEntry:
    """Record that someone was shown a personal or sensitive record (SPEC §9: the access
    history keeps every read): `<app>.<model>.read` by default, with the record's model and
    id and why it was shown (`reason`, a short code such as `detail` or `search`)."""
    request = request_or_user if hasattr(request_or_user, "META") else None
    user = request.user if request is not None else request_or_user
    meta = obj._meta
    return log_action(
        action or f"{meta.app_label}.{meta.model_name}.read",
        user=user,
        ip_address=(request.META.get("REMOTE_ADDR") or None) if request is not None else None,
        data={"model": meta.label_lower, "id": obj.pk, "reason": reason, **(data or {})},
    )


# --- Retention (SPEC §9: the access history is kept at least one year) --------------------

MIN_KEEP_DAYS = 366
DEFAULT_KEEP_DAYS = 400


@dataclass(frozen=True)
class PurgeResult:
    before: dt.datetime
    entries: int  # purged, or that would be with a dry run
    through_sequence: int  # the last purged entry's sequence (0: none)


def audit_purge(
    *, keep_days: int = DEFAULT_KEEP_DAYS, dry_run: bool = False, user=None
) -> PurgeResult:
    """Delete the entries older than `keep_days` days (at least 366: SPEC §9 keeps one
    year), oldest first and as one unbroken prefix of the chain, and write a checkpoint
    with the sequence and hash of the last one so the rest still verifies. The purge is
    itself audited as `core.audit.purged` (which also vouches for the checkpoint)."""
    if keep_days < MIN_KEEP_DAYS:
        raise ValueError(f"The audit trail is kept at least {MIN_KEEP_DAYS} days.")
    before = timezone.now() - dt.timedelta(days=keep_days)
    with transaction.atomic():
        AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        # Stop at the first entry that is still within the term, whatever comes after it.
        first_kept = AuditEntry.objects.filter(at__gte=before).order_by("sequence").first()
        old = AuditEntry.objects.all()
        if first_kept is not None:
            old = old.filter(sequence__lt=first_kept.sequence)
        last = old.order_by("-sequence").first()
        if last is None:
            return PurgeResult(before, 0, 0)
        count = old.count()
        if dry_run:
            return PurgeResult(before, count, last.sequence)
        with connection.cursor() as cursor:  # the ORM refuses: entries are append-only
            cursor.execute(
                f"DELETE FROM {AuditEntry._meta.db_table} WHERE sequence <= %s",  # noqa: S608
                [last.sequence],
            )
        AuditCheckpoint.objects.create(
            sequence=last.sequence, chain_hash=last.chain_hash, entries_purged=count, before=before
        )
        log_action(
            PURGE_ACTION,
            user=user,
            data={
                "entries": count,
                "before": before.isoformat(),
                "through_sequence": last.sequence,
                "through_hash": last.chain_hash,
            },
        )
    return PurgeResult(before, count, last.sequence)


# The request being served (`core.middleware.AuditActorMiddleware`), for the audit entries
# written where no request is at hand (signals such as a permission change).
_REQUEST: contextvars.ContextVar[Any] = contextvars.ContextVar("audit_request", default=None)


@contextlib.contextmanager
def acting_request(request) -> Iterator[None]:
    """Within this block, `current_actor` names the user and address of `request`."""
    token = _REQUEST.set(request)
    try:
        yield
    finally:
        _REQUEST.reset(token)


def current_actor() -> tuple[Any, str | None]:
    """The signed-in user and peer address of the request being served, or (None, None)."""
    request = _REQUEST.get()
    if request is None:
        return None, None
    return getattr(request, "user", None), request.META.get("REMOTE_ADDR") or None


@contextlib.contextmanager
def system_actor(name: str) -> Iterator[None]:
    """Within this block, audit entries written without a user name `name` as their actor."""
    token = _SYSTEM_ACTOR.set(name)
    try:
        yield
    finally:
        _SYSTEM_ACTOR.reset(token)


def _plain(value: Any) -> Any:
    """A form value as JSON: records by id, dates in ISO form, decimals as text."""
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, list | tuple | set) or hasattr(value, "model"):
        return sorted(_plain(item) for item in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    return str(value)


def form_changes(form) -> dict[str, list]:
    """What a validated ModelForm changes, as {field: [before, after]} for the audit entry
    (NetBox's before/after snapshots); personal fields are masked by `log_action`."""
    return {
        name: [_plain(form.initial.get(name)), _plain(form.cleaned_data.get(name))]
        for name in form.changed_data
    }


def model_form_save(*, form, user, action: str):
    """Save a validated ModelForm of a record and write one audit entry pointing at it:
    `<action>.created` or `<action>.changed`, with the record's id and its changes.
    ModelForm validation already ran the model's `full_clean()`."""
    with transaction.atomic():
        created = form.instance.pk is None
        changes = form_changes(form)
        record = form.save()
        log_action(
            f"{action}.{'created' if created else 'changed'}",
            user=user,
            data={"id": record.pk, "changes": changes},
        )
    return record
