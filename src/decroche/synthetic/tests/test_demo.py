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
    assert users == len(ROLES) and calls > 0
    for role in ROLES:
        user = User.objects.get(groups__name=role.code)
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
