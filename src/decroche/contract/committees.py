"""Committee rules as plain functions (no Django import): working-hour deadlines of the
minutes, the minutes' state, the same-weekday forecast and the capacity of a period
(SPEC §6, seed 002 §7.2 "Comités").

"48 working hours" is read as 48 hours counted on working days only (Monday–Friday minus
French public holidays, `core.calendar`), in Paris wall-clock time: hours falling
on a Saturday, Sunday or public holiday do not run. Minutes sent on Friday at 10:00 are
validated by silence on Tuesday at 10:00.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

from decroche.core import calendar
from decroche.core.calendar import PARIS, is_working_day, working_days

SILENCE_WORKING_HOURS = 48  # SPEC §6: "validated if no remark within 48 h"
MINUTES_DUE_WORKING_HOURS = 24  # SPEC §6: "minutes within 24 working hours"
FORECAST_WEEKS = 4


class MinutesState:
    DRAFT = "draft"
    SENT = "sent"
    VALIDATED_BY_SILENCE = "validated_by_silence"
    AMENDED = "amended"


def working_hours_after(start: dt.datetime, hours: float) -> dt.datetime:
    """The moment `hours` working hours after `start` (an aware datetime), counting only
    the hours of French working days, Paris wall-clock time."""
    cursor = start.astimezone(PARIS)
    remaining = dt.timedelta(hours=hours)
    while True:
        next_midnight = dt.datetime.combine(
            cursor.date() + dt.timedelta(days=1), dt.time.min, tzinfo=PARIS
        )
        if is_working_day(cursor.date()):
            available = next_midnight.replace(tzinfo=None) - cursor.replace(tzinfo=None)
            if remaining <= available:
                return cursor + remaining
            remaining -= available
        cursor = next_midnight


def silence_deadline(sent_at: dt.datetime) -> dt.datetime:
    """When minutes sent at `sent_at` are validated if nobody remarked (48 working hours)."""
    return working_hours_after(sent_at, SILENCE_WORKING_HOURS)


def minutes_due(held_on: dt.date) -> dt.datetime:
    """The latest time to send the minutes: 24 working hours after the committee's day ends."""
    return working_hours_after(
        dt.datetime.combine(held_on + dt.timedelta(days=1), dt.time.min, tzinfo=PARIS),
        MINUTES_DUE_WORKING_HOURS,
    )


def minutes_state(
    *, sent_at: dt.datetime | None, amended_at: dt.datetime | None, now: dt.datetime
) -> str:
    """Draft until sent; amended if a remark came before the silence deadline; validated by
    silence once the deadline has passed without one; otherwise sent (SPEC §6)."""
    if sent_at is None:
        return MinutesState.DRAFT
    deadline = silence_deadline(sent_at)
    if amended_at is not None and amended_at <= deadline:
        return MinutesState.AMENDED
    if now >= deadline:
        return MinutesState.VALIDATED_BY_SILENCE
    return MinutesState.SENT


def weekday_averages(
    history: Mapping[dt.date, float], *, before: dt.date, weeks: int = FORECAST_WEEKS
) -> dict[int, float]:
    """Per weekday (0 = Monday), the mean of `history` on the last `weeks` working days of
    that weekday before `before`; a day missing from `history` counts 0. Public holidays
    are skipped (their volume would drag the mean down)."""
    averages = {}
    for weekday in range(7):
        day = before - dt.timedelta(days=1)
        while day.weekday() != weekday:
            day -= dt.timedelta(days=1)
        picked: list[float] = []
        for _attempt in range(weeks * 3):
            if len(picked) == weeks:
                break
            if is_working_day(day) or weekday >= 5:
                picked.append(float(history.get(day, 0)))
            day -= dt.timedelta(days=7)
        averages[weekday] = sum(picked) / len(picked) if picked else 0.0
    return averages


def forecast_days(averages: Mapping[int, float], days: Iterable[dt.date]) -> dict[dt.date, float]:
    """Forecast volume of each day: its weekday's average, 0 on non-working days."""
    return {day: averages[day.weekday()] if is_working_day(day) else 0.0 for day in days}


def period_capacity(
    active_advisors: Mapping[dt.date, int],
    start: dt.date,
    end: dt.date,
    daily_hours: Decimal = calendar.CONTRACTUAL_DAILY_HOURS,
) -> Decimal:
    """Hours available in a period: Σ over its working days of active advisors × daily
    contractual hours (SPEC §6 "capacity shared at D+10/D+20/D+30")."""
    return sum(
        (Decimal(active_advisors.get(day, 0)) * daily_hours for day in working_days(start, end)),
        Decimal("0"),
    )


def landing(
    *, ordered: Decimal, produced: Decimal, days_done: int, days_left: int
) -> tuple[Decimal, Decimal | None]:
    """Projected production at the end of the period (produced so far + the daily mean so
    far × days left) and its ratio to the order (None when nothing was ordered)."""
    daily = produced / days_done if days_done else Decimal("0")
    projected = (produced + daily * days_left).quantize(Decimal("0.01"))
    ratio = (projected / ordered).quantize(Decimal("0.0001")) if ordered > 0 else None
    return projected, ratio
