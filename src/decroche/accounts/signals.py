"""Audit of sign-in events (SPEC §9: the CSO keeps an access history)."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
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
