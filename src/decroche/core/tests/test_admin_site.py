"""The stock admin is the administrator's alone (issue 18 point 10; SPEC §9)."""

from __future__ import annotations

import pytest

from decroche.accounts.roles import ROLES

pytestmark = pytest.mark.django_db

OTHER_ROLES = [role.code for role in ROLES if role.code != "administrator"]


@pytest.mark.parametrize("role", OTHER_ROLES)
@pytest.mark.parametrize(
    "url", ["/admin/", "/admin/organisation/site/", "/admin/accounts/user/", "/admin/contract/"]
)
def test_every_other_role_is_refused_at_the_admin(client, users, role, url):
    client.force_login(users[role])
    response = client.get(url)
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


def test_the_administrator_opens_the_admin(client, users):
    client.force_login(users["administrator"])
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/organisation/site/").status_code == 200


def test_a_superuser_without_the_role_opens_it_too(client, make_user):
    client.force_login(make_user(None, username="root.martin", is_superuser=True))
    assert client.get("/admin/").status_code == 200


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/admin/")
    assert response.status_code == 302
