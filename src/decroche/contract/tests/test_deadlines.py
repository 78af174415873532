"""Ten-working-day periods, order validation and target-change dates (SPEC §5, §6)."""

from __future__ import annotations

import datetime as dt

from decroche.contract import deadlines


def test_order_deadline_skips_labour_day():
    # Issued Thursday 30 April 2026; Friday 1 May is a public holiday, then the weekend:
    # working day 1 = Mon 4 May, 2 = Tue 5 May, 3 = Wed 6 May.
    assert deadlines.order_validation_deadline(dt.date(2026, 4, 30)) == dt.date(2026, 5, 6)
    assert not deadlines.order_deemed_valid(dt.date(2026, 4, 30), dt.date(2026, 5, 6))
    assert deadlines.order_deemed_valid(dt.date(2026, 4, 30), dt.date(2026, 5, 7))


def test_ten_day_period_with_two_holidays():
    # From Mon 4 May 2026: 4, 5, 6, 7 (8 May Victory Day), 11, 12, 13 (14 May Ascension),
    # 15, 18, 19 → ten working days end on Tuesday 19 May.
    assert deadlines.ten_day_period(dt.date(2026, 5, 4)) == (
        dt.date(2026, 5, 4),
        dt.date(2026, 5, 19),
    )
    # a start on a holiday moves to the next working day
    assert deadlines.ten_day_period(dt.date(2026, 5, 1))[0] == dt.date(2026, 5, 4)


def test_committee_orders_d10_d20_d30():
    # Committee on Monday 2 March 2026 (no holiday in March): D+10 = Mon 16 March,
    # D+20 = Mon 30 March, D+30 = Tue 14 April (Easter Monday 6 April is skipped).
    periods = deadlines.committee_periods(dt.date(2026, 3, 2))
    assert [start for start, _end in periods] == [
        dt.date(2026, 3, 16),
        dt.date(2026, 3, 30),
        dt.date(2026, 4, 14),
    ]
    assert periods[0][1] == dt.date(2026, 3, 27)


def test_target_change_dates():
    # Notified on 10 March: answer by 15 March, in force for the next quarter (1 April).
    assert deadlines.target_change_dates(dt.date(2026, 3, 10)) == (
        dt.date(2026, 3, 15),
        dt.date(2026, 4, 1),
    )
    # Notified on 11 March: too late for March, counts for April → answer by 15 April,
    # in force from the quarter after April (1 July).
    assert deadlines.target_change_dates(dt.date(2026, 3, 11)) == (
        dt.date(2026, 4, 15),
        dt.date(2026, 7, 1),
    )
    # December notice → first quarter of the next year
    assert deadlines.target_change_dates(dt.date(2026, 12, 2))[1] == dt.date(2027, 1, 1)
    assert not deadlines.silence_means_accepted(dt.date(2026, 3, 15), dt.date(2026, 3, 15))
    assert deadlines.silence_means_accepted(dt.date(2026, 3, 15), dt.date(2026, 3, 16))
