"""The second factor (SPEC §9): who must pass it, on every page (the admin included), how
each factor verifies, enrolment, recovery codes, removal and the audit of each event.

The module opts out of the conftest's verified `force_login`: sessions start unverified."""

from __future__ import annotations

import time

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_email.models import EmailDevice
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from decroche.accounts.roles import ROLES, ROLES_BY_CODE
from decroche.core.models import AuditEntry

pytestmark = [pytest.mark.django_db, pytest.mark.second_factor_unverified]

REQUIRED = [role.code for role in ROLES if role.requires_second_factor]
OPTIONAL = [role.code for role in ROLES if not role.requires_second_factor]


def _code(device: TOTPDevice, offset_steps: int = 0) -> str:
    """The app's code computed from the secret (RFC 6238, what the phone does)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset_steps):06d}"


def _actions(prefix: str = "accounts.second_factor") -> list[str]:
    return list(
        AuditEntry.objects.filter(action__startswith=prefix)
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_every_role_but_the_advisor_requires_the_second_factor():
    # The advisor sees their own results only (no one else's data, no money).
    assert OPTIONAL == ["advisor"]
    assert ROLES_BY_CODE["administrator"].requires_second_factor


@pytest.mark.parametrize("role", REQUIRED)
def test_a_role_that_sees_personal_data_is_sent_to_enrolment_then_to_verification(
    client, make_user, role
):
    user = make_user(role)
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("second_factor_enrol"))
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('second_factor_verify')}?next=%2F"


def test_the_optional_role_passes_without_a_factor_but_not_once_enrolled(client, make_user):
    user = make_user("advisor")
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 200
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    # An enrolled factor is always asked for.
    assert client.get(reverse("home"))["Location"].startswith(reverse("second_factor_verify"))


def test_the_deployment_policy_can_require_it_of_every_role(client, make_user, settings):
    settings.SECOND_FACTOR_FOR_ALL = True
    client.force_login(make_user("advisor"))
    assert client.get(reverse("home"))["Location"].startswith(reverse("second_factor_enrol"))


def test_a_user_without_role_is_not_held_by_default(client, make_user):
    client.force_login(make_user())
    assert client.get(reverse("home")).status_code == 200


def test_the_admin_is_covered(client, make_user):
    user = make_user("administrator", is_superuser=True, is_staff=True)
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("second_factor_enrol"))
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    response = client.post(
        reverse("second_factor_verify"),
        {"method": "totp", "totp-token": _code(device), "next": "/admin/"},
    )
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_temporary_password_comes_first(client, make_user):
    user = make_user("team_leader")
    user.must_change_password = True
    user.save()
    client.force_login(user)
    assert client.get(reverse("home"))["Location"] == reverse("password_change")
    # The password change form itself is reachable before any second factor.
    assert client.get(reverse("password_change")).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for name in ("second_factor_verify", "second_factor_enrol", "second_factor_security"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_totp_enrolment_shows_a_qr_code_and_is_confirmed_by_a_first_code(client, make_user):
    user = make_user("quality_analyst")
    client.force_login(user)
    response = client.get(reverse("second_factor_enrol_totp"))
    assert response.status_code == 200
    # The QR code is inline SVG: no inline script (a CSP without them is coming).
    assert b"<svg" in response.content and b"<script>" not in response.content
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("second_factor_enrol_totp"), {"token": "000000"})
    assert response.status_code == 200 and not TOTPDevice.objects.filter(confirmed=True).exists()
    time.sleep(1.1)  # django-otp's throttle: 1 s after the first failure (2^0 s)
    response = client.post(reverse("second_factor_enrol_totp"), {"token": _code(device)})
    # No recovery codes yet: the next page offers them.
    assert response["Location"] == reverse("second_factor_recovery_codes")
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("home")).status_code == 200
    assert _actions() == ["accounts.second_factor.failed", "accounts.second_factor.enrolled"]
    assert AuditEntry.objects.filter(action="accounts.second_factor.enrolled").get().ip_address


def test_enrolment_is_closed_to_an_unverified_user_who_has_a_factor(client, make_user):
    """Else whoever holds the password could add their own phone."""
    user = make_user("contract_manager")
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client.force_login(user)
    for name in ("second_factor_enrol", "second_factor_enrol_totp", "second_factor_enrol_email"):
        response = client.get(reverse(name))
        assert response["Location"].startswith(reverse("second_factor_verify")), name
    assert not TOTPDevice.objects.filter(confirmed=False).exists()


def test_totp_verification_with_the_code_of_the_secret(client, make_user):
    user = make_user("site_manager")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client.force_login(user)
    response = client.post(
        reverse("second_factor_verify"), {"method": "totp", "totp-token": "123456"}
    )
    assert response.status_code == 200
    assert response.context["totp_form"].errors
    # django-otp throttles: after a failure the next try waits 1 s (factor 1, 2^0 s).
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    time.sleep(1.1)
    response = client.post(
        reverse("second_factor_verify"), {"method": "totp", "totp-token": _code(device)}
    )
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    assert _actions() == ["accounts.second_factor.failed", "accounts.second_factor.verified"]


def test_a_code_by_email_through_the_outbox(client, make_user):
    user = make_user("client_auditor")
    EmailDevice.objects.create(user=user, name="mail", confirmed=True)
    client.force_login(user)
    response = client.post(reverse("second_factor_verify"), {"method": "send_email"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]
    code = EmailDevice.objects.get(user=user).token
    assert code in mail.outbox[0].body
    response = client.post(
        reverse("second_factor_verify"), {"method": "email", "email-token": code}
    )
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_email_enrolment_sends_a_code_then_confirms(client, make_user):
    user = make_user("trainer")
    client.force_login(user)
    client.post(reverse("second_factor_enrol_email"), {"method": "send_email"})
    assert len(mail.outbox) == 1
    code = EmailDevice.objects.get(user=user).token
    response = client.post(reverse("second_factor_enrol_email"), {"token": code})
    assert response.status_code == 302
    assert EmailDevice.objects.get(user=user).confirmed


def test_recovery_codes_are_ten_shown_once_and_each_works_once(client, make_user):
    user = make_user("security_officer")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client.force_login(user)
    # Not verified yet: no codes.
    assert client.post(reverse("second_factor_recovery_codes")).status_code == 302
    client.post(reverse("second_factor_verify"), {"method": "totp", "totp-token": _code(device)})
    response = client.post(reverse("second_factor_recovery_codes"))
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get(reverse("second_factor_recovery_codes")).context["codes"] is None
    client.logout()
    client.force_login(user)
    response = client.post(
        reverse("second_factor_verify"), {"method": "recovery", "recovery-token": codes[0]}
    )
    assert response["Location"] == reverse("home")
    client.logout()
    client.force_login(user)
    response = client.post(
        reverse("second_factor_verify"), {"method": "recovery", "recovery-token": codes[0]}
    )
    assert response.status_code == 200  # used once: refused
    assert StaticToken.objects.filter(device__user=user).count() == 9
    assert "accounts.second_factor.recovery_used" in _actions()


def test_regenerating_recovery_codes_cancels_the_previous_ones(client, make_user):
    user = make_user("workforce_planner")
    from decroche.accounts import services

    first = services.recovery_codes_generate(user=user)
    second = services.recovery_codes_generate(user=user)
    tokens = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert tokens == set(second) and not tokens & set(first)
    assert StaticDevice.objects.filter(user=user).count() == 1


def test_removing_a_factor_needs_a_verified_session(client, make_user):
    user = make_user("cnam_evaluator")
    app = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    mailbox = EmailDevice.objects.create(user=user, name="mail", confirmed=True)
    client.force_login(user)
    response = client.post(
        reverse("second_factor_device_remove"), {"device": mailbox.persistent_id}
    )
    assert response.status_code == 302  # sent to verification, nothing removed
    assert EmailDevice.objects.filter(pk=mailbox.pk).exists()
    client.post(reverse("second_factor_verify"), {"method": "totp", "totp-token": _code(app)})
    page = client.get(reverse("second_factor_security"))
    assert page.status_code == 200 and len(page.context["devices"]) == 2
    response = client.post(
        reverse("second_factor_device_remove"), {"device": mailbox.persistent_id}
    )
    assert response["Location"] == reverse("second_factor_security")
    assert not EmailDevice.objects.filter(pk=mailbox.pk).exists()
    assert _actions()[-1] == "accounts.second_factor.removed"


def test_one_cannot_remove_another_users_factor(client, make_user):
    user = make_user("team_leader")
    other = make_user("site_manager")
    app = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    theirs = TOTPDevice.objects.create(user=other, name="app", confirmed=True)
    client.force_login(user)
    client.post(reverse("second_factor_verify"), {"method": "totp", "totp-token": _code(app)})
    response = client.post(reverse("second_factor_device_remove"), {"device": theirs.persistent_id})
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(pk=theirs.pk).exists()


def test_an_external_next_is_ignored(client, make_user):
    user = make_user("team_leader")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client.force_login(user)
    response = client.post(
        reverse("second_factor_verify"),
        {"method": "totp", "totp-token": _code(device), "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("home")


def test_the_second_factor_pages_are_in_french(client, make_user):
    from decroche.core.tests.test_french_pages import problems, visible_text

    user = make_user("team_leader")
    client.force_login(user)
    found = {}
    for name in ("second_factor_enrol", "second_factor_enrol_totp", "second_factor_enrol_email"):
        text = visible_text(client.get(reverse(name)).content.decode())
        found[name] = problems(text)
    device = TOTPDevice.objects.get(user=user)
    EmailDevice.objects.create(user=user, name="mail", confirmed=True)
    device.confirmed = True
    device.save()
    client.logout()
    client.force_login(user)
    found["verify"] = problems(
        visible_text(client.get(reverse("second_factor_verify")).content.decode())
    )
    client.post(reverse("second_factor_verify"), {"method": "totp", "totp-token": _code(device)})
    client.post(reverse("second_factor_recovery_codes"))
    for name in ("second_factor_security", "second_factor_recovery_codes"):
        found[name] = problems(visible_text(client.get(reverse(name)).content.decode()))
    assert not any(found.values()), found


def test_the_account_page_tells_the_cso_which_factor_a_person_uses(client, make_user):
    cso = make_user("security_officer")
    person = make_user("team_leader")
    TOTPDevice.objects.create(user=person, name="app", confirmed=True)
    app = TOTPDevice.objects.create(user=cso, name="app", confirmed=True)
    client.force_login(cso)
    client.post(reverse("second_factor_verify"), {"method": "totp", "totp-token": _code(app)})
    page = client.get(reverse("user-detail", args=[person.pk])).content.decode()
    assert "application d'authentification (exigé)" in page.replace("&#x27;", "'")


def _verified(client, user):
    app = TOTPDevice.objects.get_or_create(user=user, name="app", defaults={"confirmed": True})[0]
    client.force_login(user)
    client.post(reverse("second_factor_verify"), {"method": "totp", "totp-token": _code(app)})


def test_the_cso_resets_a_persons_second_factor(client, make_user):
    cso = make_user("security_officer")
    person = make_user("team_leader")
    TOTPDevice.objects.create(user=person, name="lost phone", confirmed=True)
    EmailDevice.objects.create(user=person, name="mail", confirmed=True)
    _verified(client, cso)
    assert "double-facteur/reinitialiser" in (
        client.get(reverse("user-detail", args=[person.pk])).content.decode()
    )
    response = client.post(reverse("user-second-factor-reset", args=[person.pk]))
    assert response["Location"] == reverse("user-detail", args=[person.pk])
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not EmailDevice.objects.filter(user=person).exists()
    entry = AuditEntry.objects.get(action="accounts.second_factor.reset")
    assert entry.user == cso and entry.data["devices"] == 2


def test_the_reset_is_refused_without_the_permission_or_out_of_scope(client, make_user):
    person = make_user("team_leader")
    TOTPDevice.objects.create(user=person, name="phone", confirmed=True)
    _verified(client, make_user("site_manager"))
    assert client.post(reverse("user-second-factor-reset", args=[person.pk])).status_code == 403
    # The CSO does not manage the administrators above them.
    admin = make_user("administrator")
    TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    _verified(client, make_user("security_officer"))
    assert client.post(reverse("user-second-factor-reset", args=[admin.pk])).status_code == 404
    assert TOTPDevice.objects.filter(user=admin, name="phone").exists()
