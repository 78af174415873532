"""The one calendar module: the Paris date, months and French working days."""

import datetime as dt

import pytest
import time_machine

from decroche.core import calendar


@time_machine.travel(dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC), tick=False)
def test_paris_today_is_the_metropolitan_date_not_the_servers():
    # 23:30 UTC on 31 December is 00:30 on 1 January in Paris (UTC+1 in winter).
    assert calendar.paris_today() == dt.date(2027, 1, 1)
    assert calendar.paris_now().utcoffset() == dt.timedelta(hours=1)


def test_paris_day_of_an_instant_and_naive_refused():
    # 22:30 UTC on 31 March 2026 is 00:30 on 1 April in Paris (UTC+2 in summer).
    assert calendar.paris_day(dt.datetime(2026, 3, 31, 22, 30, tzinfo=dt.UTC)) == dt.date(
        2026, 4, 1
    )
    with pytest.raises(ValueError, match="naive"):
        calendar.paris_day(dt.datetime(2026, 3, 31, 22, 30))


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),  # clipped to February's end
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),  # leap year
        (dt.date(2026, 11, 15), 2, dt.date(2027, 1, 15)),  # across the year
        (dt.date(2026, 2, 15), -2, dt.date(2025, 12, 15)),  # backwards across the year
        (dt.date(2026, 5, 31), -3, dt.date(2026, 2, 28)),
        (dt.date(2026, 12, 3), -12, dt.date(2025, 12, 3)),
        (dt.date(2026, 12, 3), 0, dt.date(2026, 12, 3)),
    ],
)
def test_add_months(day, months, expected):
    assert calendar.add_months(day, months) == expected


def test_month_and_quarter_bounds():
    assert calendar.month_first(dt.date(2026, 2, 17)) == dt.date(2026, 2, 1)
    assert calendar.month_last(dt.date(2026, 2, 17)) == dt.date(2026, 2, 28)
    assert calendar.month_last(dt.date(2026, 12, 3)) == dt.date(2026, 12, 31)
    assert calendar.next_month_first(dt.date(2026, 12, 31)) == dt.date(2027, 1, 1)
    assert calendar.quarter_first(dt.date(2026, 8, 20)) == dt.date(2026, 7, 1)
    assert calendar.quarter_last(dt.date(2026, 8, 20)) == dt.date(2026, 9, 30)
    assert calendar.quarter_last(dt.date(2026, 11, 2)) == dt.date(2026, 12, 31)
    # November 2025 → May 2026: six calendar months (the security review's rhythm).
    assert calendar.months_between(dt.date(2025, 11, 20), dt.date(2026, 5, 1)) == 6


def test_working_days_follow_the_french_calendar():
    # 11 November 2026 (Armistice) is a Wednesday and a public holiday.
    assert calendar.public_holiday_name(dt.date(2026, 11, 11)) is not None
    assert not calendar.is_working_day(dt.date(2026, 11, 11))
    assert not calendar.is_working_day(dt.date(2026, 11, 14))  # a Saturday
    # 9–13 November 2026: five weekdays minus the 11th = four working days.
    assert len(list(calendar.working_days(dt.date(2026, 11, 9), dt.date(2026, 11, 13)))) == 4
    # Tuesday 10 + 1 working day skips the holiday: Thursday 12.
    assert calendar.add_working_days(dt.date(2026, 11, 10), 1) == dt.date(2026, 11, 12)
    assert calendar.add_working_days(dt.date(2026, 11, 12), -1) == dt.date(2026, 11, 10)
    assert calendar.is_day_after_holiday(dt.date(2026, 11, 12))


def test_ten_working_day_period():
    # From Monday 4 May 2026: 8 May (Victory) and 14 May (Ascension) are holidays, so the
    # tenth working day is Tuesday 19 May (4,5,6,7,11,12,13,15,18,19).
    assert calendar.ten_day_period(dt.date(2026, 5, 4)) == (
        dt.date(2026, 5, 4),
        dt.date(2026, 5, 19),
    )
