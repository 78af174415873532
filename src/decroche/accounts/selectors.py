"""Reads of the accounts app."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from decroche.core.admin_site import ADMINISTRATOR_ROLE, is_administrator

from .models import User
from .roles import ROLES_BY_CODE, roles_require_second_factor


def role_labels(user: User) -> list[str]:
    """Human labels of the user's roles, in the order of accounts.roles."""
    return [
        str(ROLES_BY_CODE[group.name].label)
        for group in user.groups.all()
        if group.name in ROLES_BY_CODE
    ]


def users_visible_to(user) -> QuerySet[User]:
    """Accounts `user` may see and manage: every account for an administrator; the CSO
    manages people, not the administrators above them (SPEC §9)."""
    from django.contrib.auth.models import Group

    users = User.objects.prefetch_related(
        Prefetch("groups", queryset=Group.objects.order_by("name"))
    ).order_by("last_name", "first_name", "username")
    if is_administrator(user):
        return users
    return users.exclude(is_superuser=True).exclude(groups__name=ADMINISTRATOR_ROLE)


def second_factor_required(user) -> bool:
    """Must this signed-in user pass a second factor (SPEC §9)? Yes for superusers and every
    role that sees personal data or money (`accounts.roles`); for the others when the
    deployment requires it of everyone (`SECOND_FACTOR_FOR_ALL`) or when they enrolled a
    device of their own accord (an enrolled factor is always asked for)."""
    from django.conf import settings
    from django_otp import user_has_device

    if user.is_superuser or settings.SECOND_FACTOR_FOR_ALL:
        return True
    if roles_require_second_factor(group.name for group in user.groups.all()):
        return True
    return user_has_device(user)


def second_factor_devices(user) -> list:
    """The user's confirmed devices: authenticator apps, e-mail, recovery codes."""
    from django_otp import devices_for_user

    return list(devices_for_user(user, confirmed=True))


def has_recovery_codes(user) -> bool:
    from django_otp.plugins.otp_static.models import StaticToken

    return StaticToken.objects.filter(device__user=user, device__confirmed=True).exists()


def has_verifying_device(user) -> bool:
    """An authenticator app or an e-mail address: recovery codes alone are no factor."""
    from django_otp.plugins.otp_email.models import EmailDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or EmailDevice.objects.filter(user=user, confirmed=True).exists()
    )


def second_factor_summary(user) -> str:
    """What the account's detail page says of its second factor (SPEC §9)."""
    from django.utils.translation import gettext

    kinds = {
        "totpdevice": gettext("authenticator app"),
        "emaildevice": gettext("code by e-mail"),
        "staticdevice": gettext("recovery codes"),
    }
    names = sorted(
        {
            kinds[device._meta.model_name]
            for device in second_factor_devices(user)
            if device._meta.model_name in kinds
        }
    )
    required = gettext("required") if second_factor_required(user) else gettext("optional")
    return f"{', '.join(names) or gettext('none set up')} ({required})"


def sign_in_locks() -> list[dict]:
    """Accounts and addresses locked or being throttled now, newest first (SPEC §9)."""
    import datetime as dt

    from axes.models import AccessAttempt
    from django.conf import settings
    from django.utils import timezone

    from .lockout import UNTIL_LIFTED, lockout_delay, recent_failures
    from .models import User

    locks = []
    attempts = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).order_by("-attempt_time")
    known = set(User.objects.values_list("username", flat=True))
    for attempt in attempts:
        failures = max(attempt.failures_since_start, recent_failures(attempt.username or ""))
        delay = lockout_delay(failures, settings.AXES_FAILURE_LIMIT)
        until = attempt.attempt_time + delay
        if until <= timezone.now():
            continue
        locks.append(
            {
                "username": attempt.username or "",
                "known_account": (attempt.username or "") in known,
                "ip_address": attempt.ip_address or "",
                "failures": failures,
                "last_attempt": attempt.attempt_time,
                "until": None if delay >= UNTIL_LIFTED else until,
                "waiting": max(dt.timedelta(0), until - timezone.now()),
            }
        )
    return locks
