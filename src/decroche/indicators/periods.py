"""Periods and their buckets (no Django import): reading period expressions such as
`2026-03`, `2026-W10`, `2026-Q1`, and cutting a range into day, week, month or quarter
buckets (SPEC §3).
"""

from __future__ import annotations

import datetime as dt
import re

from decroche.core.calendar import (
    add_months,
    is_working_day,
    month_last,
    quarter_first,
    quarter_last,
)

PERIODS = ("day", "week", "month", "quarter", "range")


class PeriodError(ValueError):
    pass


def parse_period(text: str) -> tuple[dt.date, dt.date, str]:
    """(first day, last day, natural bucket) of a period expression.

    Accepted: `2026` (year), `2026-Q1`, `2026-03` (month), `2026-W10` (ISO week),
    `2026-03-02` (day) and `2026-03-01..2026-03-15` (custom range).
    """
    text = text.strip()
    try:
        if ".." in text:
            first, last = (dt.date.fromisoformat(part) for part in text.split("..", 1))
            if last < first:
                raise PeriodError(f"period {text!r}: the end precedes the start")
            return first, last, "range"
        if re.fullmatch(r"\d{4}", text):
            year = int(text)
            return dt.date(year, 1, 1), dt.date(year, 12, 31), "month"
        if match := re.fullmatch(r"(\d{4})-Q([1-4])", text, re.IGNORECASE):
            year, quarter = int(match.group(1)), int(match.group(2))
            first = dt.date(year, 3 * quarter - 2, 1)
            last = quarter_last(first)
            return first, last, "quarter"
        if match := re.fullmatch(r"(\d{4})-W(\d{2})", text, re.IGNORECASE):
            first = dt.date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
            return first, first + dt.timedelta(days=6), "week"
        if match := re.fullmatch(r"(\d{4})-(\d{2})", text):
            year, month = int(match.group(1)), int(match.group(2))
            first = dt.date(year, month, 1)
            last = month_last(first)
            return first, last, "month"
        day = dt.date.fromisoformat(text)
        return day, day, "day"
    except ValueError as error:
        if isinstance(error, PeriodError):
            raise
        raise PeriodError(
            f"period {text!r} is not understood: use 2026, 2026-Q1, 2026-03, 2026-W10, 2026-03-02 "
            "or 2026-03-01..2026-03-15"
        ) from error


def uncovered(
    start: dt.date, end: dt.date, spans: list[tuple[dt.date, dt.date | None]]
) -> list[tuple[dt.date, dt.date]]:
    """The (first day, last day) runs of start..end that no span covers; a span is
    (valid from, valid to), valid to None meaning open-ended (an indicator's versions)."""
    gaps: list[tuple[dt.date, dt.date]] = []
    cursor = start
    for first, last in sorted(spans, key=lambda span: span[0]):
        if cursor > end:
            break
        if last is not None and last < cursor:
            continue
        if first > cursor:
            gaps.append((cursor, min(first - dt.timedelta(days=1), end)))
        if last is None:
            return gaps
        cursor = max(cursor, last + dt.timedelta(days=1))
    if cursor <= end:
        gaps.append((cursor, end))
    return gaps


def bucket_start(day: dt.date, period: str, range_start: dt.date) -> dt.date:
    if period == "day":
        return day
    if period == "week":
        return day - dt.timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    if period == "quarter":
        return quarter_first(day)
    return range_start


def bucket_end(start: dt.date, period: str, range_end: dt.date) -> dt.date:
    if period == "day":
        return start
    if period == "week":
        return start + dt.timedelta(days=6)
    if period in {"month", "quarter"}:
        months = 1 if period == "month" else 3
        return month_last(add_months(start, months - 1))
    return range_end


def buckets(
    start: dt.date, end: dt.date, period: str, *, closed_days: bool = False
) -> list[tuple[dt.date, dt.date]]:
    """The (first day, last day) of each bucket of `period` between start and end.

    Day buckets are working days only (SPEC §1: the service opens Monday–Friday outside
    public holidays), or every calendar day with `closed_days`: the buckets a contact can
    fall in, as a closed day with contacts still shows (see `_assemble`). Other buckets are
    calendar weeks, months, quarters clipped to the range.
    """
    if period not in PERIODS:
        raise ValueError(f"period must be one of {PERIODS}, not {period!r}")
    seen: list[tuple[dt.date, dt.date]] = []
    day = start
    while day <= end:
        if period != "day" or closed_days or is_working_day(day):
            first = max(bucket_start(day, period, start), start)
            last = min(bucket_end(bucket_start(day, period, start), period, end), end)
            if not seen or seen[-1][0] != first:
                seen.append((first, last))
        day += dt.timedelta(days=1)
    return seen
