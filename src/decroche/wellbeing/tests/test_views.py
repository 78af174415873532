"""Pages: the report in a few fields, the day-0-to-day-30 path, "not allowed" for each
view and export (issue 14 §7), and the read audited."""

import datetime as dt
import io

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from decroche.core.models import AuditEntry
from decroche.wellbeing.models import CheckIn, IncidentReport

from .conftest import HEALTH_NOTE, VICTIM_NOTE

PAGES = {
    "incident-report": ("wellbeing.report_incident", "site_manager"),
    "incident-mine": ("wellbeing.report_incident", "advisor"),
    "incident-team": ("wellbeing.view_team_incidents", "team_leader"),
    "incident-toolbox": ("wellbeing.view_team_incidents", "team_leader"),
    "incident-health": ("wellbeing.view_health_notes", "occupational_health"),
    "incident-statistics": ("wellbeing.view_incident_statistics", "staff_representative"),
    "incident-statistics-export": ("wellbeing.view_incident_statistics", "client_auditor"),
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_pages_open_for_their_role_and_refuse_others(client, users, name, incident_world):
    url = reverse(name)
    assert client.get(url).status_code == 302  # anonymous: to the sign-in page
    client.force_login(users["workforce_planner"])
    assert client.get(url).status_code == 403
    client.force_login(users[PAGES[name][1]])
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "role", ["staff_representative", "client_auditor", "site_manager", "prevention_officer"]
)
def test_statistics_roles_get_no_team_or_health_page(client, users, role, incident_world):
    client.force_login(users[role])
    names = (
        ("incident-health",)
        if role == "prevention_officer"
        else ("incident-team", "incident-health", "incident-toolbox")
    )
    for name in names:
        assert client.get(reverse(name)).status_code == 403


def test_the_administrator_gets_no_health_page(client, users):
    client.force_login(users["administrator"])
    assert client.get(reverse("incident-health")).status_code == 403


def test_an_advisor_reports_in_a_few_fields(client, users, incident_world):
    client.force_login(users["advisor"])
    response = client.post(
        reverse("incident-report"),
        {
            "occurred_at": "2026-01-12T10:15",
            "site": incident_world["grenoble"].pk,
            "place": "phone",
            "types": ["verbal"],
            "severity": "2",
            "description": "« Vous êtes nuls »",
            "victims": [incident_world["ines"].pk],
        },
    )
    report = IncidentReport.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "incident-detail", args=[report.pk]
    )
    assert report.victims.get().advisor == incident_world["ines"]
    assert report.reported_by == users["advisor"]


def test_detail_fields_by_role_and_reads_audited(client, users, report, incident_world):
    url = reverse("incident-detail", args=[report.pk])
    client.force_login(users["team_leader"])
    page = client.get(url).content.decode()
    assert "incapables" in page and HEALTH_NOTE not in page and VICTIM_NOTE not in page
    client.force_login(users["occupational_health"])
    page = client.get(url).content.decode()
    assert HEALTH_NOTE in page and VICTIM_NOTE in page
    client.force_login(users["advisor"])  # the victim: their note, and who read their file
    page = client.get(url).content.decode()
    assert VICTIM_NOTE in page and HEALTH_NOTE not in page
    assert users["team_leader"].username in page and users["occupational_health"].username in page
    assert (
        AuditEntry.objects.filter(action="wellbeing.report.read", data__report=report.pk).count()
        == 3
    )
    for role in ("workforce_planner", "client_auditor", "site_manager", "staff_representative"):
        client.force_login(users[role])
        assert client.get(url).status_code == 403
    client.force_login(incident_world["other_leader"])
    assert client.get(url).status_code == 403


def test_the_manager_runs_the_day_0_to_day_30_path(client, users, report):
    client.force_login(users["team_leader"])
    with time_machine.travel(dt.datetime(2026, 1, 14, 9, 0, tzinfo=dt.UTC), tick=False):
        page = client.get(reverse("incident-team")).content.decode()
        assert "Jour 0" in page  # the day-0 check-in is due and not held
    for check_in in CheckIn.objects.filter(victim__report=report):
        response = client.post(
            reverse("incident-check-in", args=[check_in.pk]),
            {"signs": ["sleep", "avoidance"] if check_in.kind == "day_30" else []},
        )
        assert response.status_code == 302
    day_30 = CheckIn.objects.get(victim__report=report, kind="day_30")
    assert day_30.done_on and day_30.referral_proposed
    follow_up = report.follow_ups.get(kind="closure")
    client.post(reverse("incident-follow-up-done", args=[follow_up.pk]))
    report.refresh_from_db()
    assert report.closed_on is not None


def test_writes_refused_outside_scope(client, users, report, incident_world):
    check_in = CheckIn.objects.filter(victim__report=report).first()
    follow_up = report.follow_ups.first()
    for user in (incident_world["other_leader"], users["advisor"], users["client_auditor"]):
        client.force_login(user)
        assert client.post(reverse("incident-check-in", args=[check_in.pk])).status_code == 403
        assert (
            client.post(reverse("incident-follow-up-done", args=[follow_up.pk])).status_code == 403
        )


def test_statistics_xlsx_has_no_names_and_suppresses_small_cells(client, users, report):
    client.force_login(users["staff_representative"])
    response = client.get(reverse("incident-statistics-export") + "?period=2026-01")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = [str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row]
    text = " ".join(cells)
    assert "< 5" in text
    assert "Martin" not in text and "incapables" not in text


def test_the_agent_decides_whether_the_manager_reads_the_statement(client, users, report):
    victim = report.victims.get()
    url = reverse("incident-share", args=[victim.pk])
    client.force_login(users["team_leader"])
    assert client.post(url, {"shares": "0"}).status_code == 403  # only the agent decides
    client.force_login(users["advisor"])
    assert client.post(url, {"shares": "0"}).status_code == 302
    client.force_login(users["team_leader"])
    page = client.get(reverse("incident-detail", args=[report.pk])).content.decode()
    assert "Il m’a menacée" not in page and "Il m&#x27;a menacée" not in page
    client.logout()
    assert client.post(url, {"shares": "1"}).status_code == 302  # anonymous: sign-in
    victim.refresh_from_db()
    assert victim.shares_with_manager is False


def test_load_signs_per_team(users, report, incident_world):
    from decroche.wellbeing import selectors, services

    services.report_incident(
        user=users["advisor"],
        occurred_at=dt.datetime(2026, 1, 20, 9, tzinfo=dt.UTC),
        site=incident_world["grenoble"],
        place="phone",
        description="Insultes",
        types=["verbal"],
        severity=2,
        victims=[incident_world["ines"]],
    )
    # Team g1 on 1 February 2026: 2 events of A1001 since 2 January; the world holds 3
    # calls of A1001 (12 January): 2 × 10,000 / 3 = 6,666.67 per 10,000 calls.
    (sign,) = selectors.load_signs(users["team_leader"], dt.date(2026, 2, 1))
    assert sign["team"] == incident_world["g1"]
    assert sign["events"] == 2 and sign["repeated_agents"] == 1
    assert sign["per_10000_calls"] == 6666.67
    assert (
        selectors.load_signs(incident_world["other_leader"], dt.date(2026, 2, 1))[0]["events"] == 0
    )


def test_the_report_form_takes_the_statement_a_witness_and_the_reason(
    client, users, incident_world
):
    from decroche.organisation.models import ContactReason

    reason = ContactReason.objects.get(code="opposition-closure")
    client.force_login(users["advisor"])
    client.post(
        reverse("incident-report"),
        {
            "occurred_at": "2026-01-12T10:15",
            "site": incident_world["grenoble"].pk,
            "place": "front_desk_walk_in",
            "types": ["threat"],
            "severity": "3",
            "description": "« Je vous attends dehors »",
            "victims": [incident_world["ines"].pk],
            "statement": "Il s’est penché au-dessus du guichet.",
            "reason": reason.pk,
            "witness_name": "Agent de sécurité",
            "witness_statement": "J’ai raccompagné l’usager.",
        },
    )
    report = IncidentReport.objects.get()
    assert report.reason == reason
    assert report.victims.get().statement == "Il s’est penché au-dessus du guichet."
    witness = report.witnesses.get()
    assert witness.name == "Agent de sécurité" and witness.advisor is None
    page = client.get(reverse("incident-detail", args=[report.pk])).content.decode()
    assert "Témoins" in page and "raccompagné" in page
