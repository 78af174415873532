import datetime as dt

import pytest

from decroche.indicators.periods import PeriodError, parse_period


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03", (dt.date(2026, 3, 1), dt.date(2026, 3, 31), "month")),
        ("2026-02", (dt.date(2026, 2, 1), dt.date(2026, 2, 28), "month")),
        ("2026-12", (dt.date(2026, 12, 1), dt.date(2026, 12, 31), "month")),
        ("2026-Q4", (dt.date(2026, 10, 1), dt.date(2026, 12, 31), "quarter")),
        ("2026-Q1", (dt.date(2026, 1, 1), dt.date(2026, 3, 31), "quarter")),
        ("2026-W10", (dt.date(2026, 3, 2), dt.date(2026, 3, 8), "week")),
        ("2026", (dt.date(2026, 1, 1), dt.date(2026, 12, 31), "month")),
        ("2026-03-02", (dt.date(2026, 3, 2), dt.date(2026, 3, 2), "day")),
        ("2026-03-01..2026-03-15", (dt.date(2026, 3, 1), dt.date(2026, 3, 15), "range")),
    ],
)
def test_periods(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize("text", ["2026-13", "march", "2026-03-15..2026-03-01", "2026-Q5"])
def test_bad_periods(text):
    with pytest.raises(PeriodError):
        parse_period(text)
