"""Calls list: permissions, filters and scope (issue 2; SPEC §9 access by need)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from decroche.contacts.models import Call
from decroche.organisation.models import Advisor, ContactReason, Site, Team

pytestmark = pytest.mark.django_db
PARIS = dt.timezone(dt.timedelta(hours=1))  # winter time, enough for these dates


@pytest.fixture
def world(users, site):
    """Two sites; on Grenoble a team led by the team leader (advisor A1001) and another
    team (A1002); Lyon managed by nobody in `users` but visible to planners."""
    lyon = Site.objects.create(code="lyon", name="Lyon")
    site.managers.add(users["site_manager"])
    led = Team.objects.create(site=site, code="g1", name="G1", leader=users["team_leader"])
    other = Team.objects.create(site=site, code="g2", name="G2")
    joined = dt.date(2025, 1, 6)
    mine = Advisor.objects.create(
        login="A1001", first_name="Inès", last_name="Martin", site=site, team=led, joined_on=joined
    )
    theirs = Advisor.objects.create(
        login="A1002", first_name="Hugo", last_name="Petit", site=site, team=other, joined_on=joined
    )
    far = Advisor.objects.create(
        login="B2001", first_name="Léa", last_name="Roux", site=lyon, joined_on=joined
    )
    reason = ContactReason.objects.get(code="general-information")

    def call(source_id, advisor, day, outcome="answered", site_=None, with_reason=None):
        return Call.objects.create(
            source_system="test",
            source_id=source_id,
            arrived_at=dt.datetime(2026, 1, day, 10, 0, tzinfo=PARIS),
            outcome=outcome,
            advisor=advisor,
            site=site_ or (advisor.site if advisor else None),
            reason=with_reason,
        )

    calls = {
        "mine": call("1", mine, 5, with_reason=reason),
        "theirs": call("2", theirs, 6),
        "far": call("3", far, 7),
        "abandoned_grenoble": call("4", None, 8, outcome="abandoned", site_=site),
    }
    return {"lyon": lyon, "reason": reason, "calls": calls}


def listed(client, **params) -> set[str]:
    response = client.get(reverse("call-list"), params)
    assert response.status_code == 200
    return {c.source_id for c in response.context["page_obj"]}


def test_calls_redirect_anonymous(client):
    response = client.get(reverse("call-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ["advisor", "trainer", "security_officer"])
def test_calls_refused_without_permission(client, users, role):
    client.force_login(users[role])
    assert client.get(reverse("call-list")).status_code == 403


def test_team_leader_sees_only_the_calls_of_their_team(client, users, world):
    client.force_login(users["team_leader"])
    assert listed(client) == {"1"}


def test_site_manager_sees_every_call_of_their_site(client, users, world):
    client.force_login(users["site_manager"])
    assert listed(client) == {"1", "2", "4"}


@pytest.mark.parametrize(
    "role", ["workforce_planner", "quality_analyst", "client_auditor", "administrator"]
)
def test_all_sites_roles_see_everything(client, users, world, role):
    client.force_login(users[role])
    assert listed(client) == {"1", "2", "3", "4"}


def test_filters_by_day_range_site_reason_and_outcome(client, users, world, site):
    client.force_login(users["workforce_planner"])
    # Days are Paris days, both ends included: 6 and 7 January.
    assert listed(client, date_from="2026-01-06", date_to="2026-01-07") == {"2", "3"}
    assert listed(client, site=world["lyon"].pk) == {"3"}
    assert listed(client, reason=world["reason"].pk) == {"1"}
    assert listed(client, outcome="abandoned") == {"4"}
    assert listed(client, site=site.pk, outcome="answered") == {"1", "2"}


def test_site_filter_offers_only_visible_sites(client, users, world, site):
    client.force_login(users["site_manager"])
    response = client.get(reverse("call-list"))
    assert list(response.context["form"].fields["site"].queryset) == [site]
    # A site outside the scope cannot be forced through the query string.
    response = client.get(reverse("call-list"), {"site": world["lyon"].pk})
    assert "site" in response.context["form"].errors


def test_calls_list_paginates(client, users, site):
    client.force_login(users["administrator"])
    for index in range(55):
        Call.objects.create(
            source_system="test",
            source_id=f"p{index}",
            arrived_at=dt.datetime(2026, 2, 2, 9, 0, tzinfo=dt.UTC),
            outcome="answered",
            site=site,
        )
    assert len(client.get(reverse("call-list")).context["page_obj"]) == 50
    assert len(client.get(reverse("call-list"), {"page": 2}).context["page_obj"]) == 5
