"""Home page per role and audit log (issue 2; SPEC §9). Error pages: test_error_pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from decroche.core.services import log_action

pytestmark = pytest.mark.django_db


def test_home_redirects_anonymous_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_home_is_in_french_with_dsfr_shell(client, users):
    client.force_login(users["team_leader"])
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr"' in html
    assert "fr-header" in html and "fr-footer" in html and "fr-skiplinks" in html
    assert "Responsable d'équipe" in html or "Responsable d&#x27;équipe" in html


@pytest.mark.parametrize(
    ("role", "expected", "absent"),
    [
        ("team_leader", ["import-upload", "import-list", "call-list"], ["user-list", "audit-log"]),
        ("security_officer", ["user-list", "audit-log"], ["import-upload", "call-list"]),
        (
            "client_auditor",
            ["import-list", "call-list"],
            ["import-upload", "user-list", "audit-log"],
        ),
        ("trainer", [], ["import-upload", "call-list", "user-list", "audit-log"]),
        ("administrator", ["import-upload", "call-list", "user-list", "audit-log"], []),
    ],
)
def test_home_links_only_to_what_the_role_may_open(client, users, role, expected, absent):
    client.force_login(users[role])
    html = client.get(reverse("home")).content.decode()
    for name in expected:
        assert f'href="{reverse(name)}"' in html, name
    for name in absent:
        assert f'href="{reverse(name)}"' not in html, name


@pytest.mark.parametrize(
    "role", ["team_leader", "site_manager", "client_auditor", "administrator", "security_officer"]
)
def test_every_home_link_opens_for_that_role(client, users, role):
    """The home page never offers a link its own user would be refused."""
    from decroche.core.navigation import destinations_for

    user = users[role]
    client.force_login(user)
    for destination in destinations_for(user):
        assert client.get(destination["url"]).status_code == 200, destination["url"]


def test_audit_log_redirects_anonymous(client):
    response = client.get(reverse("audit-log"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ["team_leader", "client_auditor", "advisor"])
def test_audit_log_refuses_other_roles(client, users, role):
    client.force_login(users[role])
    response = client.get(reverse("audit-log"))
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


def test_audit_log_filters_by_action_prefix_user_and_day(client, users, time_machine):
    cso = users["security_officer"]
    # The trail is append-only: the old entry is written on its day, not backdated.
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, 0, tzinfo=dt.UTC))
    old = log_action("contacts.import.failed", user=users["team_leader"])
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC))
    client.force_login(cso)  # itself logs accounts.login.succeeded for the CSO
    log_action("contacts.import.completed", user=users["team_leader"], data={"rows": 3})

    response = client.get(reverse("audit-log"), {"action": "contacts.import"})
    entries = list(response.context["page_obj"])
    assert {e.action for e in entries} == {"contacts.import.completed", "contacts.import.failed"}

    response = client.get(
        reverse("audit-log"),
        {"action": "contacts", "date_from": "2026-01-10", "date_to": "2026-01-10"},
    )
    assert [e.pk for e in response.context["page_obj"]] == [old.pk]

    response = client.get(reverse("audit-log"), {"username": cso.username})
    assert {e.action for e in response.context["page_obj"]} == {"accounts.login.succeeded"}


def test_audit_log_paginates_by_fifty(client, users):
    client.force_login(users["security_officer"])
    for index in range(60):
        log_action("test.bulk", data={"index": index})
    first = client.get(reverse("audit-log"), {"action": "test.bulk"})
    second = client.get(reverse("audit-log"), {"action": "test.bulk", "page": 2})
    assert len(first.context["page_obj"]) == 50
    assert len(second.context["page_obj"]) == 10
