"""French working days and opening hours (SPEC §1, §6). Plain functions, no Django import.

Working days are Monday to Friday minus French public holidays (metropolitan calendar,
the `holidays` package). Ten-working-day periods of the orders (SPEC §6) count them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import lru_cache

import holidays

OPENING_TIME = dt.time(8, 30)
CLOSING_TIME = dt.time(17, 30)


@lru_cache(maxsize=64)
def _french_holidays(year: int) -> dict[dt.date, str]:
    return dict(holidays.France(years=year))


def public_holiday_name(day: dt.date) -> str | None:
    """The French public holiday on `day`, or None."""
    return _french_holidays(day.year).get(day)


def is_working_day(day: dt.date) -> bool:
    """Monday–Friday and not a French public holiday."""
    return day.weekday() < 5 and public_holiday_name(day) is None


def working_days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    """Working days from `start` to `end`, both included."""
    day = start
    while day <= end:
        if is_working_day(day):
            yield day
        day += dt.timedelta(days=1)


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The working day `count` working days after `day` (before it when negative)."""
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    current = day
    while remaining:
        current += dt.timedelta(days=step)
        if is_working_day(current):
            remaining -= 1
    return current


def is_day_after_holiday(day: dt.date) -> bool:
    """True for the first working day after a public holiday (volumes peak then)."""
    previous = day - dt.timedelta(days=1)
    while previous.weekday() >= 5:
        previous -= dt.timedelta(days=1)
    return public_holiday_name(previous) is not None


def is_open(moment: dt.datetime) -> bool:
    """Whether the service is open at `moment`, a Paris local time (SPEC §1)."""
    return is_working_day(moment.date()) and OPENING_TIME <= moment.time() < CLOSING_TIME
