"""The keyed hash chain that makes the audit trail tamper-evident (SPEC §9; issue 12 §4).

Entry n stores `chain_hash(n) = HMAC-SHA256(key, chain_hash(n-1) + canonical(n))`, where
`canonical` is the JSON of every stored field of the entry (sorted keys, no spaces, UTC
time with microseconds, IP addresses in their compressed form) and the first entry (or
the first after a purge checkpoint) starts from the checkpoint's hash ("" at the start).
Without the key nobody can rewrite an entry and its successors so that they verify.

The key lives outside the database: `AUDIT_CHAIN_KEY` (environment) or, without it, a key
derived from `SECRET_KEY` (itself from the environment or `var/secret_key`). Changing the
key, or `SECRET_KEY` while `AUDIT_CHAIN_KEY` is unset, makes the existing chain unverifiable.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import json
from typing import Any

from django.conf import settings

KEY_DERIVATION_SALT = b"decroche.core.audit-chain"


def chain_key() -> bytes:
    """`AUDIT_CHAIN_KEY` when set, else SHA-256 of a fixed salt and `SECRET_KEY`."""
    explicit = getattr(settings, "AUDIT_CHAIN_KEY", "")
    if explicit:
        return explicit.encode("utf-8")
    return hashlib.sha256(KEY_DERIVATION_SALT + settings.SECRET_KEY.encode("utf-8")).digest()


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _ip(value: str | None) -> str | None:
    return str(ipaddress.ip_address(value)) if value else None


def canonical(
    *,
    sequence: int,
    at: dt.datetime,
    action: str,
    user_id: int | None,
    username: str,
    ip_address: str | None,
    data: Any,
) -> bytes:
    """The stored fields of one entry as canonical JSON bytes."""
    fields = {
        "sequence": sequence,
        "at": _utc(at),
        "action": action,
        "user": user_id,
        "username": username,
        "ip_address": _ip(ip_address),
        "data": data,
    }
    return json.dumps(
        fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def link(previous_hash: str, fields: bytes, key: bytes | None = None) -> str:
    """The chain hash of an entry whose canonical form is `fields`, after `previous_hash`."""
    digest = hmac.new(key or chain_key(), previous_hash.encode("ascii") + fields, hashlib.sha256)
    return digest.hexdigest()


def entry_hash(entry, previous_hash: str, key: bytes | None = None) -> str:
    """The chain hash an `AuditEntry` (saved or about to be) should carry."""
    fields = canonical(
        sequence=entry.sequence,
        at=entry.at,
        action=entry.action,
        user_id=entry.user_id,
        username=entry.username,
        ip_address=entry.ip_address,
        data=entry.data,
    )
    return link(previous_hash, fields, key)
