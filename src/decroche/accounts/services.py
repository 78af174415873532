"""Writes of the accounts app: password change and the audit of sign-ins (SPEC §9)."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from decroche.core.services import current_actor, log_action, model_form_save

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


def login_locked(*, username: str, request=None) -> None:
    """Axes locked an account or an address after repeated failures (SPEC §9)."""
    log_action(
        "accounts.login.locked", data={"username": username[:150]}, ip_address=client_ip(request)
    )


def logged_out(*, user, request=None) -> None:
    log_action("accounts.logout", user=user, ip_address=client_ip(request))


def session_expired(*, user, request=None, reason: str) -> None:
    """An idle or too old session ended by the server (issue 12 point 6)."""
    log_action(
        "accounts.session_expired",
        user=user,
        data={"reason": reason},
        ip_address=client_ip(request),
    )


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


# --- Second factor (SPEC §9): every event audited as `accounts.second_factor.*` with the IP.

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Application d'authentification"
EMAIL_DEVICE_NAME = "Code par e-mail"
RECOVERY_DEVICE_NAME = "Codes de secours"


def _device_kind(device) -> str:
    return {"totpdevice": "totp", "emaildevice": "email", "staticdevice": "recovery"}.get(
        device._meta.model_name, device._meta.model_name
    )


def second_factor_verify(*, request, devices, token: str) -> object | None:
    """Try `token` on each of these devices of `request.user`; on success mark the session
    verified (django-otp) and audit it, else audit the failure. Each device throttles its
    own failures (django-otp's ThrottlingMixin: a growing delay after each bad code)."""
    import django_otp

    user = request.user
    token = token.strip().replace(" ", "")
    for device in devices:
        matched = django_otp.verify_token(user, device.persistent_id, token)
        if matched is not None:
            django_otp.login(request, matched)
            kind = _device_kind(matched)
            log_action(
                "accounts.second_factor.verified",
                user=user,
                data={"method": kind},
                ip_address=client_ip(request),
            )
            if kind == "recovery":
                log_action(
                    "accounts.second_factor.recovery_used",
                    user=user,
                    data={"left": matched.token_set.count()},
                    ip_address=client_ip(request),
                )
            return matched
    log_action(
        "accounts.second_factor.failed",
        user=user,
        data={"method": _device_kind(devices[0]) if devices else "none"},
        ip_address=client_ip(request),
    )
    return None


def second_factor_email_send(*, device, request=None) -> bool:
    """Send a one-time code to the device's address (the user's e-mail); the console
    backend prints it in the demo. False during django-otp's cooldown (one a minute)."""
    allowed, _data = device.generate_is_allowed()
    if not allowed:
        return False
    device.generate_challenge()
    log_action(
        "accounts.second_factor.email_sent",
        user=device.user,
        data={"device": device.pk},
        ip_address=client_ip(request),
    )
    return True


def totp_device_start(*, user):
    """The user's pending (unconfirmed) authenticator device, created with a random secret."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def email_device_start(*, user):
    from django_otp.plugins.otp_email.models import EmailDevice

    device = EmailDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = EmailDevice.objects.create(user=user, name=EMAIL_DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def second_factor_device_confirm(*, request, device, token: str) -> bool:
    """Enrolment ends with a first good code: the device is confirmed, the session verified."""
    import django_otp

    if not device.verify_token(token.strip().replace(" ", "")):
        log_action(
            "accounts.second_factor.failed",
            user=request.user,
            data={"method": _device_kind(device), "enrolment": True},
            ip_address=client_ip(request),
        )
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    django_otp.login(request, device)
    log_action(
        "accounts.second_factor.enrolled",
        user=request.user,
        data={"method": _device_kind(device), "device": device.pk},
        ip_address=client_ip(request),
    )
    return True


@transaction.atomic
def recovery_codes_generate(*, user, request=None) -> list[str]:
    """Ten new single-use recovery codes; the previous ones stop working. Shown once: the
    database keeps them for django-otp's static device."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _index in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    log_action(
        "accounts.second_factor.recovery_generated",
        user=user,
        data={"count": len(codes)},
        ip_address=client_ip(request),
    )
    return codes


@transaction.atomic
def second_factor_device_remove(*, device, request) -> None:
    """Remove one of the user's devices (the caller checks the session is verified)."""
    data = {"method": _device_kind(device), "device": device.pk, "name": device.name}
    device.delete()
    log_action(
        "accounts.second_factor.removed",
        user=request.user,
        data=data,
        ip_address=client_ip(request),
    )


@transaction.atomic
def user_second_factor_reset(*, account, user, request=None) -> int:
    """Remove every second-factor device of `account` (the CSO, for a lost phone); returns
    how many. Audited as `accounts.second_factor.reset`."""
    from django_otp import devices_for_user

    devices = list(devices_for_user(account, confirmed=None))
    for device in devices:
        device.delete()
    log_action(
        "accounts.second_factor.reset",
        user=user,
        data={"id": account.pk, "username": account.username, "devices": len(devices)},
        ip_address=client_ip(request),
    )
    return len(devices)


def temporary_password() -> str:
    """A random temporary password that passes the CNIL rule (four types, 20 characters)."""
    import secrets
    import string

    alphabet = string.ascii_letters + string.digits
    core = "".join(secrets.choice(alphabet) for _ in range(16))
    return f"{core}-{secrets.choice('ABCDEFGHJKLMNPQRSTUVWXYZ')}{secrets.randbelow(10)}!"


@transaction.atomic
def user_password_reset(*, account: User, user, request=None) -> str:
    """The CSO gives `account` a temporary password, to be changed at next sign-in (SPEC §9);
    returns it so it is shown once. Audited as `accounts.password.reset`."""
    password = temporary_password()
    account.set_password(password)
    account.must_change_password = True
    account.save(update_fields=["password", "must_change_password"])
    log_action(
        "accounts.password.reset",
        user=user,
        data={"id": account.pk, "username": account.username},
        ip_address=client_ip(request),
    )
    return password


def lock_lift(*, username: str = "", ip_address: str = "", user, request=None) -> int:
    """The CSO lifts a sign-in lock on an account or an address (SPEC §9); returns how many
    lock records went. Audited as `accounts.lock.lifted`."""
    from axes.utils import reset

    removed = reset(username=username or None, ip=ip_address or None)
    log_action(
        "accounts.lock.lifted",
        user=user,
        data={"username": username, "locked_ip": ip_address, "records": removed},
        ip_address=client_ip(request),
    )
    return removed


# --- Leavers and long absences (SPEC §9): the organisation app decides and audits. ---------


def user_close(*, account: User) -> bool:
    """Close an account so it can no longer sign in (its open sessions end at their next
    request: Django's backend refuses inactive users). False when already closed. The
    caller audits it as its own business action (`organisation.leaver.disabled`)."""
    if not account.is_active:
        return False
    account.is_active = False
    account.save(update_fields=["is_active"])
    return True


def user_roles_take(*, account: User) -> list[Group]:
    """Remove every role (group) of `account` and return them, for a suspension of rights
    the caller records and audits."""
    groups = list(account.groups.all())
    account.groups.clear()
    return groups


def user_roles_give(*, account: User, groups) -> None:
    """Give back roles taken by `user_roles_take` (the caller audits)."""
    account.groups.add(*groups)


# --- Permission changes (SPEC §9 access history; issue 12 §4): who, on what, added/removed.

# The through model of each audited relation: (action, owner field, target field).
PERMISSION_RELATIONS = {
    User.groups.through: ("accounts.roles.changed", "user", "group"),
    User.user_permissions.through: ("accounts.permissions.changed", "user", "permission"),
    Group.permissions.through: ("accounts.role_permissions.changed", "group", "permission"),
}


def _label(obj) -> str:
    if isinstance(obj, Permission):
        return f"{obj.content_type.app_label}.{obj.codename}"
    if isinstance(obj, Group):
        return obj.name
    return obj.get_username()


def _labels(model, pks) -> list[str]:
    objects = model.objects.filter(pk__in=pks)
    if model is Permission:
        objects = objects.select_related("content_type")
    return sorted(_label(obj) for obj in objects)


def permissions_changed(*, through, instance, action: str, reverse: bool, model, pk_set) -> None:
    """Audit one change of roles or permissions (an `m2m_changed` signal, either side of the
    relation, `clear()` included) as `accounts.roles.changed`, `accounts.permissions.changed`
    or `accounts.role_permissions.changed`, naming who made it (the request's user, else
    the system actor), on what, and what was added or removed."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    code, owner_field, target_field = PERMISSION_RELATIONS[through]
    if action == "pre_clear":
        own, other = (target_field, owner_field) if reverse else (owner_field, target_field)
        pk_set = set(
            through.objects.filter(**{f"{own}_id": instance.pk}).values_list(
                f"{other}_id", flat=True
            )
        )
    if not pk_set:
        return
    actor, ip_address = current_actor()
    key = "added" if action == "post_add" else "removed"
    log_action(
        code,
        user=actor,
        ip_address=ip_address,
        data={
            "on": instance._meta.model_name,
            "id": instance.pk,
            "name": _label(instance),
            key: _labels(model, pk_set),
        },
    )
