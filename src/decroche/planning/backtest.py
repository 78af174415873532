"""Backtest of the volume forecast on held-back months (pure module, no Django).

For each month, the model and the seasonal-naive baseline forecast the whole month from the
history before its first day (``lead_days`` working days earlier when given: the committee
orders D+10 ahead, SPEC §6). Accuracy is the WAPE, Σ|actual − forecast| / Σ actual, over the
month's days (daily totals) and over its day × half-hour cells.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass

from decroche.core.calendar import add_working_days, is_working_day

from . import forecast
from .forecast import Event, Forecast, History

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


def seasonal_naive(history: History, start: dt.date, end: dt.date) -> Forecast:
    """Baseline: each open day repeats the last observed open day of the same weekday before
    ``start`` (so "the same weekday last week" for the first week), slot by slot; 0 when
    closed. Public holidays are known in advance, so a holiday is never copied."""
    import numpy as np

    channel = history.channel
    observed = [day for day in history.observed_days() if day < start]
    latest: dict[int, dt.date] = {}
    for day in observed:
        latest[day.weekday()] = day
    daily, intraday = {}, {}
    for day in forecast.days_between(start, end):
        source = latest.get(day.weekday()) if channel.is_open(day) else None
        row = (
            np.asarray(history.counts[source], dtype=float)
            if source is not None
            else np.zeros(channel.slots)
        )
        daily[day] = float(row.sum())
        intraday[day] = row
    return Forecast(channel, daily, intraday)


def wape(actual: Iterable[float], predicted: Iterable[float]) -> float | None:
    """Weighted absolute percentage error Σ|actual − predicted| / Σ actual (None if Σ = 0)."""
    import numpy as np

    actual_values = np.asarray(list(actual), dtype=float)
    predicted_values = np.asarray(list(predicted), dtype=float)
    if actual_values.shape != predicted_values.shape:
        raise ValueError("actual and predicted differ in length")
    total = actual_values.sum()
    return float(np.abs(actual_values - predicted_values).sum() / total) if total > 0 else None


def parse_month(text: str) -> tuple[int, int]:
    """ "2026-03" → (2026, 3); ValueError for anything else."""
    match = MONTH_PATTERN.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"not a month (YYYY-MM): {text!r}")
    return int(match.group(1)), int(match.group(2))


@dataclass(frozen=True)
class Accuracy:
    """Sums behind the WAPE, so months can be pooled."""

    actual: float
    predicted: float
    error_by_day: float
    error_by_half_hour: float

    @property
    def wape_by_day(self) -> float | None:
        return self.error_by_day / self.actual if self.actual > 0 else None

    @property
    def wape_by_half_hour(self) -> float | None:
        return self.error_by_half_hour / self.actual if self.actual > 0 else None

    def __add__(self, other: Accuracy) -> Accuracy:
        return Accuracy(
            self.actual + other.actual,
            self.predicted + other.predicted,
            self.error_by_day + other.error_by_day,
            self.error_by_half_hour + other.error_by_half_hour,
        )

    def as_dict(self) -> dict:
        return {
            "actual": round(self.actual, 1),
            "predicted": round(self.predicted, 1),
            "wape_by_day": self.wape_by_day,
            "wape_by_half_hour": self.wape_by_half_hour,
        }


NO_ACCURACY = Accuracy(0.0, 0.0, 0.0, 0.0)


def accuracy(actual: History, predicted: Forecast, days: Iterable[dt.date]) -> Accuracy:
    """Errors of ``predicted`` against ``actual`` over ``days`` (all days; closed ones count
    whatever was forecast or recorded on them)."""
    import numpy as np

    total = predicted_total = by_day = by_half_hour = 0.0
    slots = actual.channel.slots
    for day in days:
        observed = np.asarray(actual.counts.get(day, np.zeros(slots)), dtype=float)
        expected = predicted.intraday[day]
        total += observed.sum()
        predicted_total += predicted.daily[day]
        by_day += abs(observed.sum() - predicted.daily[day])
        by_half_hour += float(np.abs(observed - expected).sum())
    return Accuracy(total, predicted_total, by_day, by_half_hour)


@dataclass(frozen=True)
class MonthResult:
    channel: str
    month: tuple[int, int]
    origin: dt.date  # first day not in the history
    model: Accuracy
    naive: Accuracy

    def as_dict(self) -> dict:
        return {
            "channel": self.channel,
            "month": f"{self.month[0]:04d}-{self.month[1]:02d}",
            "history_until": (self.origin - dt.timedelta(days=1)).isoformat(),
            "model": self.model.as_dict(),
            "seasonal_naive": self.naive.as_dict(),
        }


def origin_of(month: tuple[int, int], lead_days: int) -> dt.date:
    """First day left out of the history: the month's first day, or ``lead_days`` working
    days before its first working day."""
    first = dt.date(*month, 1)
    if lead_days <= 0:
        return first
    first_working = first if is_working_day(first) else add_working_days(first, 1)
    return add_working_days(first_working, -lead_days)


def backtest_month(
    full: History,
    month: tuple[int, int],
    *,
    history_start: dt.date,
    lead_days: int = 0,
    events: Sequence[Event] = (),
    client_volumes: Mapping[tuple[int, int], float] | None = None,
    out_of_scope_share: float = forecast.OUT_OF_SCOPE_SHARE,
    method: str = forecast.SES,
) -> MonthResult:
    """Model and seasonal-naive accuracy on ``month``, forecast from the history between
    ``history_start`` and the origin; ``full`` must hold the month's actual volumes."""
    origin = origin_of(month, lead_days)
    days = forecast.month_days(*month)
    history = full.window(history_start, origin - dt.timedelta(days=1))
    model = forecast.forecast(
        history,
        origin,
        days[-1],
        events=events,
        client_volumes=client_volumes,
        out_of_scope_share=out_of_scope_share,
        method=method,
    )
    naive = seasonal_naive(history, origin, days[-1])
    return MonthResult(
        full.channel.code,
        month,
        origin,
        accuracy(full, model, days),
        accuracy(full, naive, days),
    )


def pooled(results: Iterable[MonthResult]) -> tuple[Accuracy, Accuracy]:
    """(model, naive) accuracy over every month given: Σ errors / Σ actual."""
    model, naive = NO_ACCURACY, NO_ACCURACY
    for result in results:
        model, naive = model + result.model, naive + result.naive
    return model, naive
