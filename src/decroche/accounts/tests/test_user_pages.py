"""The account pages that replace the admin for the CSO (issue 18 point 10; SPEC §9):
create with temporary credentials, change roles, deactivate; scoped and audited."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from decroche.accounts.models import User
from decroche.core.models import AuditEntry

pytestmark = pytest.mark.django_db
STRONG = "Unique-Secret-2026!"


def creation_data(**overrides) -> dict:
    data = {
        "username": "louise.bernard",
        "first_name": "Louise",
        "last_name": "Bernard",
        "email": "louise.bernard@example.org",
        "password1": STRONG,
        "password2": STRONG,
        "groups": [Group.objects.get(name="advisor").pk],
    }
    return data | overrides


def test_cso_creates_an_account_with_temporary_credentials(client, users):
    client.force_login(users["security_officer"])
    response = client.post(reverse("user-create"), creation_data())
    account = User.objects.get(username="louise.bernard")
    assert response.status_code == 302
    assert response["Location"] == reverse("user-detail", args=[account.pk])
    assert account.must_change_password is True and account.check_password(STRONG)
    assert account.role_codes == ["advisor"]
    entry = AuditEntry.objects.get(action="accounts.user.created", user=users["security_officer"])
    assert entry.data["id"] == account.pk
    assert entry.data["changes"]["email"] == "***"  # personal data masked
    assert entry.data["changes"]["groups"] == [None, [Group.objects.get(name="advisor").pk]]
    assert entry.data["changes"]["password1"] == "***"  # never the password itself


def test_a_generic_account_or_weak_password_is_refused(client, users):
    client.force_login(users["security_officer"])
    response = client.post(reverse("user-create"), creation_data(username="accueil"))
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(reverse("user-create"), creation_data(password1="abc", password2="abc"))
    assert "password1" in response.context["form"].errors
    assert not User.objects.filter(email="louise.bernard@example.org").exists()


def test_cso_cannot_grant_the_administrator_role(client, users):
    client.force_login(users["security_officer"])
    admin_role = Group.objects.get(name="administrator").pk
    response = client.post(reverse("user-create"), creation_data(groups=[admin_role]))
    assert response.status_code == 200
    assert "groups" in response.context["form"].errors
    assert not User.objects.filter(username="louise.bernard").exists()


def test_cso_cannot_see_or_edit_an_administrator(client, users):
    client.force_login(users["security_officer"])
    admin = users["administrator"]
    assert client.get(reverse("user-detail", args=[admin.pk])).status_code == 404
    assert client.get(reverse("user-edit", args=[admin.pk])).status_code == 404
    assert client.post(reverse("user-deactivate", args=[admin.pk])).status_code == 404
    admin.refresh_from_db()
    assert admin.is_active


def test_cso_changes_roles_and_deactivates_a_leaver(client, users):
    client.force_login(users["security_officer"])
    leaver = users["team_leader"]
    data = {
        "first_name": leaver.first_name,
        "last_name": leaver.last_name,
        "email": leaver.email,
        "groups": [Group.objects.get(name="site_manager").pk],
    }
    response = client.post(reverse("user-edit", args=[leaver.pk]), data)
    assert response.status_code == 302
    leaver.refresh_from_db()
    assert leaver.role_codes == ["site_manager"]
    assert AuditEntry.objects.filter(action="accounts.user.changed").count() == 1

    assert client.get(reverse("user-deactivate", args=[leaver.pk])).status_code == 405
    client.post(reverse("user-deactivate", args=[leaver.pk]))
    leaver.refresh_from_db()
    assert not leaver.is_active and User.objects.filter(pk=leaver.pk).exists()
    assert AuditEntry.objects.get(action="accounts.user.deactivated").data["id"] == leaver.pk
    page = client.get(reverse("user-list"), {"active": "no"})
    assert [row["url"] for row in page.context["rows"]] == [
        reverse("user-detail", args=[leaver.pk])
    ]


@pytest.mark.parametrize(
    "role", ["team_leader", "site_manager", "client_auditor", "trainer", "advisor"]
)
@pytest.mark.parametrize("name", ["user-list", "user-create", "user-detail", "user-edit"])
def test_other_roles_are_refused(client, users, role, name):
    client.force_login(users[role])
    args = [] if name in ("user-list", "user-create") else [users["advisor"].pk]
    assert client.get(reverse(name, args=args)).status_code == 403
    response = client.post(reverse("user-deactivate", args=[users["advisor"].pk]))
    assert response.status_code == 403
    assert User.objects.get(pk=users["advisor"].pk).is_active
