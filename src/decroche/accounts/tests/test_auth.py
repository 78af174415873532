"""Sign-in audit, sign-out by POST, forced password change (SPEC §9)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from decroche.conftest import PASSWORD
from decroche.core.models import AuditEntry

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Nouveau-Secret-2026!"


def test_login_page_is_public_and_in_french(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Se connecter" in response.content.decode()


def test_successful_login_is_audited_with_ip(client, users):
    user = users["team_leader"]
    response = client.post(
        reverse("login"),
        {"username": user.username, "password": PASSWORD},
        REMOTE_ADDR="192.0.2.10",
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="accounts.login.succeeded")
    assert (entry.user, entry.username, entry.ip_address) == (user, user.username, "192.0.2.10")


def test_failed_login_is_audited_without_the_password(client, users):
    response = client.post(
        reverse("login"),
        {"username": "camille.teamleader", "password": "mauvais"},
        REMOTE_ADDR="192.0.2.11",
    )
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="accounts.login.failed")
    assert entry.user is None
    assert entry.data == {"username": "camille.teamleader"}
    assert entry.ip_address == "192.0.2.11"
    assert "mauvais" not in str(entry.data)


def test_logout_requires_post_and_is_audited(client, users):
    client.force_login(users["advisor"])
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="accounts.logout", user=users["advisor"]).count() == 1
    assert client.get(reverse("home")).status_code == 302


def test_first_login_forces_the_password_change_on_every_page(client, make_user):
    user = make_user("team_leader", username="jeanne.martin")
    user.must_change_password = True
    user.save()
    client.force_login(user)
    for url in [reverse("home"), reverse("call-list"), "/admin/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("password_change")
    assert client.get(reverse("password_change")).status_code == 200


def test_password_change_clears_the_flag_and_is_audited(client, make_user):
    user = make_user("team_leader", username="jeanne.martin")
    user.must_change_password = True
    user.save()
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.must_change_password is False
    assert user.check_password(NEW_PASSWORD)
    assert AuditEntry.objects.filter(action="accounts.password.changed", user=user).exists()
    # The session survives the change and pages open again.
    assert client.get(reverse("home")).status_code == 200


def test_password_change_follows_the_cnil_rules(client, users):
    client.force_login(users["advisor"])
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "toutenminuscules",
            "new_password2": "toutenminuscules",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]


def test_password_change_page_redirects_anonymous(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
