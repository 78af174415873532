"""Force the password change at first login (SPEC §9: temporary credentials)."""

from __future__ import annotations

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
