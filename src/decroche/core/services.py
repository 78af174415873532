"""Writes of the core app: the audit trail."""

from __future__ import annotations

import re
from typing import Any

from .models import AuditEntry

_SECRET_KEYS = re.compile(r"password|secret|token|otp|nir|ssn|phone|caller", re.IGNORECASE)


def mask_personal_data(data: Any) -> Any:
    """Replace the values of secret or personal keys by a mask, recursively."""
    if isinstance(data, dict):
        return {
            key: "***" if _SECRET_KEYS.search(str(key)) else mask_personal_data(value)
            for key, value in data.items()
        }
    if isinstance(data, list | tuple):
        return [mask_personal_data(item) for item in data]
    return data


def log_action(action: str, *, user=None, data: dict | None = None, ip_address: str | None = None) -> AuditEntry:
    """Record one business action, e.g. `contacts.import.completed` (STYLE habit 6)."""
    is_real_user = user is not None and getattr(user, "is_authenticated", False)
    return AuditEntry.objects.create(
        action=action,
        user=user if is_real_user else None,
        username=user.get_username() if is_real_user else "",
        ip_address=ip_address,
        data=mask_personal_data(data or {}),
    )
