"""Writes of the accounts app: password change and the audit of sign-ins (SPEC §9)."""

from __future__ import annotations

from django.db import transaction

from decroche.core.services import log_action


def client_ip(request) -> str | None:
    """The peer address. Proxy headers are ignored on purpose: they can be forged."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


@transaction.atomic
def user_password_changed(*, user, request=None) -> None:
    """Clear the first-login flag and audit the change (SPEC §9: password changed at first login)."""
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
    log_action("accounts.password.changed", user=user, ip_address=client_ip(request))


def login_succeeded(*, user, request=None) -> None:
    log_action("accounts.login.succeeded", user=user, ip_address=client_ip(request))


def login_failed(*, username: str, request=None) -> None:
    # The attempted identifier is kept so the CSO can spot guessing; never the password.
    log_action(
        "accounts.login.failed", data={"username": username[:150]}, ip_address=client_ip(request)
    )


def logged_out(*, user, request=None) -> None:
    log_action("accounts.logout", user=user, ip_address=client_ip(request))
