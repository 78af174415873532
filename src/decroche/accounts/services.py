"""Writes of the accounts app: password change and the audit of sign-ins (SPEC §9)."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from decroche.core.services import log_action, model_form_save

from .models import User


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


@transaction.atomic
def user_nominative_create(
    *, username: str, email: str, first_name: str, last_name: str, role_code: str
) -> User:
    """A personal account with no usable password yet (SPEC §9: nominative accounts; the
    first-login flow sets the password) holding one role. The caller audits it as part
    of its own business action (a roster import writes one entry for all its accounts)."""
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        must_change_password=True,
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    user.groups.add(Group.objects.get(name=role_code))
    return user


def user_identity_update(*, user: User, email: str, first_name: str, last_name: str) -> bool:
    """Align an account's names and e-mail with the person's record; False when nothing
    changed. The caller audits it (the roster import does, with counts)."""
    if (user.email, user.first_name, user.last_name) == (email, first_name, last_name):
        return False
    user.email, user.first_name, user.last_name = email, first_name, last_name
    user.full_clean()
    user.save(update_fields=["email", "first_name", "last_name"])
    return True


def user_account_save(*, form, user) -> User:
    """Create or change an account and its roles from the account page's form, audited as
    `accounts.user.created` / `accounts.user.changed` (the roles changed among the fields)."""
    return model_form_save(form=form, user=user, action="accounts.user")


@transaction.atomic
def user_deactivate(*, account: User, user) -> None:
    """Close an account (a leaver, SPEC §9): it can no longer sign in; nothing is deleted,
    the audit trail keeps pointing at it."""
    account.is_active = False
    account.save(update_fields=["is_active"])
    log_action(
        "accounts.user.deactivated",
        user=user,
        data={"id": account.pk, "username": account.username},
    )
