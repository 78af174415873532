"""The access history records permission changes and locks, with who made them (SPEC §9;
issue 12 §4). Sign-ins, sign-outs and second-factor events: test_auth, test_second_factor."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from decroche.core.models import AuditEntry
from decroche.core.selectors import verify_chain

pytestmark = pytest.mark.django_db


def _changes(action: str) -> list[dict]:
    return list(
        AuditEntry.objects.filter(action=action).order_by("pk").values_list("data", flat=True)
    )


def test_a_role_change_on_the_account_page_names_the_cso_and_both_sides(client, users):
    cso, account = users["security_officer"], users["team_leader"]
    client.force_login(cso)
    before = AuditEntry.objects.filter(action="accounts.roles.changed").count()
    data = {
        "first_name": account.first_name,
        "last_name": account.last_name,
        "email": account.email,
        "groups": [Group.objects.get(name="site_manager").pk],
    }
    response = client.post(reverse("user-edit", args=[account.pk]), data, REMOTE_ADDR="192.0.2.4")
    assert response.status_code == 302

    entries = AuditEntry.objects.filter(action="accounts.roles.changed").order_by("pk")[before:]
    assert {entry.user for entry in entries} == {cso}
    assert {entry.ip_address for entry in entries} == {"192.0.2.4"}
    changes = [entry.data for entry in entries]
    assert {"on": "user", "id": account.pk, "name": account.username}.items() <= changes[0].items()
    assert [c.get("removed") for c in changes if "removed" in c] == [["team_leader"]]
    assert [c.get("added") for c in changes if "added" in c] == [["site_manager"]]
    assert verify_chain().intact


def test_direct_permissions_and_role_permissions_are_recorded_from_either_side(users):
    account = users["advisor"]
    permission = Permission.objects.get(codename="view_auditentry")
    account.user_permissions.add(permission)
    group = Group.objects.get(name="trainer")
    group.permissions.add(permission)
    group.user_set.add(account)  # the reverse side of User.groups
    account.user_permissions.clear()

    assert _changes("accounts.permissions.changed") == [
        {
            "on": "user",
            "id": account.pk,
            "name": account.username,
            "added": ["core.view_auditentry"],
        },
        {
            "on": "user",
            "id": account.pk,
            "name": account.username,
            "removed": ["core.view_auditentry"],
        },
    ]
    assert _changes("accounts.role_permissions.changed")[-1] == {
        "on": "group",
        "id": group.pk,
        "name": "trainer",
        "added": ["core.view_auditentry"],
    }
    assert _changes("accounts.roles.changed")[-1] == {
        "on": "group",
        "id": group.pk,
        "name": "trainer",
        "added": [account.username],
    }
    # Outside a request, the entry names the system actor (none in tests).
    assert AuditEntry.objects.filter(action="accounts.permissions.changed").first().user is None


def test_a_lock_is_recorded(client, users):
    for _ in range(5):
        client.post(
            reverse("login"),
            {"username": users["advisor"].username, "password": "faux"},
            REMOTE_ADDR="192.0.2.30",
        )
    entry = AuditEntry.objects.get(action="accounts.login.locked")
    assert entry.data == {"username": users["advisor"].username}
    assert entry.ip_address == "192.0.2.30"
