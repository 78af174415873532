"""Force the password change at first login (SPEC §9: temporary credentials), then the
second factor (SPEC §9)."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext

from . import services

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


# Keys of the session that time it (seconds since the epoch).
SESSION_STARTED_KEY = "decroche_session_started"
SESSION_SEEN_KEY = "decroche_session_seen"
# The last activity is written at most this often, so that reading pages does not
# rewrite the session on every request.
_SEEN_RESOLUTION = 60


def session_clock_start(session) -> None:
    """Start the lifetime and idle clocks of a session that has just signed in."""
    now = int(time.time())
    session[SESSION_STARTED_KEY] = now
    session[SESSION_SEEN_KEY] = now


class SessionTimeoutMiddleware:
    """End a session idle for `SESSION_IDLE_TIMEOUT` seconds, and any session older than
    `SESSION_ABSOLUTE_LIFETIME` whatever its activity (SPEC §9; issue 12 point 6). The
    person is signed out (the session is flushed), the event audited, and the next page is
    the sign-in form with a message. Placed after `MessageMiddleware`; the clock starts at
    sign-in (`session_clock_start`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            expired = self._expired(request)
            if expired:
                services.session_expired(user=user, request=request, reason=expired)
                logout(request)
                messages.info(request, gettext("Your session has expired: please sign in again."))
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)

    @staticmethod
    def _expired(request) -> str:
        now = int(time.time())
        session = request.session
        started = session.setdefault(SESSION_STARTED_KEY, now)
        seen = session.get(SESSION_SEEN_KEY, now)
        if now - started > settings.SESSION_ABSOLUTE_LIFETIME:
            return "absolute"
        if now - seen > settings.SESSION_IDLE_TIMEOUT:
            return "idle"
        if now - seen >= _SEEN_RESOLUTION or SESSION_SEEN_KEY not in session:
            session[SESSION_SEEN_KEY] = now
        return ""
