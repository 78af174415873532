"""Throttling and lockout of sign-in (SPEC §9), on top of django-axes.

Axes counts failures per account and per address (`AXES_LOCKOUT_PARAMETERS`) and locks at
`AXES_FAILURE_LIMIT`. How long the lock lasts grows with the failures of the last 24 hours
(`lockout_delay`); past `PERMANENT_AFTER_LOCKS` locks it lasts until the security officer
lifts it from the locked-accounts page."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

# Lock 1, 2, 3 last these long; lock 4 and beyond until the CSO lifts it.
LOCK_DELAYS = (dt.timedelta(minutes=1), dt.timedelta(minutes=5), dt.timedelta(minutes=30))
PERMANENT_AFTER_LOCKS = len(LOCK_DELAYS)
# "Until lifted": Axes needs a duration; ten years is the same for a person.
UNTIL_LIFTED = dt.timedelta(days=3650)
HISTORY = dt.timedelta(hours=24)


def lockout_delay(failures: int, limit: int) -> dt.timedelta:
    """The lock's length after `failures` failures in 24 h, `limit` failures making one lock.

    >>> lockout_delay(5, 5), lockout_delay(10, 5), lockout_delay(15, 5)
    (datetime.timedelta(seconds=60), datetime.timedelta(seconds=300), datetime.timedelta(seconds=1800))
    >>> lockout_delay(20, 5).days
    3650
    """
    locks = max(1, failures // limit)
    if locks > PERMANENT_AFTER_LOCKS:
        return UNTIL_LIFTED
    return LOCK_DELAYS[locks - 1]


def recent_failures(username: str) -> int:
    """Failed sign-ins on `username` in the last 24 hours, since the CSO last lifted its lock
    (from the audit trail, which keeps them when Axes forgets an expired lock)."""
    from decroche.core.models import AuditEntry

    since = timezone.now() - HISTORY
    lifted = (
        AuditEntry.objects.filter(action="accounts.lock.lifted", data__username=username)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    if lifted and lifted > since:
        since = lifted
    return AuditEntry.objects.filter(
        action="accounts.login.failed", data__username=username, at__gte=since
    ).count()


def cool_off(request=None) -> dt.timedelta:
    """`AXES_COOLOFF_TIME`: the lock's length for the account being tried."""
    failures = recent_failures(_attempted_username(request))
    return lockout_delay(failures, settings.AXES_FAILURE_LIMIT)


def lockout_response(request, original_response=None, credentials=None):
    """`AXES_LOCKOUT_CALLABLE`: the sign-in page with one French message, the same whether
    the account exists or not (no account enumeration)."""
    from .forms import LoginForm

    delay = cool_off(request)
    if delay >= UNTIL_LIFTED:
        message = _(
            "Too many failed attempts: this account is locked. Ask the security officer to unlock it."
        )
    else:
        message = _("Too many failed attempts: wait %(minutes)d minute(s) before trying again.") % {
            "minutes": max(1, int(delay.total_seconds() // 60))
        }
    context = {"form": LoginForm(request), "title": _("Sign in"), "lockout_message": message}
    return render(request, "registration/login.html", context, status=429)


def _attempted_username(request) -> str:
    if request is None:
        return ""
    credentials = getattr(request, "axes_credentials", None) or {}
    return str(credentials.get("username") or request.POST.get("username", ""))[:150]
