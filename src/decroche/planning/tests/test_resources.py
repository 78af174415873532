"""Resources dashboard (SPEC §3 resource dashboards): staffing forecast per half-hour for
the coming week, training and internal hours, present vs planned each morning."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from decroche.contacts.factories import WORLD_DAY as DAY
from decroche.contacts.models import AdvisorState
from decroche.core.calendar import PARIS
from decroche.organisation.models import Advisor
from decroche.organisation.selectors import Scope, user_scope
from decroche.planning.erlang import ERLANG_A, Workload, required_agents
from decroche.planning.resources import internal_hours, morning_attendance, staffing_forecast
from decroche.planning.staffing import DEFAULT_TARGETS as STAFFING_TARGETS

pytestmark = pytest.mark.django_db
EVERYTHING = Scope(everything=True)


def state(advisor, day, hour, kind="available", hours=1.0):
    start = dt.datetime.combine(day, dt.time(hour, 0), tzinfo=PARIS)
    return AdvisorState.objects.create(
        advisor=advisor,
        state=kind,
        started_at=start,
        ended_at=start + dt.timedelta(hours=hours),
        duration_seconds=int(hours * 3600),
        source_system="test",
    )


def test_anonymous_forbidden_and_allowed(client, users):
    url = reverse("resources-dashboard")
    assert client.get(url).status_code == 302
    client.force_login(users["advisor"])
    assert client.get(url).status_code == 403
    client.force_login(users["workforce_planner"])
    assert client.get(url).status_code == 200


def test_forecast_averages_the_same_half_hour_of_the_four_previous_weeks(world):
    call = world["call"]
    ines = world["ines"]
    # The world holds 4 answered calls at 10:00 on Monday 12 January (3 Grenoble + 1 Lyon)
    # and 2 abandoned. Add 8 answered calls at 10:00 on Monday 5 January.
    for _ in range(8):
        call(ines, world["grenoble"], "answered", 30, day=DAY - dt.timedelta(weeks=1))
    forecast = staffing_forecast(EVERYTHING, week_start=dt.date(2026, 1, 19))
    monday, tuesday = dt.date(2026, 1, 19), dt.date(2026, 1, 20)
    # Monday 10:00 (half-hour 20): (6 + 8 + 0 + 0) calls / 4 weeks = 3.5 calls.
    assert forecast.calls[(monday, 20)] == 3.5
    assert forecast.calls[(tuesday, 20)] == 0
    assert forecast.agents[(tuesday, 20)] == 0
    # Handling time: 12 answered calls, each 240 s talk + 60 s wrap-up = 300 s.
    assert forecast.aht_seconds == 300
    expected = required_agents(
        Workload(calls=3.5, aht=300, interval=1800, patience=180), STAFFING_TARGETS, model=ERLANG_A
    ).agents
    assert forecast.agents[(monday, 20)] == expected >= 1
    assert forecast.slots[0] == 17 and forecast.slots[-1] == 34  # 08:30 … 17:00 (ends 17:30)


def test_morning_attendance_gives_planned_present_and_reasons(world):
    ines = world["ines"]
    g1 = world["g1"]
    site = world["grenoble"]
    joined = dt.date(2025, 1, 6)
    hugo = Advisor.objects.create(
        login="A1002",
        first_name="Hugo",
        last_name="Petit",
        site=site,
        team=g1,
        joined_on=joined,
        absent_from=DAY,
        absent_to=DAY + dt.timedelta(days=4),
    )
    zoe = Advisor.objects.create(
        login="A1003", first_name="Zoé", last_name="Blanc", site=site, team=g1, joined_on=joined
    )
    Advisor.objects.create(
        login="A1004",
        first_name="Paul",
        last_name="Noir",
        site=site,
        team=g1,
        joined_on=joined,
        status="left",
        left_on=dt.date(2025, 6, 1),
    )
    state(ines, DAY, 9)
    state(zoe, DAY, 14)  # an afternoon start does not make her present that morning
    (monday,) = morning_attendance(
        Scope(everything=False, advisor_ids=frozenset({ines.id, hugo.id, zoe.id})),
        start=DAY,
        end=DAY,
    )
    # Planned: Inès and Zoé (Hugo absent, Paul left, Léa out of scope) = 2; present: Inès.
    assert (monday.planned, monday.present) == (2, 1)
    reasons = {gap["advisor"].login: gap["reason"] for gap in monday.gaps}
    assert set(reasons) == {"A1002", "A1003"}
    assert "16/01/2026" in reasons["A1002"]
    assert reasons["A1003"] != reasons["A1002"]  # "not recorded"


def test_morning_attendance_stops_today_and_flags_days_not_imported(world):
    ines = world["ines"]
    state(ines, DAY, 9)  # Monday 12 January imported; Tuesday not yet; today is Wednesday
    mornings = morning_attendance(
        EVERYTHING, start=DAY, end=DAY + dt.timedelta(days=4), today=DAY + dt.timedelta(days=2)
    )
    assert [m.day for m in mornings] == [DAY + dt.timedelta(days=n) for n in range(3)]
    assert [m.recorded for m in mornings] == [True, False, False]
    assert mornings[1].present == 0 and mornings[1].gaps == []
    assert mornings[1].planned == mornings[0].planned  # still planned, only not known yet


def test_training_and_internal_hours_per_team(world, users):
    state(world["ines"], DAY, 9, kind="training", hours=2)
    state(world["ines"], DAY, 14, kind="internal", hours=0.5)
    state(world["lea"], DAY, 9, kind="training", hours=1)
    rows = internal_hours(EVERYTHING, start=DAY, end=DAY)
    assert {(r["team"], r["training"], r["internal"]) for r in rows} == {
        ("G1", 2.0, 0.5),
        ("L1", 1.0, 0.0),
    }
    leader_rows = internal_hours(user_scope(users["team_leader"]), start=DAY, end=DAY)
    assert [r["team"] for r in leader_rows] == ["G1"]


def test_page_of_a_site_manager_lists_only_their_advisors(client, users, world):
    state(world["ines"], DAY, 14)  # states imported that day; Inès not there in the morning
    client.force_login(users["site_manager"])
    response = client.get(reverse("resources-dashboard"), {"day": DAY.isoformat()})
    body = response.content.decode()
    assert response.status_code == 200
    assert "A1001" in body and "B2001" not in body
    assert response.context["forecast"].days[0] == dt.date(2026, 1, 19)  # the coming week
