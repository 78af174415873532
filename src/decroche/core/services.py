"""Writes of the core app: the audit trail."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import Any

from django.db import transaction

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
