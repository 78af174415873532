"""Volume forecast per day and half-hour, calls and contact forms (SPEC §2, §6).

Pure module (numpy and statsmodels, no Django): the history comes in as counts per day and
slot, the forecast goes out the same way; `selectors` reads the database.

For one channel, from the history before the first forecast day:

1. **Day factors.** A Poisson GLM (statsmodels) of the daily totals on weekday dummies, a
   day-after-holiday dummy, a public-holiday dummy (forms only: calls are closed then) and
   one intercept per calendar month, so that month-to-month level changes do not bias the
   weekday factors. Planner events already past enter the GLM as a known offset.
2. **Level.** The history divided by its day factors and events is smoothed with statsmodels
   simple exponential smoothing (the level that backtested best, docs/planning.md); its
   forecast is flat.
3. **Days.** Level × weekday factor × day-after-holiday factor; 0 when the channel is closed
   (calls on weekends and French public holidays, SPEC §1). A client's monthly volume, when
   given, rescales the month's days to add up to it; planner events multiply the result.
4. **Half-hours.** Day × the intraday profile of its weekday: shares learned from the
   history, shrunk toward the all-days profile by ``prior_weight`` pseudo-contacts.

Calls have 18 slots, the half-hours 08:30–17:30 of opening (SPEC §1). Forms are received
around the clock every day of the year, so they have 48 slots of receipt, 00:00–24:00.
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is imported where it is used (docs/architecture.md)
    import numpy as np

from decroche.core.calendar import (
    is_day_after_holiday,
    is_working_day,
    next_month_first,
    public_holiday_name,
)

# SPEC §1: out-of-scope calls are 18% of calls received (observed mix 2022–2024); used when
# the history holds no qualified call to measure the share.
OUT_OF_SCOPE_SHARE = 0.18
PROFILE_PRIOR_WEIGHT = 1000.0
SES = "ses"
HOLT = "holt"
LEVEL_METHODS = (SES, HOLT)
MIN_GLM_DAYS = 15
CAMPAIGN, NOTIFICATION, DETERRENCE = "campaign", "notification", "deterrence"
EVENT_KINDS = (CAMPAIGN, NOTIFICATION, DETERRENCE)


@dataclass(frozen=True)
class Channel:
    """What is forecast: slot grid and opening days."""

    code: str
    first_half_hour: int  # local half-hour of slot 0 (17 = 08:30)
    slots: int
    closed_on_holidays: bool  # True: open on French working days only

    def is_open(self, day: dt.date) -> bool:
        return is_working_day(day) if self.closed_on_holidays else True

    def slot_label(self, slot: int) -> str:
        minutes = (self.first_half_hour + slot) * 30
        return f"{minutes // 60:02d}:{minutes % 60:02d}"


CALLS = Channel("calls", 17, 18, True)
FORMS = Channel("forms", 0, 48, False)
CHANNELS = {channel.code: channel for channel in (CALLS, FORMS)}


@dataclass(frozen=True)
class History:
    """Contacts per day and slot from ``start`` to ``end``; days missing from ``counts``
    had no record. An open day without any record is read as missing data, not as zero."""

    channel: Channel
    start: dt.date
    end: dt.date
    counts: Mapping[dt.date, np.ndarray]

    def observed_days(self) -> list[dt.date]:
        """Open days of the span with at least one contact, in order."""
        return sorted(
            day
            for day, row in self.counts.items()
            if self.start <= day <= self.end and self.channel.is_open(day) and row.sum() > 0
        )

    def total(self, day: dt.date) -> float:
        row = self.counts.get(day)
        return float(row.sum()) if row is not None else 0.0

    def window(self, start: dt.date, end: dt.date) -> History:
        """The same history cut to ``start``–``end``."""
        kept = {day: row for day, row in self.counts.items() if start <= day <= end}
        return History(self.channel, start, end, kept)


@dataclass(frozen=True)
class Event:
    """A planner event (SPEC §1: notification waves, media campaigns, IVR deterrence).

    ``uplift`` is a fraction: +0.40 for a campaign bringing 40% more contacts. For a
    deterrence message it is the points removed from the out-of-scope share of calls
    (0.20 = 20 points), see `deterrence_factor`.
    """

    kind: str
    channel: str
    start: dt.date
    end: dt.date
    uplift: float

    def __post_init__(self) -> None:
        if self.kind not in EVENT_KINDS:
            raise ValueError(f"unknown event kind {self.kind!r}")
        if self.end < self.start:
            raise ValueError("an event cannot end before it starts")
        if self.kind == DETERRENCE and not 0 <= self.uplift <= 1:
            raise ValueError("deterrence points must be between 0 and 1")
        if self.kind != DETERRENCE and self.uplift <= -1:
            raise ValueError("an uplift must be above -100%")


def deterrence_factor(points: float, out_of_scope_share: float) -> float:
    """Volume multiplier of an IVR deterrence message (SPEC §1, seed 002 §2.1).

    The seed reports out-of-scope calls "-20pts" after a deterrence message: read as the
    out-of-scope share of calls received falling by ``points`` percentage points (never
    below zero) while in-scope calls stay. With share s and new share s' = max(s − p, 0),
    in-scope calls (1 − s)·N are then a share 1 − s' of the new total: N' / N = (1 − s) /
    (1 − s'). With s = 0.18 and p = 0.20 every out-of-scope call is deterred: × 0.82.
    """
    share = min(max(out_of_scope_share, 0.0), 1.0)
    remaining = max(share - points, 0.0)
    return (1 - share) / (1 - remaining) if remaining < 1 else 1.0


def event_factor(
    day: dt.date,
    channel: str,
    events: Iterable[Event],
    out_of_scope_share: float = OUT_OF_SCOPE_SHARE,
) -> float:
    """Product of the multipliers of the events of ``channel`` covering ``day``."""
    factor = 1.0
    for event in events:
        if event.channel != channel or not event.start <= day <= event.end:
            continue
        if event.kind == DETERRENCE:
            factor *= deterrence_factor(event.uplift, out_of_scope_share)
        else:
            factor *= 1 + event.uplift
    return factor


# --- day factors ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayFactors:
    """Multipliers of a day's volume around the level; weekdays average 1 over open days."""

    weekday: tuple[float, ...] = (1.0,) * 7
    after_holiday: float = 1.0
    holiday: float = 1.0

    def of(self, day: dt.date) -> float:
        factor = self.weekday[day.weekday()]
        if is_after_holiday(day):
            factor *= self.after_holiday
        if is_weekday_holiday(day):
            factor *= self.holiday
        return factor


def is_after_holiday(day: dt.date) -> bool:
    """First working day after a French public holiday."""
    return is_working_day(day) and is_day_after_holiday(day)


def is_weekday_holiday(day: dt.date) -> bool:
    return day.weekday() < 5 and public_holiday_name(day) is not None


def _month_key(day: dt.date) -> tuple[int, int]:
    return day.year, day.month


def fit_day_factors(
    days: Sequence[dt.date], totals: Sequence[float], offsets: Sequence[float] | None = None
) -> DayFactors:
    """Weekday, day-after-holiday and holiday factors by a Poisson GLM with month intercepts.

    ``offsets`` are the log multipliers of known events on those days. With fewer than
    ``MIN_GLM_DAYS`` days, or a dummy never seen, the factor stays 1.
    """
    import numpy as np
    import statsmodels.api as sm

    if len(days) < MIN_GLM_DAYS:
        return DayFactors()
    months = sorted({_month_key(day) for day in days})
    weekdays = sorted({day.weekday() for day in days})
    columns: list[np.ndarray] = [
        np.array([_month_key(day) == month for day in days], dtype=float) for month in months
    ]
    names = [("month", month) for month in months]
    for weekday in weekdays[1:]:
        columns.append(np.array([day.weekday() == weekday for day in days], dtype=float))
        names.append(("weekday", weekday))
    for name, test in (("after_holiday", is_after_holiday), ("holiday", is_weekday_holiday)):
        flags = np.array([test(day) for day in days], dtype=float)
        if 0 < flags.sum() < len(days):
            columns.append(flags)
            names.append((name, None))
    exog = np.column_stack(columns)
    offset = None if offsets is None else np.asarray(offsets, dtype=float)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = sm.GLM(
                np.asarray(totals, dtype=float), exog, family=sm.families.Poisson(), offset=offset
            ).fit()
    except (ValueError, np.linalg.LinAlgError):
        return DayFactors()
    params = np.asarray(result.params)
    if not np.all(np.isfinite(params)):
        return DayFactors()
    coefficients = dict(zip(names, params, strict=True))
    raw = {weekday: math.exp(coefficients.get(("weekday", weekday), 0.0)) for weekday in weekdays}
    mean = sum(raw.values()) / len(raw)
    weekday_factors = tuple(raw[w] / mean if w in raw else 1.0 for w in range(7))
    return DayFactors(
        weekday_factors,
        math.exp(coefficients.get(("after_holiday", None), 0.0)),
        math.exp(coefficients.get(("holiday", None), 0.0)),
    )


# --- level -----------------------------------------------------------------------------------


def level_path(adjusted: Sequence[float], steps: int, method: str = SES) -> np.ndarray:
    """The level for 1..``steps`` open days ahead of a day-adjusted series (statsmodels).

    ``ses``: simple exponential smoothing, a flat level. ``holt``: Holt's linear method with
    a damped trend. Fewer than 10 points: the mean of the last five.
    """
    import numpy as np
    from statsmodels.tsa.holtwinters import Holt, SimpleExpSmoothing

    if method not in LEVEL_METHODS:
        raise ValueError(f"unknown level method {method!r}")
    values = np.asarray(adjusted, dtype=float)
    if steps <= 0:
        return np.zeros(0)
    if values.size == 0:
        return np.zeros(steps)
    if values.size < 10:
        return np.full(steps, values[-5:].mean())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if method == SES:
            fitted = SimpleExpSmoothing(values, initialization_method="estimated").fit()
        else:
            fitted = Holt(values, damped_trend=True, initialization_method="estimated").fit()
        path = np.asarray(fitted.forecast(steps), dtype=float)
    return np.maximum(path, 0.0)


# --- intraday profiles -----------------------------------------------------------------------


def intraday_profiles(
    history: History, *, prior_weight: float = PROFILE_PRIOR_WEIGHT
) -> np.ndarray:
    """Shares of each slot per weekday (7 × slots), each row adding up to 1.

    Row w = (counts of weekday w + prior_weight × pooled shares) / (total of w + prior_weight),
    so a weekday with little history leans on the all-days profile. Without history the
    profile is flat.
    """
    import numpy as np

    slots = history.channel.slots
    by_weekday = np.zeros((7, slots))
    for day in history.observed_days():
        by_weekday[day.weekday()] += history.counts[day]
    pooled_total = by_weekday.sum()
    pooled = by_weekday.sum(axis=0) / pooled_total if pooled_total else np.full(slots, 1 / slots)
    totals = by_weekday.sum(axis=1, keepdims=True)
    weight = prior_weight if prior_weight > 0 else 0.0
    denominators = totals + weight
    with np.errstate(invalid="ignore", divide="ignore"):
        profiles = (by_weekday + weight * pooled) / denominators
    profiles[denominators[:, 0] == 0] = pooled
    return profiles


# --- forecast --------------------------------------------------------------------------------


@dataclass
class Forecast:
    """Expected contacts per day (every day of the range, 0 when closed) and per slot."""

    channel: Channel
    daily: dict[dt.date, float]
    intraday: dict[dt.date, np.ndarray]

    @property
    def total(self) -> float:
        return float(sum(self.daily.values()))


def month_days(year: int, month: int) -> list[dt.date]:
    first = dt.date(year, month, 1)
    following = next_month_first(first)
    return [first + dt.timedelta(days=n) for n in range((following - first).days)]


def days_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every day from ``start`` to ``end``, both included."""
    if end < start:
        raise ValueError("the forecast ends before it starts")
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]


def _base_daily(
    history: History,
    start: dt.date,
    span: list[dt.date],
    *,
    events: Sequence[Event],
    out_of_scope_share: float,
    method: str,
) -> tuple[dict[dt.date, float], DayFactors]:
    """History-only forecast of the ``span`` days from the history before ``start`` (no
    client volume, no future event). Days of the span before ``start`` get the first step's
    level: they only give the shape of a month the client's volume is spread over."""
    import numpy as np

    channel = history.channel
    observed = [day for day in history.observed_days() if day < start]
    totals = np.array([history.total(day) for day in observed])
    known = np.array(
        [event_factor(day, channel.code, events, out_of_scope_share) for day in observed]
    )
    factors = fit_day_factors(observed, totals, np.log(known) if observed else None)
    adjusted = totals / (np.array([factors.of(day) for day in observed]) * known)
    cursor = observed[-1] if observed else start - dt.timedelta(days=1)
    ahead, steps = 0, {}
    while cursor < span[-1]:
        cursor += dt.timedelta(days=1)
        if channel.is_open(cursor):
            ahead += 1
            steps[cursor] = ahead
    path = level_path(adjusted, max(ahead, 1), method)
    daily = {}
    for day in span:
        if not channel.is_open(day):
            daily[day] = 0.0
            continue
        step = steps.get(day, 1) if day >= start else 1
        daily[day] = float(path[step - 1]) * factors.of(day)
    return daily, factors


def forecast(
    history: History,
    start: dt.date,
    end: dt.date,
    *,
    events: Sequence[Event] = (),
    client_volumes: Mapping[tuple[int, int], float] | None = None,
    out_of_scope_share: float = OUT_OF_SCOPE_SHARE,
    method: str = SES,
    prior_weight: float = PROFILE_PRIOR_WEIGHT,
) -> Forecast:
    """Forecast ``start``–``end`` from the history before ``start`` (steps 1–4 above).

    ``client_volumes`` maps (year, month) to the client's volume for that month (SPEC §6:
    the Cnam's forecast); the month's open days are rescaled to add up to it, before events.
    """
    channel = history.channel
    days = days_between(start, end)
    client_volumes = client_volumes or {}
    months = sorted({_month_key(day) for day in days if _month_key(day) in client_volumes})
    span = list(days)
    if months:
        span = days_between(
            min(start, dt.date(*months[0], 1)), max(end, month_days(*months[-1])[-1])
        )
    base, factors = _base_daily(
        history, start, span, events=events, out_of_scope_share=out_of_scope_share, method=method
    )
    for month in months:
        in_month = [day for day in month_days(*month) if channel.is_open(day)]
        modelled = sum(base[day] for day in in_month)
        weights = {day: base[day] if modelled > 0 else factors.of(day) for day in in_month}
        weight_total = sum(weights.values())
        for day in in_month:
            base[day] = client_volumes[month] * weights[day] / weight_total if weight_total else 0
    before = history.window(history.start, start - dt.timedelta(days=1))
    profiles = intraday_profiles(before, prior_weight=prior_weight)
    daily, intraday = {}, {}
    for day in days:
        volume = base[day] * event_factor(day, channel.code, events, out_of_scope_share)
        daily[day] = volume
        intraday[day] = volume * profiles[day.weekday()]
    return Forecast(channel, daily, intraday)
