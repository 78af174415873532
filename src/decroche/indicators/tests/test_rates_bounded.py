"""Every rate of the catalogue stays within [0, 1] on generated months, at every grain
(SPEC §3: indicators measured daily, weekly, monthly; overall, per site, per reason, per
advisor). A quantity that can exceed 100 % is not a rate (issue 18, point 1)."""

from __future__ import annotations

import datetime as dt

import pytest

from decroche.indicators.catalogue import load_catalogue
from decroche.indicators.selectors import indicator_reports
from decroche.synthetic.services import traffic_generate

pytestmark = pytest.mark.django_db(transaction=True)

# Across a month's end, so that forms received on the last days and answered on the first
# days of the next month are in the range (the cause of the 110–192 % response rates).
START, END = dt.date(2026, 1, 26), dt.date(2026, 2, 6)
RATES = [i.id for i in load_catalogue().indicators if i.unit == "rate"]
GRAINS = [(), ("site",), ("reason",), ("advisor",), ("team",)]


@pytest.mark.parametrize("seed", [1, 7, 23])
def test_every_rate_is_within_zero_and_one_at_every_grain(seed):
    traffic_generate(start=START, end=END, seed=seed, scale=0.05, background=False)
    checked = 0
    for period in ("day", "week", "month"):
        reports = indicator_reports(start=START, end=END, period=period, grains=GRAINS, codes=RATES)
        for grain, results in reports.items():
            for result in results:
                if result.value is None:
                    continue
                checked += 1
                assert 0 <= result.value <= 1, (
                    f"{result.indicator} {period} {grain} {result.keys} {result.period_start}: "
                    f"{result.numerator} / {result.denominator} = {result.value}"
                )
    # The generated months reach the rates that had exceeded 100 %, at every grain.
    assert checked > 1000


def test_rate_list_holds_the_rates_that_had_exceeded_one():
    assert {"answer_rate", "forms_response_rate", "accessibility_rate"} <= set(RATES)
