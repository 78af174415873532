"""Fixture for the indicator pages' tests: two sites, two teams, calls on Monday 12 January
2026 at 10:00 Paris (half-hour 20).

Grenoble (managed by the site manager; team g1 led by the team leader, advisor A1001):
3 calls answered by A1001 (wait 30 s, talk 240 s, wrap-up 60 s) + 1 abandoned (wait 90 s).
Lyon (team l1, advisor B2001): 1 answered (wait 30 s) + 1 abandoned (wait 90 s).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from decroche.contacts.models import Call
from decroche.organisation.models import Advisor, Site, Team

PARIS = ZoneInfo("Europe/Paris")
DAY = dt.date(2026, 1, 12)


@pytest.fixture
def world(users, site):
    lyon = Site.objects.create(code="lyon", name="Lyon")
    site.managers.add(users["site_manager"])
    g1 = Team.objects.create(site=site, code="g1", name="G1", leader=users["team_leader"])
    l1 = Team.objects.create(site=lyon, code="l1", name="L1")
    joined = dt.date(2025, 1, 6)
    ines = Advisor.objects.create(
        login="A1001", first_name="Inès", last_name="Martin", site=site, team=g1, joined_on=joined
    )
    lea = Advisor.objects.create(
        login="B2001", first_name="Léa", last_name="Roux", site=lyon, team=l1, joined_on=joined
    )
    number = iter(range(1, 100))

    def call(advisor, site_, outcome, wait, day=DAY, hour=10):
        return Call.objects.create(
            source_system="test",
            source_id=str(next(number)),
            arrived_at=dt.datetime.combine(day, dt.time(hour, 0), tzinfo=PARIS),
            outcome=outcome,
            origin="direct",
            wait_seconds=wait,
            talk_seconds=240 if outcome == "answered" else 0,
            wrap_up_seconds=60 if outcome == "answered" else 0,
            advisor=advisor,
            site=site_,
        )

    for _ in range(3):
        call(ines, site, "answered", 30)
    call(None, site, "abandoned", 90)
    call(lea, lyon, "answered", 30)
    call(None, lyon, "abandoned", 90)
    return {
        "grenoble": site,
        "lyon": lyon,
        "g1": g1,
        "l1": l1,
        "ines": ines,
        "lea": lea,
        "call": call,
    }
