"""`last_complete_month`: the default month of the dashboards, statement and packs."""

from __future__ import annotations

import datetime as dt

import time_machine

from decroche.core.calendar import last_complete_month


def test_last_complete_month_of_a_given_day():
    assert last_complete_month(dt.date(2026, 12, 3)) == dt.date(2026, 11, 1)
    assert last_complete_month(dt.date(2026, 12, 1)) == dt.date(2026, 11, 1)
    assert last_complete_month(dt.date(2026, 11, 30)) == dt.date(2026, 10, 1)
    # January: December of the year before
    assert last_complete_month(dt.date(2027, 1, 15)) == dt.date(2026, 12, 1)


@time_machine.travel(dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC), tick=False)
def test_last_complete_month_follows_the_paris_calendar():
    # 23:30 UTC on 30 November is 00:30 on 1 December in Paris: November has ended there,
    # while the UTC date still says November.
    assert last_complete_month() == dt.date(2026, 11, 1)
