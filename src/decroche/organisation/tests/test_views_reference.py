"""Reference-data pages that replace the admin (issue 18 point 10; SPEC §9 rights by need):
each role reads its scope, changes what its role allows within it, every change audited,
and records are deactivated, never deleted."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from decroche.core.models import AuditEntry
from decroche.organisation.models import Advisor, ContactReason, Site, Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_sites(users):
    """Grenoble managed by the site manager, with a team led by the team leader; Lyon apart."""
    grenoble = Site.objects.create(code="grenoble", name="Grenoble")
    lyon = Site.objects.create(code="lyon", name="Lyon")
    grenoble.managers.add(users["site_manager"])
    g_team = Team.objects.create(
        site=grenoble, code="g1", name="Alpes", leader=users["team_leader"]
    )
    l_team = Team.objects.create(site=lyon, code="l1", name="Rhône")
    g_advisor = Advisor.objects.create(
        login="G1", first_name="Inès", last_name="Martin", site=grenoble, team=g_team,
        joined_on=dt.date(2025, 1, 6),
    )  # fmt: skip
    l_advisor = Advisor.objects.create(
        login="L1", first_name="Paul", last_name="Durand", site=lyon, team=l_team,
        joined_on=dt.date(2025, 1, 6),
    )  # fmt: skip
    return {"grenoble": grenoble, "lyon": lyon, "g_team": g_team, "l_team": l_team,
            "g_advisor": g_advisor, "l_advisor": l_advisor}  # fmt: skip


def _listed(response) -> list[str]:
    return [row["cells"][0] for row in response.context["rows"]]


def test_planner_creates_a_site_a_team_and_an_advisor_each_audited(client, users, two_sites):
    planner = users["workforce_planner"]
    client.force_login(planner)
    response = client.post(
        reverse("organisation-site-create"), {"code": "annecy", "name": "Annecy", "city": "Annecy"}
    )
    site = Site.objects.get(code="annecy")
    assert response["Location"] == reverse("organisation-site-detail", args=[site.pk])
    client.post(
        reverse("organisation-team-create"),
        {"site": site.pk, "code": "a1", "name": "Lac", "leader": users["team_leader"].pk},
    )
    team = Team.objects.get(code="a1")
    client.post(
        reverse("organisation-advisor-create"),
        {
            "login": "A9", "first_name": "Léa", "last_name": "Petit", "site": site.pk,
            "team": team.pk, "status": "active", "joined_on": "2026-11-02",
            "handles_phone": "on", "weekly_hours": "35",
        },
    )  # fmt: skip
    advisor = Advisor.objects.get(login="A9")
    assert (advisor.team, advisor.weekly_hours) == (team, 35)
    entries = AuditEntry.objects.filter(user=planner, action__startswith="organisation.")
    assert [(e.action, e.data["id"]) for e in entries.order_by("at")] == [
        ("organisation.site.created", site.pk),
        ("organisation.team.created", team.pk),
        ("organisation.advisor.created", advisor.pk),
    ]
    advisor_entry = entries.get(action="organisation.advisor.created")
    assert advisor_entry.data["changes"]["last_name"] == "***"  # names are personal data
    assert advisor_entry.data["changes"]["site"] == [None, site.pk]


def test_an_advisor_on_a_team_of_another_site_is_refused(client, users, two_sites):
    client.force_login(users["workforce_planner"])
    response = client.post(
        reverse("organisation-advisor-create"),
        {"login": "X1", "first_name": "Léa", "last_name": "Petit",
         "site": two_sites["grenoble"].pk, "team": two_sites["l_team"].pk,
         "status": "active", "joined_on": "2026-11-02"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "team" in response.context["form"].errors
    assert not Advisor.objects.filter(login="X1").exists()


def test_site_manager_changes_their_site_only(client, users, two_sites):
    client.force_login(users["site_manager"])
    g_team, l_team = two_sites["g_team"], two_sites["l_team"]
    response = client.post(
        reverse("organisation-team-edit", args=[g_team.pk]),
        {"site": two_sites["grenoble"].pk, "name": "Alpes Nord", "leader": ""},
    )
    assert response.status_code == 302
    g_team.refresh_from_db()
    assert (g_team.name, g_team.code, g_team.leader) == ("Alpes Nord", "g1", None)
    entry = AuditEntry.objects.get(action="organisation.team.changed")
    assert entry.data["changes"]["name"] == ["Alpes", "Alpes Nord"]
    # Lyon is outside the scope: not visible, not changeable, not a choice in the form.
    assert client.get(reverse("organisation-team-detail", args=[l_team.pk])).status_code == 404
    assert client.get(reverse("organisation-team-edit", args=[l_team.pk])).status_code == 404
    assert client.post(reverse("organisation-team-deactivate", args=[l_team.pk])).status_code == 404
    form = client.get(reverse("organisation-team-create")).context["form"]
    assert list(form.fields["site"].queryset) == [two_sites["grenoble"]]
    # Opening a new site is the planners' (every site); the managers of a site are not theirs.
    assert client.get(reverse("organisation-site-create")).status_code == 403
    edit = client.get(reverse("organisation-site-edit", args=[two_sites["grenoble"].pk]))
    assert "managers" not in edit.context["form"].fields


def test_team_leader_reads_their_team_and_changes_nothing(client, users, two_sites):
    client.force_login(users["team_leader"])
    assert _listed(client.get(reverse("organisation-team-list"))) == ["Alpes"]
    assert _listed(client.get(reverse("organisation-advisor-list"))) == ["Martin Inès"]
    g_advisor = two_sites["g_advisor"]
    assert (
        client.get(reverse("organisation-advisor-detail", args=[g_advisor.pk])).status_code == 200
    )
    for name in ("organisation-advisor-edit", "organisation-advisor-deactivate"):
        assert client.post(reverse(name, args=[g_advisor.pk])).status_code == 403
    assert client.get(reverse("organisation-advisor-create")).status_code == 403


def test_trainer_reads_every_advisor_with_skills_and_absences(client, users, two_sites):
    """What the trainer opened the admin for, now a page: read-only, every site."""
    client.force_login(users["trainer"])
    assert _listed(client.get(reverse("organisation-advisor-list"))) == [
        "Durand Paul",
        "Martin Inès",
    ]
    detail = client.get(reverse("organisation-advisor-detail", args=[two_sites["l_advisor"].pk]))
    html = detail.content.decode()
    assert "Compétences" in html and "Absent" in html
    assert not detail.context["may_change"] and "Modifier" not in html
    assert (
        client.get(
            reverse("organisation-advisor-edit", args=[two_sites["l_advisor"].pk])
        ).status_code
        == 403
    )


@time_machine.travel(dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC))
def test_deactivating_keeps_the_records(client, users, two_sites):
    client.force_login(users["workforce_planner"])
    advisor, site = two_sites["g_advisor"], two_sites["lyon"]
    reason = ContactReason.objects.get(code="general-information")
    client.post(reverse("organisation-advisor-deactivate", args=[advisor.pk]))
    client.post(reverse("organisation-site-deactivate", args=[site.pk]))
    client.post(reverse("organisation-reason-deactivate", args=[reason.pk]))
    advisor.refresh_from_db()
    site.refresh_from_db()
    reason.refresh_from_db()
    assert (advisor.status, advisor.left_on) == ("left", dt.date(2026, 12, 3))
    assert site.is_active is False and site.teams.count() == 1
    assert reason.active_to == dt.date(2026, 12, 3)
    assert set(
        AuditEntry.objects.filter(action__endswith=".deactivated").values_list("action", flat=True)
    ) == {
        "organisation.advisor.deactivated",
        "organisation.site.deactivated",
        "organisation.contactreason.deactivated",
    }
    assert _listed(client.get(reverse("organisation-site-list"), {"active": "no"})) == ["Lyon"]
    left = client.get(reverse("organisation-advisor-list"), {"status": "left"})
    assert _listed(left) == ["Martin Inès"]


def test_lists_search_filter_and_paginate(client, users, two_sites):
    Advisor.objects.bulk_create(
        Advisor(login=f"B{i:03}", first_name="Nina", last_name=f"Bernard{i:03}",
                site=two_sites["lyon"], joined_on=dt.date(2025, 1, 6))
        for i in range(60)
    )  # fmt: skip
    client.force_login(users["quality_analyst"])
    url = reverse("organisation-advisor-list")
    first = client.get(url, {"site": two_sites["lyon"].pk})
    assert first.context["page_obj"].paginator.count == 61
    assert len(first.context["rows"]) == 50
    assert len(client.get(url, {"site": two_sites["lyon"].pk, "page": 2}).context["rows"]) == 11
    assert _listed(client.get(url, {"q": "bernard059"})) == ["Bernard059 Nina"]
    assert _listed(client.get(url, {"q": "G1"})) == ["Martin Inès"]  # the telephony login
    reasons = client.get(reverse("organisation-reason-list"), {"family": "closure"})
    assert (
        reasons.context["page_obj"].paginator.count
        == ContactReason.objects.filter(family="closure").count()
    )


LIST_PAGES = [
    "organisation-site-list",
    "organisation-team-list",
    "organisation-advisor-list",
    "organisation-reason-list",
]


@pytest.mark.parametrize("name", LIST_PAGES)
def test_anonymous_is_sent_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", LIST_PAGES[:3])
@pytest.mark.parametrize("role", ["advisor", "contract_manager"])
def test_roles_without_reference_data_are_refused(client, users, two_sites, role, name):
    client.force_login(users[role])
    assert client.get(reverse(name)).status_code == 403
    detail = name.replace("-list", "-detail")
    record = {"site": two_sites["grenoble"], "team": two_sites["g_team"]}.get(
        name.split("-")[1], two_sites["g_advisor"]
    )
    assert client.get(reverse(detail, args=[record.pk])).status_code == 403


@pytest.mark.parametrize(
    "role", ["client_auditor", "quality_analyst", "trainer", "security_officer"]
)
@pytest.mark.parametrize("prefix", ["site", "team", "advisor", "reason"])
def test_read_only_roles_cannot_create_change_or_deactivate(client, users, two_sites, role, prefix):
    client.force_login(users[role])
    record = {
        "site": two_sites["grenoble"],
        "team": two_sites["g_team"],
        "advisor": two_sites["g_advisor"],
        "reason": ContactReason.objects.first(),
    }[prefix]
    assert client.get(reverse(f"organisation-{prefix}-list")).status_code == 200
    assert client.get(reverse(f"organisation-{prefix}-create")).status_code == 403
    assert client.get(reverse(f"organisation-{prefix}-edit", args=[record.pk])).status_code == 403
    assert (
        client.post(reverse(f"organisation-{prefix}-deactivate", args=[record.pk])).status_code
        == 403
    )
    assert not AuditEntry.objects.filter(action__startswith="organisation.").exists()


def test_site_manager_records_a_closure_and_corrects_opening_hours(client, users):
    from decroche.organisation.models import ClosureCalendar, OpeningHours

    calendar = ClosureCalendar.objects.create(name="Plateau national")
    client.force_login(users["site_manager"])
    response = client.post(
        reverse("organisation-closure-create"),
        {"calendar": calendar.pk, "starts_at": "2026-12-24T12:00", "ends_at": "2026-12-24T17:30",
         "reason": "Veille de Noël"},
    )  # fmt: skip
    closure = calendar.closures.get()
    assert response["Location"] == reverse("organisation-closure-detail", args=[closure.pk])
    assert AuditEntry.objects.get(action="organisation.exceptionalclosure.created").data["id"] == (
        closure.pk
    )
    assert "organisation-closure-deactivate" not in str(
        client.get(reverse("organisation-closure-list")).content
    )

    slot = OpeningHours.objects.order_by("pk").first()
    bad = client.post(
        reverse("organisation-hours-edit", args=[slot.pk]),
        {"opens_at": "18:00", "closes_at": "08:00"},
    )
    assert bad.status_code == 200 and bad.context["form"].errors
    client.post(
        reverse("organisation-hours-edit", args=[slot.pk]),
        {"opens_at": "08:00", "closes_at": "18:00"},
    )
    slot.refresh_from_db()
    assert (slot.opens_at, slot.closes_at) == (dt.time(8, 0), dt.time(18, 0))
    entry = AuditEntry.objects.get(action="organisation.openinghours.changed")
    assert entry.data["changes"]["closes_at"][1] == "18:00:00"
    assert client.get(reverse("organisation-hours-list")).status_code == 200


@pytest.mark.parametrize("role", ["trainer", "client_auditor", "team_leader"])
def test_closures_and_hours_are_read_only_for_readers(client, users, role):
    client.force_login(users[role])
    assert client.get(reverse("organisation-closure-list")).status_code == 200
    assert client.get(reverse("organisation-closure-create")).status_code == 403
    slot_edit = reverse("organisation-hours-edit", args=[1])
    assert client.post(slot_edit, {"opens_at": "08:00", "closes_at": "18:00"}).status_code == 403


def test_advisors_do_not_see_closures(client, users):
    client.force_login(users["advisor"])
    assert client.get(reverse("organisation-closure-list")).status_code == 403
    assert client.get(reverse("organisation-hours-list")).status_code == 403
