"""The service level: share of the calls put in wait answered within N seconds, N being a
parameter of the indicator version (issue 17, point 22). Hand-computed, on the contact
tables and on the daily summary alike."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from decroche.contacts.models import Call
from decroche.indicators.catalogue import load_catalogue
from decroche.indicators.models import IndicatorVersion
from decroche.indicators.queries import summary
from decroche.indicators.selectors import compute, indicator_report
from decroche.indicators.services import indicator_draft_create, indicator_publish, refresh_summary

PARIS = ZoneInfo("Europe/Paris")
CATALOGUE = load_catalogue()
SERVICE_LEVEL = next(d for d in CATALOGUE.indicators if d.id == "service_level")
MONDAY, TUESDAY = dt.date(2026, 3, 2), dt.date(2026, 3, 3)
pytestmark = pytest.mark.django_db

# (origin, outcome, wait in seconds) of the calls of each day.
CALLS = [
    ("direct", "answered", 5),  # within 20 s
    ("direct", "answered", 20),  # within 20 s: "within" includes the threshold
    ("direct", "answered", 21),  # not within 20 s, within 30 s
    ("direct", "abandoned", 40),  # put in wait, never answered
    ("direct", "overflowed_out", 60),  # put in wait, left the queue unanswered
    ("direct", "dissuaded_closure", 0),  # never put in wait: out of the denominator
    ("direct", "dissuaded_telecom", 0),  # excused by the contract: out of it too
    ("direct", "ended_in_ivr", 0),  # not a call received by the group
    ("transfer_in", "answered", 0),  # within 20 s
]


def _calls(day: dt.date) -> None:
    for n, (origin, outcome, wait) in enumerate(CALLS):
        Call.objects.create(
            source_system="t",
            source_id=f"{day}-{n}",
            arrived_at=dt.datetime.combine(day, dt.time(10, n), tzinfo=PARIS),
            origin=origin,
            outcome=outcome,
            wait_seconds=wait,
        )


def _value(results, day: dt.date):
    row = next(r for r in results if r.indicator == "service_level" and r.period_start == day)
    return row.numerator, row.denominator, row.value


def test_service_level_by_hand_on_the_tables_and_on_the_summary():
    _calls(MONDAY)
    arguments = dict(start=MONDAY, end=MONDAY, period="day")
    live = compute([SERVICE_LEVEL], CATALOGUE.measures, **arguments)
    # Numerator: answered with a wait <= 20 s: waits 5, 20 and 0 (the transfer) = 3.
    # Denominator (calls put in wait): received direct, not ended in the IVR = 7, + 1
    # transfer in + 0 overflow in, − 1 dissuaded on closure − 1 on telecom problem = 6.
    # 3 / 6 = 0.5.
    assert _value(live, MONDAY) == (3, 6, 0.5)
    refresh_summary()
    reads = []
    original = summary.summary_fine_values

    def spy(*args):
        reads.append(original(*args))
        return reads[-1]

    summary.summary_fine_values = spy
    try:
        from_summary = compute([SERVICE_LEVEL], CATALOGUE.measures, **arguments)
    finally:
        summary.summary_fine_values = original
    assert reads and all(fine is not None for fine in reads)  # really read from the summary
    assert _value(from_summary, MONDAY) == (3, 6, 0.5)


def test_the_threshold_is_a_parameter_of_the_version():
    _calls(MONDAY)
    _calls(TUESDAY)
    first = IndicatorVersion.objects.get(code="service_level", version=1)
    # The parameter is frozen into the published formula, as the measures are.
    assert 'count(calls where outcome = "answered" and wait_seconds <= 20) /' in (
        first.resolved_formula
    )
    assert "answer_within" not in first.resolved_formula
    draft = indicator_draft_create(
        code="service_level",
        label=first.label,
        category="phone",
        formula=first.formula.replace("answer_within = 20", "answer_within = 30"),
        unit="rate",
        target="",
        valid_from=TUESDAY,
    )
    indicator_publish(draft=draft, valid_from=TUESDAY)
    results = indicator_report(start=MONDAY, end=TUESDAY, period="day", codes=["service_level"])
    assert _value(results, MONDAY) == (3, 6, 0.5)  # version 1: 20 s
    # Version 2, 30 s: the wait of 21 s is now within: 4 / 6.
    assert _value(results, TUESDAY) == (4, 6, pytest.approx(4 / 6))


def test_the_service_level_stays_within_zero_and_one_on_every_grain():
    _calls(MONDAY)
    for grain in [(), ("site",), ("advisor",), ("reason",), ("channel",)]:
        for result in compute(
            [SERVICE_LEVEL], CATALOGUE.measures, start=MONDAY, end=MONDAY, grain=grain
        ):
            assert result.value is None or 0 <= result.value <= 1
