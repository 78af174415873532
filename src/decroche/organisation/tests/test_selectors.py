"""Scope of what each person may see (organisation.selectors; SPEC §9)."""

from __future__ import annotations

import datetime as dt

import pytest

from decroche.organisation.models import Advisor, Site, Team
from decroche.organisation.selectors import (
    advisors_visible_to,
    sites_visible_to,
    teams_visible_to,
    user_scope,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(users, site):
    lyon = Site.objects.create(code="lyon", name="Lyon")
    led = Team.objects.create(site=site, code="g1", name="G1", leader=users["team_leader"])
    other = Team.objects.create(site=site, code="g2", name="G2")
    lyon_team = Team.objects.create(site=lyon, code="l1", name="L1")
    joined = dt.date(2025, 1, 6)
    a1 = Advisor.objects.create(
        login="A1", first_name="A", last_name="Un", site=site, team=led, joined_on=joined
    )
    a2 = Advisor.objects.create(
        login="A2", first_name="B", last_name="Deux", site=site, team=other, joined_on=joined
    )
    a3 = Advisor.objects.create(
        login="A3", first_name="C", last_name="Trois", site=lyon, team=lyon_team, joined_on=joined
    )
    return {
        "grenoble": site,
        "lyon": lyon,
        "led": led,
        "other": other,
        "lyon_team": lyon_team,
        "a1": a1,
        "a2": a2,
        "a3": a3,
    }


def test_team_leader_sees_led_teams_and_their_advisors(users, org):
    leader = users["team_leader"]
    assert list(teams_visible_to(leader)) == [org["led"]]
    assert list(advisors_visible_to(leader)) == [org["a1"]]
    assert list(sites_visible_to(leader)) == [org["grenoble"]]


def test_site_manager_sees_their_sites_teams_and_advisors(users, org):
    manager = users["site_manager"]
    org["lyon"].managers.add(manager)
    assert set(teams_visible_to(manager)) == {org["lyon_team"]}
    assert set(advisors_visible_to(manager)) == {org["a3"]}
    assert list(sites_visible_to(manager)) == [org["lyon"]]


def test_site_manager_without_site_sees_nothing(users, org):
    assert user_scope(users["site_manager"]).is_empty
    assert not advisors_visible_to(users["site_manager"]).exists()


def test_advisor_sees_their_own_record(users, org):
    org["a2"].user = users["advisor"]
    org["a2"].save()
    assert list(advisors_visible_to(users["advisor"])) == [org["a2"]]


@pytest.mark.parametrize(
    "role",
    [
        "workforce_planner",
        "quality_analyst",
        "trainer",
        "security_officer",
        "client_auditor",
        "administrator",
    ],
)
def test_all_sites_roles_see_everything(users, org, role):
    assert user_scope(users[role]).everything
    assert advisors_visible_to(users[role]).count() == 3


def test_roles_add_up(users, make_user, org):
    both = make_user("team_leader", username="marc.leroy")
    both.groups.add(*users["site_manager"].groups.all())
    org["lyon"].managers.add(both)
    org["other"].leader = both
    org["other"].save()
    assert set(advisors_visible_to(both)) == {org["a2"], org["a3"]}


def test_inactive_user_sees_nothing(users, org):
    planner = users["workforce_planner"]
    planner.is_active = False
    assert user_scope(planner).is_empty
