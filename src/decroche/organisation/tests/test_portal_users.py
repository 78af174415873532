"""The support portal's user list (SPEC §9: last name, first name, unique e-mail; new
users and leavers since the last export), its exports recorded and audited."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from decroche.core.models import AuditEntry
from decroche.organisation.models import Advisor, PortalUserExport
from decroche.organisation.review.portal import portal_users, portal_users_export
from decroche.organisation.review.services import leavers_process

pytestmark = pytest.mark.django_db


def with_account(make_user, site, login, last_name="Martin", **dates):
    account = make_user("advisor", username=login.lower())
    account.first_name, account.last_name = "Inès", last_name
    account.save()
    return Advisor.objects.create(
        login=login,
        first_name="Inès",
        last_name=last_name,
        site=site,
        joined_on=dt.date(2025, 1, 6),
        user=account,
        **dates,
    )


def rows_of(content: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content)))[1:]


def test_who_is_on_the_list(users, make_user, site):
    advisor = with_account(make_user, site, "A1")
    listed = set(portal_users())
    # Advisors and team leaders handle or supervise contacts; the others do not.
    assert {advisor.user, users["advisor"], users["team_leader"]} <= listed
    assert users["security_officer"] not in listed and users["administrator"] not in listed


def test_the_first_export_lists_everyone_as_added_then_only_the_changes(make_user, site):
    ines = with_account(make_user, site, "A1", left_on=dt.date(2026, 12, 4))
    hugo = with_account(make_user, site, "A2", last_name="Durand")
    content, name, _type, first = portal_users_export(file_format="csv")
    assert name.endswith(".csv")
    assert rows_of(content) == [
        ["Durand", "Inès", "a2@example.org", "ajouté"],
        ["Martin", "Inès", "a1@example.org", "ajouté"],
    ]
    assert (first.added, first.removed) == (2, 0)
    # A leaver's account is closed; a new advisor arrives.
    leavers_process(today=dt.date(2026, 12, 7))
    with_account(make_user, site, "A3", last_name="Petit")
    content, _name, _type, second = portal_users_export(since_last=True, file_format="csv")
    assert rows_of(content) == [
        ["Petit", "Inès", "a3@example.org", "ajouté"],
        ["Martin", "Inès", "a1@example.org", "retiré"],
    ]
    assert (second.added, second.removed) == (1, 1)
    assert sorted(second.user_ids) == sorted(
        [hugo.user_id, Advisor.objects.get(login="A3").user_id]
    )
    assert ines.user_id not in second.user_ids
    # The full list keeps everyone current, with the changes marked, and the removed.
    content, _name, _type, third = portal_users_export(file_format="csv")
    assert rows_of(content) == [
        ["Durand", "Inès", "a2@example.org", ""],
        ["Petit", "Inès", "a3@example.org", ""],
    ]
    entries = AuditEntry.objects.filter(action="organisation.portal_users.exported")
    assert [e.data["rows"] for e in entries.order_by("pk")] == [2, 2, 2]
    assert entries.order_by("pk").last().data["previous"] == second.pk
    assert "a1@example.org" not in str([e.data for e in entries])


def test_a_long_absence_removes_the_person_until_their_return(make_user, site):
    with_account(make_user, site, "A1", absent_from=dt.date(2026, 1, 5))
    portal_users_export(file_format="csv")
    leavers_process(today=dt.date(2026, 12, 1))
    content, *_rest = portal_users_export(since_last=True, file_format="csv")
    assert rows_of(content) == [["Martin", "Inès", "a1@example.org", "retiré"]]


def test_the_command_writes_xlsx_and_csv(make_user, site, tmp_path, capsys):
    with_account(make_user, site, "A1")
    target = tmp_path / "portail.xlsx"
    call_command("portal_users", "--format", "xlsx", "--output", str(target))
    sheet = load_workbook(target).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == ["Nom", "Prénom", "Courriel", "Changement depuis le dernier export"]
    assert ["Martin", "Inès", "a1@example.org", "ajouté"] in values
    assert "1 added and 0 removed" in capsys.readouterr().out
    target = tmp_path / "changes.csv"
    call_command("portal_users", "--since-last", "--output", str(target))
    assert rows_of(target.read_text(encoding="utf-8")) == []
    assert PortalUserExport.objects.count() == 2
