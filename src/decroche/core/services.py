"""Writes of the core app: the audit trail."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import Any

from .models import AuditEntry

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
    return AuditEntry.objects.create(
        action=action,
        user=user if is_real_user else None,
        username=user.get_username() if is_real_user else _SYSTEM_ACTOR.get(),
        ip_address=ip_address,
        data=mask_personal_data(data or {}),
    )


@contextlib.contextmanager
def system_actor(name: str) -> Iterator[None]:
    """Within this block, audit entries written without a user name `name` as their actor."""
    token = _SYSTEM_ACTOR.set(name)
    try:
        yield
    finally:
        _SYSTEM_ACTOR.reset(token)
