"""The second factor's pages (SPEC §9): the step after the password, enrolment (TOTP with
its QR code, or a code by e-mail), recovery codes and the "my security" page.

The enforcement is `middleware.SecondFactorMiddleware`; the verification step and the
enrolment are reachable while it is pending, enrolment only for who has no factor yet
(otherwise an attacker holding the password could add their own)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from . import selectors, services
from .forms import SecondFactorCodeForm


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def _may_enrol(request: HttpRequest) -> bool:
    """Enrolment is open to who has no factor yet, or whose session is verified."""
    return request.user.is_verified() or not selectors.has_verifying_device(request.user)


def _devices_of(user, model_name: str) -> list:
    return [d for d in selectors.second_factor_devices(user) if d._meta.model_name == model_name]


def _send_code(request: HttpRequest, device) -> None:
    if services.second_factor_email_send(device=device, request=request):
        address = device.email or request.user.email
        messages.info(
            request, gettext("A code has been sent to %(address)s.") % {"address": address}
        )
    else:
        messages.warning(request, gettext("Wait a minute before asking for a new code."))


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """After the password: a code from the app, a code received by e-mail, or a recovery code."""
    user = request.user
    next_url = _next_url(request)
    if user.is_verified():
        return redirect(next_url)
    if not selectors.has_verifying_device(user):
        return redirect(_with_next("second_factor_enrol", next_url))
    totp = _devices_of(user, "totpdevice")
    email = _devices_of(user, "emaildevice")
    recovery = _devices_of(user, "staticdevice")
    method = request.POST.get("method", "")
    if request.method == "POST" and method == "send_email" and email:
        _send_code(request, email[0])
        return redirect(_with_next("second_factor_verify", next_url))
    by_method = {"totp": totp, "email": email, "recovery": recovery}
    forms = {
        "totp": SecondFactorCodeForm(
            prefix="totp", label=_("Code from your authenticator app (6 digits)")
        ),
        "email": SecondFactorCodeForm(prefix="email", label=_("Code received by e-mail")),
        "recovery": SecondFactorCodeForm(
            prefix="recovery", label=_("Recovery code"), numeric=False
        ),
    }
    if request.method == "POST" and method in by_method and by_method[method]:
        form = SecondFactorCodeForm(
            request.POST, prefix=method, label=forms[method].fields["token"].label
        )
        if form.is_valid():
            if services.second_factor_verify(
                request=request, devices=by_method[method], token=form.cleaned_data["token"]
            ):
                return redirect(next_url)
            form.add_error(
                "token",
                _("This code is not valid, or too many attempts: wait a moment and try again."),
            )
        forms[method] = form
    context = {
        "title": _("Second factor"),
        "next": next_url,
        "totp_form": forms["totp"] if totp else None,
        "email_form": forms["email"] if email else None,
        "recovery_form": forms["recovery"] if recovery else None,
        "email_address": email[0].email or user.email if email else "",
    }
    return render(request, "accounts/second_factor/verify.html", context)


@never_cache
def enrol(request: HttpRequest) -> HttpResponse:
    """Choose the factor to set up."""
    if not _may_enrol(request):
        return redirect(_with_next("second_factor_verify", _next_url(request)))
    context = {
        "title": _("Set up a second factor"),
        "next": _next_url(request),
        "required": selectors.second_factor_required(request.user),
    }
    return render(request, "accounts/second_factor/enrol.html", context)


def _after_enrolment(request: HttpRequest) -> HttpResponse:
    messages.success(request, gettext("Your second factor is set up."))
    if not selectors.has_recovery_codes(request.user):
        return redirect("second_factor_recovery_codes")
    return redirect(_next_url(request))


@never_cache
@require_http_methods(["GET", "POST"])
def enrol_totp(request: HttpRequest) -> HttpResponse:
    """The QR code (segno, inline SVG: no script, no image request) and the secret to type,
    then a first code from the app confirms it."""
    from base64 import b32encode

    import segno

    if not _may_enrol(request):
        return redirect(_with_next("second_factor_verify", _next_url(request)))
    device = services.totp_device_start(user=request.user)
    form = SecondFactorCodeForm(request.POST or None, label=_("Code shown by the app"))
    if request.method == "POST" and form.is_valid():
        if services.second_factor_device_confirm(
            request=request, device=device, token=form.cleaned_data["token"]
        ):
            return _after_enrolment(request)
        form.add_error("token", _("This code is not valid: check the time of your phone."))
    secret = b32encode(device.bin_key).decode()
    context = {
        "title": _("Authenticator app"),
        "next": _next_url(request),
        "form": form,
        "qr_svg": segno.make(device.config_url, error="m").svg_inline(
            scale=4, title=gettext("QR code to scan with your authenticator app")
        ),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }
    return render(request, "accounts/second_factor/enrol_totp.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def enrol_email(request: HttpRequest) -> HttpResponse:
    """A code sent to the account's e-mail address, typed back to confirm it."""
    if not _may_enrol(request):
        return redirect(_with_next("second_factor_verify", _next_url(request)))
    device = services.email_device_start(user=request.user)
    form = SecondFactorCodeForm(label=_("Code received by e-mail"))
    if request.method == "POST" and request.POST.get("method") == "send_email":
        _send_code(request, device)
        return redirect(_with_next("second_factor_enrol_email", _next_url(request)))
    if request.method == "POST":
        form = SecondFactorCodeForm(request.POST, label=_("Code received by e-mail"))
        if form.is_valid():
            if services.second_factor_device_confirm(
                request=request, device=device, token=form.cleaned_data["token"]
            ):
                return _after_enrolment(request)
            form.add_error("token", _("This code is not valid or has expired."))
    context = {
        "title": _("Code by e-mail"),
        "next": _next_url(request),
        "form": form,
        "email_address": request.user.email,
        "sent": device.token is not None,
    }
    return render(request, "accounts/second_factor/enrol_email.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Ten single-use codes, shown once, for the day the phone or the mailbox is lost."""
    if not request.user.is_verified():
        raise PermissionDenied
    codes = None
    if request.method == "POST":
        codes = services.recovery_codes_generate(user=request.user, request=request)
    context = {
        "title": _("Recovery codes"),
        "codes": codes,
        "has_codes": selectors.has_recovery_codes(request.user),
    }
    return render(request, "accounts/second_factor/recovery_codes.html", context)


_KIND_LABELS = {
    "totpdevice": _("Authenticator app"),
    "emaildevice": _("Code by e-mail"),
    "staticdevice": _("Recovery codes"),
}


@never_cache
def security(request: HttpRequest) -> HttpResponse:
    """My security: the factors set up, each removable from a verified session."""
    devices = [
        {
            "id": device.persistent_id,
            "kind": _KIND_LABELS.get(device._meta.model_name, device._meta.verbose_name),
            "name": device.name,
            "left": device.token_set.count() if device._meta.model_name == "staticdevice" else None,
        }
        for device in selectors.second_factor_devices(request.user)
    ]
    context = {
        "title": _("My security"),
        "devices": devices,
        "required": selectors.second_factor_required(request.user),
        "verified": request.user.is_verified(),
    }
    return render(request, "accounts/second_factor/security.html", context)


@require_POST
def device_remove(request: HttpRequest) -> HttpResponse:
    """Remove one of my factors: only from a session verified by a second factor."""
    if not request.user.is_verified():
        raise PermissionDenied
    device = next(
        (
            d
            for d in selectors.second_factor_devices(request.user)
            if d.persistent_id == request.POST.get("device", "")
        ),
        None,
    )
    if device is None:
        raise Http404
    services.second_factor_device_remove(device=device, request=request)
    messages.success(request, gettext("The factor has been removed."))
    return redirect("second_factor_security")
