"""Audit of sign-in events and permission changes (SPEC §9: the CSO keeps an access history)."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from . import services
from .middleware import session_clock_start


@receiver(user_logged_in, dispatch_uid="decroche.accounts.audit_login")
def audit_login(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        session_clock_start(request.session)
    services.login_succeeded(user=user, request=request)


@receiver(user_login_failed, dispatch_uid="decroche.accounts.audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs) -> None:
    services.login_failed(username=str(credentials.get("username", "")), request=request)


@receiver(user_logged_out, dispatch_uid="decroche.accounts.audit_logout")
def audit_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        services.logged_out(user=user, request=request)


@receiver(user_locked_out, dispatch_uid="decroche.accounts.audit_locked_out")
def audit_locked_out(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    services.login_locked(username=str(username or ""), request=request)


def audit_permissions_changed(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    services.permissions_changed(
        through=sender,
        instance=instance,
        action=action,
        reverse=reverse,
        model=model,
        pk_set=pk_set,
    )


for _through in services.PERMISSION_RELATIONS:
    m2m_changed.connect(
        audit_permissions_changed,
        sender=_through,
        dispatch_uid=f"decroche.accounts.audit_permissions.{_through._meta.label_lower}",
    )
