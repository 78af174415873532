"""Forecast volumes per day: SPEC §2 yearly totals spread over working days by the weekday,
day-after-holiday and monthly profiles of `profiles`. Plain functions, no Django import."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from decroche.core.calendar import add_months, is_day_after_holiday, is_working_day

from . import profiles as p


def _nearest_year(year: int, table: dict[int, int]) -> int:
    return min(max(year, min(table)), max(table))


def month_factor(year: int, month: int) -> float:
    """Seasonality × notification wave; a campaign month is +40% on the previous month (SPEC §1)."""
    if (year, month) in p.CAMPAIGN_MONTHS:
        previous = add_months(dt.date(year, month, 1), -1)
        return p.CAMPAIGN_UPLIFT * month_factor(previous.year, previous.month)
    return p.MONTH_FACTOR[month - 1] * p.NOTIFICATION_WAVES.get((year, month), 1.0)


def call_weight(day: dt.date) -> float:
    """Relative call volume of a day; 0 when the service is closed."""
    if not is_working_day(day):
        return 0.0
    weight = p.WEEKDAY_FACTOR[day.weekday()] * month_factor(day.year, day.month)
    if is_day_after_holiday(day):
        weight *= p.DAY_AFTER_HOLIDAY_FACTOR
    return weight


def form_weight(day: dt.date) -> float:
    """Relative form volume of a day (forms arrive every day of the year)."""
    return p.FORMS_WEEKDAY_FACTOR[day.weekday()] * month_factor(day.year, day.month)


def _year_span(year: int) -> tuple[dt.date, dt.date]:
    start = p.CONTRACT_START if year == p.CONTRACT_START.year else dt.date(year, 1, 1)
    return start, dt.date(year, 12, 31)


@lru_cache(maxsize=32)
def _unit_volume(year: int, forms: bool) -> float:
    """Volume per unit of weight that makes the year's days add up to the SPEC §2 total.

    Years outside the forecast reuse the nearest forecast year's daily level."""
    table = p.FORMS_PER_YEAR if forms else p.CALLS_PER_YEAR
    reference = _nearest_year(year, table)
    start, end = _year_span(reference)
    weight = form_weight if forms else call_weight
    total_weight = 0.0
    day = start
    while day <= end:
        total_weight += weight(day)
        day += dt.timedelta(days=1)
    return table[reference] / total_weight


def expected_calls(day: dt.date, scale: float = 1.0) -> float:
    """Forecast calls received on `day` (what the planners staff for)."""
    return call_weight(day) * _unit_volume(day.year, False) * scale


def expected_forms(day: dt.date, scale: float = 1.0) -> float:
    """Forecast forms received on `day`."""
    return form_weight(day) * _unit_volume(day.year, True) * scale


def normal_day_calls(day: dt.date, scale: float = 1.0) -> float:
    """Calls of a plain Tuesday of that month: sizes the calls presented on a holiday."""
    return (
        p.WEEKDAY_FACTOR[1]
        * month_factor(day.year, day.month)
        * _unit_volume(day.year, False)
        * scale
    )
