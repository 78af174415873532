"""Force the password change at first login (SPEC §9: temporary credentials), then the
second factor (SPEC §9)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

# Pages reachable while the change is pending: the form itself and signing out.
_ALLOWED_URL_NAMES = ("password_change", "logout")


class ForcePasswordChangeMiddleware:
    """Redirect every page to the password-change form while `must_change_password` is set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
        ):
            allowed = {reverse(name) for name in _ALLOWED_URL_NAMES}
            if request.path not in allowed and not request.path.startswith(_static_prefix()):
                return redirect("password_change")
        return self.get_response(request)


def _static_prefix() -> str:
    from django.conf import settings

    return "/" + settings.STATIC_URL.lstrip("/")


# Pages reachable while the second factor is pending: the step itself, enrolment (only
# for who has no device yet, checked by the views), signing out and the password change.
_SECOND_FACTOR_OPEN_URL_NAMES = (
    "second_factor_verify",
    "second_factor_enrol",
    "second_factor_enrol_totp",
    "second_factor_enrol_email",
    "password_change",
    "logout",
)


class SecondFactorMiddleware:
    """Send a signed-in user who must pass a second factor and has not to the verification
    step, or to enrolment if they have no device yet (SPEC §9). Runs for every path, the
    admin included; placed after `ForcePasswordChangeMiddleware` (temporary password first)
    and after django-otp's `OTPMiddleware` (which sets `user.is_verified()`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and request.path not in {reverse(name) for name in _SECOND_FACTOR_OPEN_URL_NAMES}
            and not request.path.startswith(_static_prefix())
        ):
            from . import selectors

            if selectors.second_factor_required(user):
                target = (
                    "second_factor_verify"
                    if selectors.has_verifying_device(user)
                    else "second_factor_enrol"
                )
                return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
