"""Sign-in throttling and lockout, and the CSO's locks and password resets (SPEC §9)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from decroche.accounts.lockout import lockout_delay
from decroche.conftest import PASSWORD
from decroche.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def fail(client, username: str, times: int, ip: str = "192.0.2.20"):
    response = None
    for _ in range(times):
        response = client.post(
            reverse("login"), {"username": username, "password": "faux"}, REMOTE_ADDR=ip
        )
    return response


def sign_in(client, username: str, ip: str = "192.0.2.20"):
    return client.post(
        reverse("login"), {"username": username, "password": PASSWORD}, REMOTE_ADDR=ip
    )


def test_the_delay_grows_then_lasts_until_lifted():
    # Lock n after 5 × n failures: 1, 5, 30 minutes, then until the CSO lifts it.
    assert [lockout_delay(n, 5) for n in (5, 9, 10, 15)] == [
        dt.timedelta(minutes=1),
        dt.timedelta(minutes=1),
        dt.timedelta(minutes=5),
        dt.timedelta(minutes=30),
    ]
    assert lockout_delay(20, 5) >= dt.timedelta(days=3650)


def test_five_failures_lock_the_account_even_with_the_right_password(client, users):
    user = users["team_leader"]
    assert fail(client, user.username, 4).status_code == 200
    locked = fail(client, user.username, 1)
    assert locked.status_code == 429
    assert "Trop de tentatives" in locked.content.decode()
    # The right password is refused while the lock lasts, from any address.
    assert sign_in(client, user.username, ip="198.51.100.7").status_code == 429


def test_the_first_lock_ends_after_one_minute(client, users):
    user = users["team_leader"]
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        fail(client, user.username, 5)
        assert sign_in(client, user.username).status_code == 429
        clock.shift(dt.timedelta(seconds=61))
        assert sign_in(client, user.username).status_code == 302


def test_the_second_lock_lasts_longer_than_the_first(client, users):
    user = users["team_leader"]
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        fail(client, user.username, 5)
        clock.shift(dt.timedelta(seconds=61))
        fail(client, user.username, 5)  # failures 6 to 10 in 24 hours: second lock
        clock.shift(dt.timedelta(seconds=61))
        assert sign_in(client, user.username).status_code == 429
        # Still locked after the first lock's minute: the second lasts five.
        clock.shift(dt.timedelta(minutes=2))
        assert sign_in(client, user.username).status_code == 429


def test_an_address_is_locked_whatever_the_accounts_it_tries(client, users):
    for name in ("inconnu.un", "inconnu.deux", "inconnu.trois", "inconnu.quatre", "inconnu.cinq"):
        fail(client, name, 1, ip="203.0.113.9")
    assert sign_in(client, users["advisor"].username, ip="203.0.113.9").status_code == 429
    assert sign_in(client, users["advisor"].username, ip="203.0.113.10").status_code == 302


def test_the_message_is_the_same_for_an_unknown_account(client, users):
    known = fail(client, users["team_leader"].username, 5, ip="192.0.2.1")
    unknown = fail(client, "personne.inconnue", 5, ip="192.0.2.2")
    assert known.status_code == unknown.status_code == 429
    assert "Trop de tentatives" in unknown.content.decode()


def test_the_cso_sees_the_lock_and_lifts_it_audited(client, users):
    user = users["team_leader"]
    fail(client, user.username, 5)
    client.force_login(users["security_officer"])
    page = client.get(reverse("sign-in-locks"))
    assert page.status_code == 200
    assert user.username in page.content.decode()
    response = client.post(reverse("sign-in-lock-lift"), {"username": user.username})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="accounts.lock.lifted")
    assert entry.user == users["security_officer"]
    assert entry.data["username"] == user.username
    client.logout()
    assert sign_in(client, user.username, ip="192.0.2.99").status_code == 302


def test_the_cso_resets_a_password_shown_once_and_to_be_changed(client, users):
    account = users["planner"] if "planner" in users else users["workforce_planner"]
    client.force_login(users["security_officer"])
    response = client.post(reverse("user-password-reset", args=[account.pk]))
    assert response.status_code == 200
    password = response.context["password"]
    account.refresh_from_db()
    assert account.check_password(password)
    assert account.must_change_password is True
    assert response["Cache-Control"] == "no-store"
    entry = AuditEntry.objects.get(action="accounts.password.reset")
    assert entry.data["username"] == account.username
    assert password not in str(entry.data)


@pytest.mark.parametrize("role", ["advisor", "team_leader", "client_auditor", "quality_analyst"])
def test_locks_and_resets_are_not_allowed_to_other_roles(client, users, role):
    client.force_login(users[role])
    assert client.get(reverse("sign-in-locks")).status_code == 403
    assert client.post(reverse("sign-in-lock-lift"), {"username": "x"}).status_code == 403
    target = users["advisor"]
    assert client.post(reverse("user-password-reset", args=[target.pk])).status_code == 403
    assert not AuditEntry.objects.filter(
        action__in=["accounts.lock.lifted", "accounts.password.reset"]
    ).exists()


def test_locks_page_redirects_anonymous(client):
    response = client.get(reverse("sign-in-locks"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
