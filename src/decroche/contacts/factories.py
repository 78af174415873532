"""Builders of contact data for tests, shared by every app's tests.

Each builder fills what a test does not care about with a plain default (an answered
direct call, a unique source id) so that a test writes only the fields its arithmetic
reads. Times are Paris local times (SPEC §1); `at` turns a day and an hour into one.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from decroche.core.calendar import PARIS
from decroche.organisation.models import Advisor, Site, Team

from .choices import CallOutcome
from .models import AdvisorState, Call, ContactForm

_source_ids = itertools.count(1)
WORLD_DAY = dt.date(2026, 1, 12)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """`day` at `hour:minute`, Paris time."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=PARIS)


def next_source_id() -> str:
    return str(next(_source_ids))


def call_build(day: dt.date | None = None, hour: int = 10, minute: int = 0, **fields: Any) -> Call:
    """An unsaved call (answered and direct unless told), arriving on `day` at `hour:minute`;
    its local-day columns are filled, ready for `bulk_create`."""
    values: dict[str, Any] = {
        "source_system": "test",
        "source_id": next_source_id(),
        "outcome": CallOutcome.ANSWERED,
        "origin": "direct",
    }
    if day is not None:
        values["arrived_at"] = at(day, hour, minute)
    values.update(fields)
    call = Call(**values)
    call.fill_local_days()
    return call


def call_create(day: dt.date | None = None, hour: int = 10, minute: int = 0, **fields: Any) -> Call:
    """A saved call: `call_build` then save."""
    call = call_build(day, hour, minute, **fields)
    call.save()
    return call


def calls_make(
    day: dt.date,
    *,
    answered: int,
    abandoned: int,
    talk: int = 200,
    wrap_up: int = 50,
    wait: int = 30,
    abandoned_wait: int = 30,
) -> None:
    """`answered` answered and `abandoned` abandoned calls from 09:00 on `day`."""
    for index in range(answered + abandoned):
        is_answered = index < answered
        call_create(
            day,
            9,
            index % 60,
            outcome=CallOutcome.ANSWERED if is_answered else CallOutcome.ABANDONED,
            talk_seconds=talk if is_answered else 0,
            wrap_up_seconds=wrap_up if is_answered else 0,
            wait_seconds=wait if is_answered else abandoned_wait,
        )


def state_make(
    advisor, day: dt.date, state: str, hours: Decimal | float, start_hour: int = 9
) -> AdvisorState:
    """A saved advisor state of `hours` hours from `start_hour` on `day`."""
    seconds = int(Decimal(str(hours)) * 3600)
    started = at(day, start_hour)
    return AdvisorState.objects.create(
        advisor=advisor,
        state=state,
        started_at=started,
        ended_at=started + dt.timedelta(seconds=seconds),
        duration_seconds=seconds,
        source_system="test",
    )


def form_create(day: dt.date, hour: int = 10, **fields: Any) -> ContactForm:
    """A saved contact form received on `day` at `hour`."""
    values: dict[str, Any] = {
        "source_system": "test",
        "source_id": next_source_id(),
        "received_at": at(day, hour),
    }
    values.update(fields)
    return ContactForm.objects.create(**values)


def two_site_world(users: dict, site: Site) -> dict[str, Any]:
    """Two sites, two teams, calls on Monday 12 January 2026 (`WORLD_DAY`) at 10:00 Paris
    (half-hour 20); `users` holds one user per role (the root conftest's fixture).

    Grenoble (managed by the site manager; team g1 led by the team leader, advisor A1001):
    3 calls answered by A1001 (wait 30 s, talk 240 s, wrap-up 60 s) + 1 abandoned (wait 90 s).
    Lyon (team l1, advisor B2001): 1 answered (wait 30 s) + 1 abandoned (wait 90 s).
    """
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

    def call(advisor, site_, outcome, wait, day=WORLD_DAY, hour=10):
        return call_create(
            day,
            hour,
            outcome=outcome,
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
