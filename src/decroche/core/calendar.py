"""The calendar the contract reasons in: the Paris zone and date, months, French working days.

Plain functions, no Django import (checked by mypy). The contract reasons in metropolitan
time (SPEC §1): "today" is the Paris date, never the server's. Working days are Monday to
Friday minus French public holidays (metropolitan calendar, the `holidays` package);
the ten-working-day periods of the orders (SPEC §6) count them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
OPENING_TIME = dt.time(8, 30)
CLOSING_TIME = dt.time(17, 30)


# --- the Paris date ---


def paris_now() -> dt.datetime:
    """The current instant, in Paris time."""
    return dt.datetime.now(PARIS)


def paris_today() -> dt.date:
    """Today's date in Paris (SPEC §1), whatever the server's zone."""
    return paris_now().date()


def paris_day(instant: dt.datetime) -> dt.date:
    """The Paris calendar day of an aware instant (23:30 UTC on 31 March is 1 April)."""
    if instant.tzinfo is None:
        raise ValueError("naive datetime: instants are time-zone aware")
    return instant.astimezone(PARIS).date()


def paris_midnight(day: dt.date) -> dt.datetime:
    """The instant a Paris calendar day begins: the bound of a range on an indexed
    timestamp, with no per-row date conversion."""
    return dt.datetime.combine(day, dt.time(), tzinfo=PARIS)


# --- months ---


def month_first(day: dt.date) -> dt.date:
    """The first day of `day`'s month."""
    return day.replace(day=1)


def next_month_first(day: dt.date) -> dt.date:
    """The first day of the month after `day`'s."""
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def month_last(day: dt.date) -> dt.date:
    """The last day of `day`'s month."""
    return next_month_first(day) - dt.timedelta(days=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole calendar months, clipped to the month's end (31 Jan + 1 = 28 Feb)."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    first = dt.date(year, month_index + 1, 1)
    return first.replace(day=min(day.day, month_last(first).day))


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from `start`'s month to `end`'s (Nov 2025 → May 2026 is 6)."""
    return (end.year - start.year) * 12 + end.month - start.month


def quarter_first(day: dt.date) -> dt.date:
    """The first day of `day`'s quarter."""
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_last(day: dt.date) -> dt.date:
    """The last day of `day`'s quarter."""
    return month_last(add_months(quarter_first(day), 2))


# --- French working days ---


@lru_cache(maxsize=64)
def _french_holidays(year: int) -> dict[dt.date, str]:
    import holidays  # where it is used: ~0.1 s that a start of Django need not pay

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


def last_complete_month(today: dt.date | None = None) -> dt.date:
    """First day of the last month that has ended, by the Paris calendar: the month the
    dashboards, the monthly statement and the committee packs open on by default (the
    current month is still filling up). On 1 December (Paris) it is 1 November."""
    return add_months(month_first(today or paris_today()), -1)


# --- the contract's ten-working-day periods (SPEC §6), used by contract and planning ---

PERIOD_WORKING_DAYS = 10
# A full-time advisor's contractual day (35 h a week / 5 days); the contract gives no figure.
CONTRACTUAL_DAILY_HOURS = Decimal("7")


def ten_day_period(start: dt.date) -> tuple[dt.date, dt.date]:
    """The ten-working-day period beginning on `start` (moved to the next working day if
    needed): its first and tenth working days (SPEC §6, seed 002 §7.2 "dizaine de jours ouvrés")."""
    first = start if is_working_day(start) else add_working_days(start, 1)
    return first, add_working_days(first, PERIOD_WORKING_DAYS - 1)


def committee_periods(committee_day: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The periods a forecast committee orders for: firm at D+10, indicative at D+20 and D+30
    working days (SPEC §6: "Firm order ... starting D+10; indicative orders for D+20 and D+30")."""
    return [ten_day_period(add_working_days(committee_day, offset)) for offset in (10, 20, 30)]
