"""`decroche demo`: one nominative account per role, idempotent (SPEC §9)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from decroche.accounts.models import User
from decroche.accounts.roles import ROLES
from decroche.contacts.models import Call
from decroche.organisation.models import Advisor, Team
from decroche.synthetic.demo import DEMO_PASSWORD
from decroche.synthetic.management.commands.demo import demo_url


@pytest.mark.django_db(transaction=True)
def test_demo_creates_one_account_per_role_and_can_run_again(monkeypatch):
    monkeypatch.delenv("HOST", raising=False)
    monkeypatch.delenv("PORT", raising=False)
    out = StringIO()
    call_command("demo", "--months", "1", "--scale", "0.01", stdout=out)
    users, calls = User.objects.count(), Call.objects.count()
    # Besides the role accounts, a few leavers and absentees of the roster have one
    # (`synthetic.leavers`, issue 12.5).
    roster_accounts = Advisor.objects.exclude(login="A1001").exclude(user=None).values("user")
    demo_accounts = User.objects.exclude(pk__in=roster_accounts)
    assert demo_accounts.count() == len(ROLES) and calls > 0
    assert 0 < users - len(ROLES) <= 5
    for role in ROLES:
        user = demo_accounts.get(groups__name=role.code)
        assert user.check_password(DEMO_PASSWORD) and not user.must_change_password
        assert user.email == f"{user.username}@example.org"
        assert user.is_superuser == (role.code == "administrator")
        assert user.is_staff == (role.code in ("administrator", "site_manager"))
    assert Advisor.objects.get(login="A1001").user.groups.filter(name="advisor").exists()
    assert (
        Team.objects.get(leader__groups__name="team_leader").advisors.filter(login="A1001").exists()
    )
    assert User.objects.get(groups__name="site_manager").managed_sites.count() == 1
    assert "http://127.0.0.1:8000" in out.getvalue() and DEMO_PASSWORD in out.getvalue()

    changed = User.objects.get(groups__name="trainer")
    changed.set_password("Un-Autre-Secret-99!")
    changed.save()
    call_command("demo", "--months", "1", "--scale", "0.01", stdout=StringIO())
    assert (User.objects.count(), Call.objects.count()) == (users, calls)
    assert User.objects.get(pk=changed.pk).check_password("Un-Autre-Secret-99!")


@pytest.mark.django_db
def test_demo_prints_the_address_it_serves(monkeypatch):
    # `make demo HOST=… PORT=…` exports both to the command and to runserver
    monkeypatch.setenv("HOST", "0.0.0.0")
    monkeypatch.setenv("PORT", "8765")
    out = StringIO()
    call_command("demo", "--months", "0", stdout=out)
    # bound to every interface: the address to open from this machine
    assert "open http://127.0.0.1:8765 " in out.getvalue()
    assert demo_url("192.168.1.20", "8000") == "http://192.168.1.20:8000"
    assert demo_url("::1", "8000") == "http://[::1]:8000"


@pytest.mark.django_db
@pytest.mark.second_factor_unverified
def test_the_demo_accounts_second_factor_works_out_of_the_box(client):
    """The printed secret gives the app's code; the e-mail device sends one (SPEC §9)."""
    from base64 import b32decode

    from django.core import mail
    from django.urls import reverse
    from django_otp.oath import totp
    from django_otp.plugins.otp_email.models import EmailDevice

    from decroche.synthetic.demo import demo_totp_secret

    out = StringIO()
    call_command("demo", "--months", "0", stdout=out)
    secret = demo_totp_secret()
    assert secret in out.getvalue() and "Double authentification" in out.getvalue()
    planner = User.objects.get(groups__name="workforce_planner")
    client.force_login(planner)
    assert client.get(reverse("home"))["Location"].startswith(reverse("second_factor_verify"))
    # What the phone computes from the printed secret (base 32, padded back to 8-char blocks).
    key = b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    response = client.post(
        reverse("second_factor_verify"), {"method": "totp", "totp-token": f"{totp(key):06d}"}
    )
    assert response["Location"] == reverse("home")
    client.logout()
    client.force_login(planner)
    client.post(reverse("second_factor_verify"), {"method": "send_email"})
    assert mail.outbox[0].to == [planner.email]
    code = EmailDevice.objects.get(user=planner).token
    response = client.post(
        reverse("second_factor_verify"), {"method": "email", "email-token": code}
    )
    assert response["Location"] == reverse("home")
