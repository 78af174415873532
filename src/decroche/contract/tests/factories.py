"""Small builders of contact data for the contract tests."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from zoneinfo import ZoneInfo

from decroche.contacts.models import AdvisorState, Call

PARIS = ZoneInfo("Europe/Paris")
_ids = itertools.count(1)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=PARIS)


def make_calls(
    day: dt.date,
    *,
    answered: int,
    abandoned: int,
    talk: int = 200,
    wrap_up: int = 50,
    wait: int = 30,
    abandoned_wait: int = 30,
) -> None:
    for index in range(answered + abandoned):
        is_answered = index < answered
        Call.objects.create(
            source_system="test",
            source_id=str(next(_ids)),
            arrived_at=at(day, 9, index % 60),
            outcome="answered" if is_answered else "abandoned",
            talk_seconds=talk if is_answered else 0,
            wrap_up_seconds=wrap_up if is_answered else 0,
            wait_seconds=wait if is_answered else abandoned_wait,
        )


def make_state(advisor, day: dt.date, state: str, hours: Decimal | float, start_hour: int = 9):
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
