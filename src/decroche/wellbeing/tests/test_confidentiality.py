"""Encryption at rest and who sees what (issue 14 §4; SPEC §9)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from decroche.core.models import AuditEntry
from decroche.wellbeing import selectors, services
from decroche.wellbeing.models import FollowUp, IncidentReport, Victim

from .conftest import HEALTH_NOTE, VICTIM_NOTE, debriefs_make


def test_health_notes_are_not_in_clear_in_the_database(report):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT health_note FROM wellbeing_incidentreport WHERE id = %s", [report.pk]
        )
        (raw_report,) = cursor.fetchone()
        cursor.execute("SELECT health_note FROM wellbeing_victim WHERE report_id = %s", [report.pk])
        (raw_victim,) = cursor.fetchone()
    for raw in (raw_report, raw_victim):
        assert raw.startswith("gAAAA")  # a Fernet token
        assert "angoisse" not in raw and "sommeil" not in raw
    assert IncidentReport.objects.get(pk=report.pk).health_note == HEALTH_NOTE
    assert Victim.objects.get(report=report).health_note == VICTIM_NOTE


def test_the_audit_trail_holds_no_text_of_the_report(report):
    entries = AuditEntry.objects.filter(action__startswith="wellbeing.")
    dumped = " ".join(str(entry.data) for entry in entries)
    assert entries.exists()
    assert "angoisse" not in dumped and "incapables" not in dumped and "menacée" not in dumped


def test_a_report_opens_its_follow_ups_and_check_ins(report):
    # Monday 12 January 2026, severity 3: physician informed within 2 working days (Wed 14).
    kinds = dict(FollowUp.objects.filter(report=report).values_list("kind", "due_on"))
    assert kinds["manager_informed"] == dt.date(2026, 1, 12)
    assert kinds["physician_informed"] == dt.date(2026, 1, 14)
    assert "work_accident" not in kinds  # nobody hurt
    assert report.victims.get().check_ins.count() == 4


# Roles × what they see of the report: (sees the report, its report-level health note,
# the victim's health note, the individual debrief, the team's feedback session, the
# referrals: "all", "consented" (only those the agent agreed to) or "none").
MATRIX = {
    "advisor": (True, False, True, True, False, "all"),  # the victim: their own note
    "team_leader": (True, False, False, True, True, "all"),  # leads g1: facts and actions
    "occupational_health": (True, True, True, True, True, "consented"),
    "prevention_officer": (True, False, False, True, True, "none"),
    "site_manager": (False, False, False, False, False, "none"),  # statistics only
    "staff_representative": (False, False, False, False, False, "none"),
    "client_auditor": (False, False, False, False, False, "none"),
    "workforce_planner": (False, False, False, False, False, "none"),
    "quality_analyst": (False, False, False, False, False, "none"),
    # Every permission, but no health note; leads no team, so no referral.
    "administrator": (True, False, False, True, True, "none"),
}


@pytest.mark.parametrize("role", sorted(MATRIX))
def test_matrix_of_roles_and_fields(role, report, users):
    user = users[role]
    victim = report.victims.get()
    individual, session = debriefs_make(report, users)
    consented = services.record_referral(
        user=users["team_leader"], victim=victim, to="psychologist", consent=True
    )
    declined = services.record_referral(
        user=users["team_leader"], victim=victim, to="support_unit", consent=False
    )
    sees, report_note, victim_note, sees_individual, sees_session, referrals = MATRIX[role]
    assert selectors.reports_visible_to(user).filter(pk=report.pk).exists() is sees
    assert selectors.may_see_health_note(user, report) is report_note
    assert selectors.may_see_victim_health_note(user, victim) is victim_note
    debriefs = set(selectors.debriefs_visible_to(user, report))
    assert (individual in debriefs, session in debriefs) == (sees_individual, sees_session)
    expected = {"all": {consented, declined}, "consented": {consented}, "none": set()}
    assert set(selectors.referrals_visible_to(user, victim)) == expected[referrals]
    if not sees:
        with pytest.raises(PermissionDenied):
            services.read_report(user=user, report=report)


def test_leader_of_another_team_sees_nothing(report, incident_world):
    other = incident_world["other_leader"]
    assert not selectors.reports_visible_to(other).exists()
    assert not selectors.team_reports(other).exists()


def test_every_read_is_logged_and_the_agent_sees_who_read(report, users):
    services.read_report(user=users["team_leader"], report=report)
    services.read_report(user=users["occupational_health"], report=report)
    readers = [entry.username for entry in selectors.readers_of(report)]
    assert sorted(readers) == sorted(
        [users["team_leader"].username, users["occupational_health"].username]
    )
