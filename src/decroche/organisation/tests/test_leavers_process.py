"""The daily leavers' and long absences' run (SPEC §9; issue 12.5): accounts closed
within 3 working days, rights suspended past 90 days of absence and given back on
return, every action audited, a second run doing nothing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from decroche.core.models import AuditEntry
from decroche.organisation.models import Advisor, LeaverDeactivation, RightsSuspension
from decroche.organisation.review import selectors
from decroche.organisation.review.services import leavers_process, rights_restore

pytestmark = pytest.mark.django_db


def advisor_with_account(make_user, site, login, **dates):
    account = make_user("advisor", username=login.lower())
    return Advisor.objects.create(
        login=login,
        first_name="Inès",
        last_name="Martin",
        site=site,
        joined_on=dt.date(2025, 1, 6),
        user=account,
        **dates,
    )


def test_a_leaver_is_closed_the_day_after_the_last_day_and_once_only(make_user, site):
    leaver = advisor_with_account(make_user, site, "A1", left_on=dt.date(2026, 12, 24))
    assert leavers_process(today=dt.date(2026, 12, 24)).disabled == []  # still their last day
    report = leavers_process(today=dt.date(2026, 12, 28))
    leaver.user.refresh_from_db()
    assert not leaver.user.is_active
    assert [item["login"] for item in report.disabled] == ["A1"]
    assert report.overdue == []
    closure = LeaverDeactivation.objects.get()
    # Thu 24 Dec 2026 → Mon 28 (1), Tue 29 (2), Wed 30 (3): deadline 30 Dec, not late.
    assert (closure.deadline, closure.working_days_late, closure.closed_by) == (
        dt.date(2026, 12, 30),
        0,
        None,
    )
    entry = AuditEntry.objects.get(action="organisation.leaver.disabled")
    assert entry.data["account"] == leaver.user.pk and entry.data["deadline"] == "2026-12-30"
    assert "Martin" not in json.dumps(entry.data)
    # Idempotent: the next run has nothing left to do.
    again = leavers_process(today=dt.date(2026, 12, 29))
    assert (again.disabled, again.suspended, again.restored) == ([], [], [])
    assert LeaverDeactivation.objects.count() == 1


def test_a_leaver_processed_late_is_reported_overdue(make_user, site):
    advisor_with_account(make_user, site, "A1", left_on=dt.date(2026, 12, 4))
    # Deadline Wed 9 Dec; run on Fri 11: Thu 10 and Fri 11 are 2 working days late.
    report = leavers_process(today=dt.date(2026, 12, 11))
    assert [(i["login"], i["working_days_late"]) for i in report.overdue] == [("A1", 2)]
    assert LeaverDeactivation.objects.get().working_days_late == 2
    assert "OVERDUE: A1 left on 2026-12-04, deadline 2026-12-09 passed" in report.as_text()


def test_a_dry_run_changes_nothing(make_user, site):
    leaver = advisor_with_account(make_user, site, "A1", left_on=dt.date(2026, 12, 4))
    report = leavers_process(today=dt.date(2026, 12, 7), dry_run=True)
    leaver.user.refresh_from_db()
    assert leaver.user.is_active and len(report.disabled) == 1
    assert "would be disabled: A1" in report.as_text()
    assert not AuditEntry.objects.filter(action__startswith="organisation.leaver").exists()


def test_rights_are_suspended_from_the_91st_day_and_restored_on_return(make_user, site):
    absent = advisor_with_account(
        make_user, site, "A2", absent_from=dt.date(2027, 1, 1), absent_to=dt.date(2027, 6, 30)
    )
    team_leader = Group.objects.get(name="team_leader")
    absent.user.groups.add(team_leader)
    # 1 Jan + 90 days = 1 Apr 2027, the 91st day (Jan 31 + Feb 28 + Mar 31 = 90).
    assert leavers_process(today=dt.date(2027, 3, 31)).suspended == []
    report = leavers_process(today=dt.date(2027, 4, 1))
    assert [(i["login"], i["days"]) for i in report.suspended] == [("A2", 91)]
    assert absent.user.groups.count() == 0
    suspension = RightsSuspension.objects.get()
    assert sorted(g.name for g in suspension.groups.all()) == ["advisor", "team_leader"]
    entry = AuditEntry.objects.get(action="organisation.absence.rights_suspended")
    assert entry.data["roles"] == ["advisor", "team_leader"]
    assert leavers_process(today=dt.date(2027, 4, 2)).suspended == []  # idempotent
    assert leavers_process(today=dt.date(2027, 6, 30)).restored == []  # still absent
    report = leavers_process(today=dt.date(2027, 7, 1))
    assert [i["login"] for i in report.restored] == ["A2"]
    assert sorted(absent.user.groups.values_list("name", flat=True)) == ["advisor", "team_leader"]
    suspension.refresh_from_db()
    assert suspension.restored_at is not None and suspension.restored_by is None
    assert AuditEntry.objects.filter(action="organisation.absence.rights_restored").count() == 1


def test_an_open_ended_absence_removed_from_the_roster_restores_the_rights(make_user, site):
    absent = advisor_with_account(make_user, site, "A2", absent_from=dt.date(2026, 1, 5))
    leavers_process(today=dt.date(2026, 12, 1))
    assert RightsSuspension.objects.filter(restored_at=None).count() == 1
    Advisor.objects.filter(pk=absent.pk).update(absent_from=None)
    assert len(leavers_process(today=dt.date(2026, 12, 2)).restored) == 1
    assert absent.user.groups.filter(name="advisor").exists()


def test_a_restore_by_hand_is_not_undone_by_the_next_run(make_user, site, users):
    advisor_with_account(make_user, site, "A2", absent_from=dt.date(2026, 1, 5))
    leavers_process(today=dt.date(2026, 12, 1))
    rights_restore(suspension=RightsSuspension.objects.get(), user=users["security_officer"])
    assert leavers_process(today=dt.date(2026, 12, 2)).suspended == []
    assert selectors.absences_pending(today=dt.date(2026, 12, 2)) == []


def test_the_command_prints_json_and_text(make_user, site, capsys):
    advisor_with_account(make_user, site, "A1", left_on=dt.date(2026, 12, 4))
    call_command("process_leavers", "--date", "2026-12-07", "--json", "--dry-run")
    data = json.loads(capsys.readouterr().out)
    assert data["dry_run"] is True and [i["login"] for i in data["disabled"]] == ["A1"]
    call_command("process_leavers", "--date", "2026-12-07")
    out = capsys.readouterr().out
    assert "account disabled: A1 (left on 2026-12-04, deadline 2026-12-09)" in out
    call_command("process_leavers", "--date", "2026-12-08")
    assert "nothing to do." in capsys.readouterr().out
