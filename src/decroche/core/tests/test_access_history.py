"""The CSO's access history page (SPEC §9; issue 12 §4): access events only, filters,
pages of fifty, XLSX export, the chain's state in a banner, and who may open it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from decroche.core.models import AuditEntry
from decroche.core.services import log_action

pytestmark = pytest.mark.django_db

PAGES = ("access-history", "access-history-export")


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_is_sent_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("role", ["advisor", "team_leader", "client_auditor", "trainer"])
def test_other_roles_are_refused(client, users, name, role):
    client.force_login(users[role])
    assert client.get(reverse(name)).status_code == 403


def test_the_page_is_at_comptes_historique():
    assert reverse("access-history") == "/comptes/historique/"


def test_only_access_events_filtered_by_kind_person_and_day(client, users, time_machine):
    cso, leader = users["security_officer"], users["team_leader"]
    time_machine.move_to(dt.datetime(2026, 1, 10, 9, 0, tzinfo=dt.UTC))
    old_read = log_action("quality.evaluation.read", user=leader, data={"id": 3})
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC))
    log_action("accounts.login.succeeded", user=leader)
    log_action("accounts.roles.changed", user=cso, data={"on": "user", "added": ["trainer"]})
    log_action("contacts.import.completed", user=leader, data={"rows": 3})  # not an access
    client.force_login(cso)

    def shown(**query) -> list[str]:
        response = client.get(reverse("access-history"), query)
        assert response.status_code == 200
        return [entry.action for entry in response.context["page_obj"]]

    everything = shown(username="camille")
    assert "contacts.import.completed" not in everything
    assert {"quality.evaluation.read", "accounts.login.succeeded", "accounts.roles.changed"} <= set(
        everything
    )
    assert shown(kind="read") == ["quality.evaluation.read"]
    assert shown(kind="permissions", username=cso.username) == ["accounts.roles.changed"]
    assert shown(kind="sign_in", username=leader.username) == ["accounts.login.succeeded"]
    response = client.get(
        reverse("access-history"), {"date_from": "2026-01-10", "date_to": "2026-01-10"}
    )
    assert [entry.pk for entry in response.context["page_obj"]] == [old_read.pk]
    assert "Historique des accès" in response.content.decode()


def test_pages_of_fifty(client, users):
    for index in range(55):
        log_action("accounts.logout", user=users["advisor"], data={"index": index})
    client.force_login(users["security_officer"])
    query = {"kind": "sign_out"}
    assert len(client.get(reverse("access-history"), query).context["page_obj"]) == 50
    second = client.get(reverse("access-history"), {**query, "page": 2}).context["page_obj"]
    assert len(second) == 5  # 55 sign-outs: 50 on the first page, 5 on the second


def test_the_banner_shows_the_chain_intact_then_the_broken_entry(client, users):
    client.force_login(users["security_officer"])
    response = client.get(reverse("access-history"))
    assert response.context["chain"].intact
    assert "fr-alert--success" in response.content.decode()

    victim = log_action("accounts.login.failed", data={"username": "x"})
    log_action("accounts.logout", user=users["advisor"])
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEntry._meta.db_table} SET username = %s WHERE id = %s",
            ["nobody", victim.pk],
        )
    log_action("accounts.logout", user=users["advisor"])  # moves the head: re-verified
    response = client.get(reverse("access-history"))
    html = response.content.decode()
    assert not response.context["chain"].intact
    assert "fr-alert--error" in html and f"id {victim.pk}" in html


def test_the_export_is_a_workbook_without_formulas_and_is_audited(client, users):
    cso = users["security_officer"]
    log_action("accounts.login.failed", data={"username": '=HYPERLINK("http://x")'})
    client.force_login(cso)
    response = client.get(reverse("access-history-export"), {"kind": "failure"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value]
    details = [cell for cell in cells if "HYPERLINK" in str(cell.value)]
    assert details and all(cell.data_type == "s" for cell in details)
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert "Échecs de connexion et verrouillages" in [cell.value for cell in cells]
    entry = AuditEntry.objects.get(action="core.access_history.exported")
    assert entry.user == cso and entry.data == {"rows": 1, "filters": {"kind": "failure"}}
