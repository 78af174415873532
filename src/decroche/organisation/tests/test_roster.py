"""The roster import (docs/formats.md, "Roster"): create, update, unchanged, rejects,
dry-run diff, XLSX date cells, re-import idempotence, accounts, audit without personal data."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from decroche.accounts.models import User
from decroche.core.models import AuditEntry
from decroche.organisation import services
from decroche.organisation.models import Advisor, ContactReason, Site, Team
from decroche.organisation.selectors import advisors_left_with_active_account
from decroche.organisation.services import roster_import, roster_preview

pytestmark = pytest.mark.django_db

HEADER = (
    "site_code;site_name;team_code;team_name;team_leader;login;last_name;first_name;email;"
    "joined_on;left_on;absent_from;absent_to;skills;weekly_hours"
)
ROWS = (
    "grenoble;Grenoble;gre-a;Grenoble A;;A2001;Martin;Inès;ines.martin@example.org;2025-01-06;;;;phone, form;35",
    "grenoble;Grenoble;gre-a;Grenoble A;;A2002;Bernard;Lucas;lucas.bernard@example.org;06/01/2025;;2026-02-02;2026-05-29;phone;28",
    "grenoble;Grenoble;gre-b;Grenoble B;A2001;A2003;Petit;Chloé;chloe.petit@example.org;2024-09-02;2026-11-30;;;phone, opposition-closure;35",
    "lyon;Lyon;lyo-a;Lyon A;;A2004;Durand;Hugo;hugo.durand@example.org;2025-03-03;;;;form;17,5",
)


def write(tmp_path, *rows, name="roster.csv", header=HEADER):
    path = tmp_path / name
    path.write_text("\n".join((header, *rows)) + "\n", encoding="utf-8")
    return path


def snapshot():
    """Everything the roster writes, to prove a second import changes nothing."""
    return (
        list(Site.objects.order_by("code").values()),
        list(Team.objects.order_by("code").values()),
        list(Advisor.objects.order_by("login").values()),
        sorted(Advisor.skills.through.objects.values_list("advisor_id", "contactreason_id")),
        list(
            User.objects.order_by("username").values(
                "username", "email", "first_name", "last_name", "is_active"
            )
        ),
    )


def test_a_roster_creates_sites_teams_advisors_and_their_accounts(tmp_path):
    summary = roster_import(path=write(tmp_path, *ROWS))
    assert (summary.rows, summary.accepted, summary.rejected, summary.duplicates) == (4, 4, 0, 0)
    assert set(Site.objects.values_list("code", "name")) == {
        ("grenoble", "Grenoble"),
        ("lyon", "Lyon"),
    }
    gre_b = Team.objects.get(code="gre-b")
    assert (gre_b.site.code, gre_b.name, gre_b.leader.username) == (
        "grenoble",
        "Grenoble B",
        "A2001",
    )
    lucas = Advisor.objects.get(login="A2002")
    assert lucas.joined_on == dt.date(2025, 1, 6)  # French date format
    assert (lucas.absent_from, lucas.absent_to) == (dt.date(2026, 2, 2), dt.date(2026, 5, 29))
    assert (lucas.handles_phone, lucas.handles_forms, lucas.weekly_hours) == (
        True,
        False,
        Decimal("28"),
    )
    chloe = Advisor.objects.get(login="A2003")
    assert chloe.left_on == dt.date(2026, 11, 30)
    assert list(chloe.skills.values_list("code", flat=True)) == ["opposition-closure"]
    hugo = Advisor.objects.get(login="A2004")
    assert (hugo.handles_phone, hugo.handles_forms, hugo.weekly_hours) == (
        False,
        True,
        Decimal("17.5"),
    )
    account = hugo.user
    assert (account.username, account.email, account.first_name) == (
        "A2004",
        "hugo.durand@example.org",
        "Hugo",
    )
    assert not account.has_usable_password() and account.must_change_password
    assert account.role_codes == ["advisor"]


def test_the_same_roster_twice_changes_nothing_the_second_time(tmp_path):
    path = write(tmp_path, *ROWS)
    roster_import(path=path)
    before = snapshot()
    summary = roster_import(path=path)
    assert (summary.rows, summary.accepted, summary.rejected, summary.duplicates) == (4, 0, 0, 4)
    assert snapshot() == before


def test_changes_show_old_and_new_values_then_apply(tmp_path):
    roster_import(path=write(tmp_path, *ROWS))
    changed = (
        ROWS[0],
        ROWS[1].replace(";28", ";30"),  # hours
        ROWS[2].replace("Grenoble B;A2001", "Grenoble Sud;A2001"),  # team renamed
        ROWS[3].replace("Hugo;hugo.durand", "Hugues;hugues.durand"),  # name and e-mail
    )
    path = write(tmp_path, *changed, name="v2.csv")
    diff = roster_preview(path=path).as_dict()
    by_line = {row["line"]: row for row in diff["advisors"]}
    assert by_line[3]["changes"] == {"weekly_hours": {"old": "28", "new": "30"}}
    assert by_line[5]["changes"] == {
        "first_name": {"old": "Hugo", "new": "Hugues"},
        "email": {"old": "hugo.durand@example.org", "new": "hugues.durand@example.org"},
    }
    assert by_line[5]["account"] == "sync"
    # The row renaming the team carries the change, so it is not counted as a duplicate.
    assert by_line[4]["action"] == "changed" and "changes" not in by_line[4]
    assert diff["teams"] == [
        {
            "code": "gre-b",
            "action": "changed",
            "line": 4,
            "changes": {"name": {"old": "Grenoble B", "new": "Grenoble Sud"}},
        }
    ]
    assert (diff["accepted"], diff["duplicates"]) == (3, 1)
    summary = roster_import(path=path)
    assert (summary.accepted, summary.duplicates) == (3, 1)
    assert Advisor.objects.get(login="A2002").weekly_hours == Decimal("30")
    assert Team.objects.get(code="gre-b").name == "Grenoble Sud"
    assert User.objects.get(username="A2004").email == "hugues.durand@example.org"


def test_a_dry_run_writes_nothing_and_prints_the_diff(tmp_path):
    path = write(tmp_path, *ROWS)
    out = io.StringIO()
    call_command("import", "roster", str(path), "--dry-run", stdout=out)
    text = out.getvalue()
    assert "4 rows — 4 to create, 0 to change, 0 unchanged, 0 rejected" in text
    assert "Team gre-b: create (site='grenoble', name='Grenoble B', leader='A2001')" in text
    assert "line 2 A2001: create (+ account)" in text
    assert (Site.objects.count(), Advisor.objects.count(), User.objects.count()) == (0, 0, 0)
    assert not AuditEntry.objects.filter(action="organisation.roster.imported").exists()
    out = io.StringIO()
    call_command("import", "roster", str(path), "--dry-run", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["rows"], data["accepted"], data["rejected"], data["duplicates"]) == (4, 4, 0, 0)
    assert [row["action"] for row in data["advisors"]] == ["created"] * 4


def test_the_command_prints_the_same_summary_object_as_the_contact_imports(tmp_path):
    out = io.StringIO()
    call_command("import", "roster", str(write(tmp_path, *ROWS)), "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert {key: data[key] for key in ("kind", "rows", "accepted", "rejected", "duplicates")} == {
        "kind": "roster",
        "rows": 4,
        "accepted": 4,
        "rejected": 0,
        "duplicates": 0,
    }


def test_dry_run_is_refused_for_a_kind_without_preview(tmp_path):
    with pytest.raises(CommandError, match="--dry-run is not available for calls"):
        call_command("import", "calls", str(write(tmp_path, *ROWS)), "--dry-run")


BAD_ROWS = (
    # In file order from line 2: (row, field at fault or "" when accepted, words of the reason)
    ("grenoble;Grenoble;;;;A3001;Roux;Léa;lea.roux@;2025-01-06;;;;phone;35", "email", "e-mail"),
    (
        "grenoble;Grenoble;;;;A3002;Roux;Léo;leo.roux@example.org;2025-13-01;;;;phone;35",
        "joined_on",
        "not a date",
    ),
    (
        "grenoble;Grenoble;;;;A3003;Roux;Lou;lou.roux@example.org;2025-01-06;2024-12-31;;;phone;35",
        "left_on",
        "before joining",
    ),
    (
        "grenoble;Grenoble;;;;A3004;Roux;Luc;luc.roux@example.org;2025-01-06;;;;phone;49",
        "weekly_hours",
        "outside 1–48",
    ),
    (
        "grenoble;Grenoble;;;;A3005;Roux;Lia;lia.roux@example.org;2025-01-06;;;;phone;0",
        "weekly_hours",
        "outside 1–48",
    ),
    (
        "grenoble;Grenoble;;;;A3001;Roux;Léna;lena.roux@example.org;2025-01-06;;;;phone;35",
        "",
        "",
    ),  # line 7
    (
        "grenoble;Grenoble;;;;A3007;Roux;Noé;noe.roux@example.org;2025-01-06;;;;phone, teleportation;35",
        "skills",
        "unknown skill 'teleportation'",
    ),
    (
        "grenoble;Grenoble;;;;A3001;Roux;Lina;lina.roux@example.org;2025-01-06;;;;phone;35",
        "login",
        "already on line 7",
    ),
    (
        "nantes;;;;;A3009;Roux;Tom;tom.roux@example.org;2025-01-06;;;;phone;35",
        "site_code",
        "unknown site nantes",
    ),
    (
        "grenoble;Grenoble;gre-a;Grenoble A;;A3011;Roux;Eva;eva.roux@example.org;2025-01-06;;;;phone;35",
        "",
        "",
    ),  # line 11
    (
        "grenoble;Grenoble;gre-a;Autre nom;;A3010;Roux;Zoé;zoe.roux@example.org;2025-01-06;;;;phone;35",
        "team_name",
        "on line 11",
    ),
    (
        "grenoble;Grenoble;gre-c;Grenoble C;Z9999;A3012;Roux;Max;max.roux@example.org;2025-01-06;;;;phone;35",
        "team_leader",
        "unknown login Z9999",
    ),
    (
        "grenoble;Grenoble;;;;A3013;Roux;Ana;eva.roux@example.org;2025-01-06;;;;phone;35",
        "email",
        "already on line 11",
    ),
    (
        "grenoble;Grenoble;;;;admin;Roux;Ali;ali.roux@example.org;2025-01-06;;;;phone;35",
        "login",
        "generic",
    ),
    (
        "grenoble;Grenoble;;;;A3015;Roux;Ada;ada.roux@example.org;2025-01-06;;2025-03-01;2025-02-01;phone;35",
        "absent_to",
        "before it starts",
    ),
    (
        "grenoble;Grenoble;;;;A3016;Roux;Ivy;accueil@example.org;2025-01-06;;;;phone;35",
        "email",
        "shared mailbox",
    ),
    (
        "grenoble;Grenoble;;;;A3017;Roux;Kim;kim.roux@example.org;2025-01-06;;;;phone;trente",
        "weekly_hours",
        "not a number",
    ),
)


def test_bad_rows_are_rejected_with_line_field_and_reason(tmp_path):
    path = write(tmp_path, *(row for row, _field, _words in BAD_ROWS))
    diff = roster_preview(path=path)
    rejected = {r.line: r for r in diff.rejections()}
    for line, (_row, field, words) in enumerate(BAD_ROWS, start=2):
        if not field:
            assert line not in rejected, rejected.get(line)
            continue
        assert rejected[line].field == field, (line, rejected[line])
        assert words in rejected[line].reason, (line, rejected[line].reason)
    # 17 rows: lines 7 and 11 accepted, the 15 others rejected.
    assert (diff.rows, diff.accepted, diff.rejected, diff.duplicates) == (17, 2, 15, 0)
    summary = roster_import(path=path, rejects_path=tmp_path / "rejects.csv")
    assert (summary.rows, summary.accepted, summary.rejected, summary.duplicates) == (17, 2, 15, 0)
    rejects = (tmp_path / "rejects.csv").read_text(encoding="utf-8").splitlines()
    assert rejects[0] == "line,field,reason,raw" and len(rejects) == 1 + 15
    assert rejects[1].startswith("2,email,")
    assert set(Advisor.objects.values_list("login", flat=True)) == {"A3001", "A3011"}


def test_an_advisor_missing_from_the_file_is_reported_and_kept(tmp_path):
    roster_import(path=write(tmp_path, *ROWS))
    diff = roster_preview(path=write(tmp_path, *ROWS[1:], name="without-ines.csv"))
    assert diff.absent == [("A2001", "grenoble")]
    assert "absent from file: A2001 (site grenoble)" in diff.as_text()
    roster_import(path=write(tmp_path, *ROWS[1:], name="without-ines.csv"))
    assert Advisor.objects.filter(login="A2001").exists()


def test_an_xlsx_roster_with_real_date_cells(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(";"))
    sheet.append(
        [
            "grenoble",
            "Grenoble",
            "gre-a",
            "Grenoble A",
            None,
            "A4001",
            "Martin",
            "Inès",
            "ines.martin@example.org",
            dt.date(2025, 1, 6),
            None,
            dt.datetime(2026, 2, 2),
            None,
            "phone",
            35,
        ]
    )
    sheet.append(
        [
            "grenoble",
            "Grenoble",
            "gre-a",
            "Grenoble A",
            None,
            "A4002",
            "Morel",
            "Paul",
            "paul.morel@example.org",
            "06/01/2025",
            None,
            None,
            None,
            "form",
            17.5,
        ]
    )
    path = tmp_path / "roster.xlsx"
    workbook.save(path)
    summary = roster_import(path=path)
    assert (summary.rows, summary.accepted, summary.rejected) == (2, 2, 0)
    ines = Advisor.objects.get(login="A4001")
    assert (ines.joined_on, ines.absent_from, ines.absent_to) == (
        dt.date(2025, 1, 6),
        dt.date(2026, 2, 2),
        None,
    )
    assert Advisor.objects.get(login="A4002").weekly_hours == Decimal("17.5")
    assert roster_import(path=path).duplicates == 2


def test_the_example_hr_export_read_through_its_mapping_is_the_example_roster():
    examples = Path(__file__).resolve().parents[4] / "examples"
    roster_import(path=examples / "roster" / "roster.csv")
    summary = roster_import(
        path=examples / "roster" / "hr-export.csv",
        mapping_path=examples / "mappings" / "hr-roster.toml",
    )
    assert (summary.rows, summary.accepted, summary.rejected, summary.duplicates) == (4, 0, 0, 4)


def test_columns_the_file_does_not_have_keep_their_stored_values(tmp_path, site):
    reason = ContactReason.objects.get(code="opposition-closure")
    advisor = Advisor.objects.create(
        login="A5001",
        first_name="Inès",
        last_name="Martin",
        email="ines.martin@example.org",
        site=site,
        joined_on=dt.date(2025, 1, 6),
        left_on=dt.date(2026, 6, 30),
        weekly_hours=Decimal("35"),
    )
    advisor.skills.add(reason)
    path = write(
        tmp_path,
        "grenoble;A5001;Martin;Inès;ines.martin@example.org;2025-01-06",
        header="site_code;login;last_name;first_name;email;joined_on",
    )
    diff = roster_preview(path=path)
    assert diff.outcomes[0].changes == {}
    assert diff.outcomes[0].account == "create"  # the advisor had no account yet
    roster_import(path=path)
    advisor.refresh_from_db()
    assert (advisor.left_on, advisor.weekly_hours) == (dt.date(2026, 6, 30), Decimal("35"))
    assert list(advisor.skills.all()) == [reason]
    assert advisor.user.username == "A5001"


def test_an_existing_account_of_the_same_login_is_linked_not_duplicated(tmp_path, make_user):
    existing = make_user("advisor", username="A2001")
    path = write(tmp_path, ROWS[0].replace("ines.martin@example.org", "a2001@example.org"))
    assert roster_preview(path=path).outcomes[0].account == "link"
    roster_import(path=path)
    assert Advisor.objects.get(login="A2001").user == existing
    assert User.objects.filter(username="A2001").count() == 1


def test_an_e_mail_of_another_account_is_rejected(tmp_path, make_user):
    make_user("workforce_planner", username="camille.planner")  # e-mail camille.planner@example.org
    path = write(
        tmp_path, ROWS[0].replace("ines.martin@example.org", "Camille.Planner@example.org")
    )
    outcome = roster_preview(path=path).outcomes[0]
    assert (outcome.action, outcome.field, outcome.reason) == (
        "rejected",
        "email",
        "already the e-mail of another account",
    )


def test_a_leader_whose_own_row_is_rejected_rejects_the_team_row_too(tmp_path):
    rows = (
        ROWS[2],  # team gre-b led by A2001 ...
        ROWS[0].replace("2025-01-06;;", "2025-01-06;2024-01-01;"),  # ... whose row is rejected
    )
    diff = roster_preview(path=write(tmp_path, *rows))
    assert [(o.line, o.field) for o in diff.outcomes] == [(2, "team_leader"), (3, "left_on")]
    assert diff.rejected == 2


def test_a_site_manager_imports_only_the_rows_of_their_sites(tmp_path):
    diff = roster_preview(path=write(tmp_path, *ROWS), allowed_sites=frozenset({"lyon"}))
    assert [(o.line, o.action) for o in diff.outcomes] == [
        (2, "rejected"),
        (3, "rejected"),
        (4, "rejected"),
        (5, "created"),
    ]
    assert diff.outcomes[0].reason == "site grenoble is outside your scope"


def test_the_audit_entry_has_counts_and_ids_but_no_personal_data(tmp_path):
    summary = roster_import(path=write(tmp_path, *ROWS))
    entry = AuditEntry.objects.get(action="organisation.roster.imported")
    assert summary.batch_id == entry.pk
    assert (entry.data["rows"], entry.data["accepted"], entry.data["rejected"]) == (4, 4, 0)
    assert sorted(entry.data["advisors_created"]) == sorted(
        Advisor.objects.values_list("id", flat=True)
    )
    assert len(entry.data["accounts_created"]) == 4
    text = json.dumps(entry.data)
    for personal in ("A2001", "Martin", "Inès", "ines.martin", "example.org"):
        assert personal not in text


def test_leaving_dates_from_the_roster_name_the_accounts_to_deactivate(tmp_path):
    roster_import(path=write(tmp_path, *ROWS))  # A2003 leaves on 2026-11-30
    leavers = advisors_left_with_active_account(on=dt.date(2026, 11, 30))
    assert [advisor.login for advisor in leavers] == ["A2003"]
    assert not advisors_left_with_active_account(on=dt.date(2026, 11, 29)).exists()
    User.objects.filter(username="A2003").update(is_active=False)
    assert not advisors_left_with_active_account(on=dt.date(2026, 12, 1)).exists()


def test_an_advisor_who_has_already_left_is_not_reported_absent_from_the_file(tmp_path):
    roster_import(path=write(tmp_path, *ROWS))  # A2003 leaves on 2026-11-30 (Paris)
    without_chloe = write(tmp_path, ROWS[0], ROWS[1], ROWS[3], name="without-chloe.csv")
    # 23:30 UTC on 29 November is 00:30 on 30 November in Paris: she has left.
    with time_machine.travel(dt.datetime(2026, 11, 29, 23, 30, tzinfo=dt.UTC), tick=False):
        assert roster_preview(path=without_chloe).absent == []
    with time_machine.travel(dt.datetime(2026, 11, 29, 22, 30, tzinfo=dt.UTC), tick=False):
        assert roster_preview(path=without_chloe).absent == [("A2003", "grenoble")]


def test_a_failure_while_applying_writes_nothing_at_all(tmp_path, monkeypatch):
    created = []

    def failing_create(**kwargs):
        if len(created) == 2:
            raise RuntimeError("mail server down")
        created.append(kwargs["username"])
        return real_create(**kwargs)

    real_create = services.user_nominative_create
    monkeypatch.setattr(services, "user_nominative_create", failing_create)
    with pytest.raises(RuntimeError):
        roster_import(path=write(tmp_path, *ROWS))
    assert created == ["A2001", "A2002"]  # two accounts were written, then rolled back
    assert (
        Site.objects.count(),
        Team.objects.count(),
        Advisor.objects.count(),
        User.objects.count(),
    ) == (0, 0, 0, 0)
    assert not AuditEntry.objects.filter(action="organisation.roster.imported").exists()


def test_teams_are_not_moved_between_sites_and_a_site_move_needs_a_team(tmp_path):
    roster_import(path=write(tmp_path, *ROWS))
    moved_team = ROWS[3].replace("lyon;Lyon;lyo-a;Lyon A", "grenoble;Grenoble;lyo-a;Lyon A")
    moved_advisor = "lyon;Lyon;A2001;Martin;Inès;ines.martin@example.org;2025-01-06"
    diff = roster_preview(path=write(tmp_path, moved_team, name="team.csv"))
    assert (diff.outcomes[0].field, diff.outcomes[0].reason) == (
        "team_code",
        "team lyo-a is on site lyon; a team is not moved between sites by the roster",
    )
    header = "site_code;site_name;login;last_name;first_name;email;joined_on"
    diff = roster_preview(path=write(tmp_path, moved_advisor, name="advisor.csv", header=header))
    assert diff.outcomes[0].field == "site_code"
    assert "stays in team gre-a of site grenoble" in diff.outcomes[0].reason


def test_roster_rejects_keep_names_and_e_mails_masked(tmp_path):
    """Issue 17.12: the rejects file holds no name nor e-mail address in clear."""
    bad = "grenoble;Grenoble;gre-a;Grenoble A;;A2009;Martin;Inès;ines.martin@example.org;pas une date;;;;phone;35"
    summary = roster_import(path=write(tmp_path, bad), rejects_path=tmp_path / "rejects.csv")
    assert summary.rejected == 1
    text = (tmp_path / "rejects.csv").read_text(encoding="utf-8")
    assert "Martin" not in text and "Inès" not in text and "ines.martin" not in text
    assert "grenoble;Grenoble;gre-a;Grenoble A;;A2009;***;***;***;pas une date" in text
