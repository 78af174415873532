"""The pure traffic generator: determinism, calibration on SPEC §1-§2, queue and states."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from decroche.synthetic import profiles, queueing, shifts, traffic, volumes


def _days(start: dt.date, end: dt.date, **options) -> list[traffic.DayTraffic]:
    return list(traffic.generate(start, end, **options))


@pytest.fixture(scope="module")
def month() -> list[traffic.DayTraffic]:
    """March 2026 at full scale: about 127,000 calls."""
    return _days(dt.date(2026, 3, 1), dt.date(2026, 3, 31), seed=7)


def _calls(days: list[traffic.DayTraffic]) -> traffic.CallArrays:
    parts = [day.calls for day in days if day.calls is not None]
    return traffic.CallArrays(
        **{
            name: np.concatenate([getattr(c, name) for c in parts])
            for name in traffic.CallArrays.__dataclass_fields__
        }
    )


def test_same_seed_same_traffic_and_other_seed_differs():
    first = _days(dt.date(2026, 1, 12), dt.date(2026, 1, 14), seed=3, scale=0.05)
    again = _days(dt.date(2026, 1, 12), dt.date(2026, 1, 14), seed=3, scale=0.05)
    other = _days(dt.date(2026, 1, 12), dt.date(2026, 1, 14), seed=4, scale=0.05)
    for a, b in zip(first, again, strict=True):
        for name in traffic.CallArrays.__dataclass_fields__:
            assert np.array_equal(getattr(a.calls, name), getattr(b.calls, name)), name
        assert np.array_equal(a.states.started, b.states.started)
    assert not np.array_equal(first[0].calls.arrived, other[0].calls.arrived)


def test_a_day_does_not_depend_on_the_range_it_is_generated_in():
    alone = _days(dt.date(2026, 1, 14), dt.date(2026, 1, 14), seed=3, scale=0.05)[0]
    within = _days(dt.date(2026, 1, 12), dt.date(2026, 1, 14), seed=3, scale=0.05)[-1]
    assert np.array_equal(alone.calls.arrived, within.calls.arrived)


def test_yearly_forecast_adds_up_to_spec_volumes():
    year_2026 = sum(
        volumes.expected_calls(dt.date(2026, 1, 1) + dt.timedelta(days=n)) for n in range(365)
    )
    from_9_november = sum(
        volumes.expected_calls(dt.date(2025, 11, 9) + dt.timedelta(days=n)) for n in range(53)
    )
    forms_2026 = sum(
        volumes.expected_forms(dt.date(2026, 1, 1) + dt.timedelta(days=n)) for n in range(365)
    )
    assert year_2026 == pytest.approx(1_424_153)
    assert from_9_november == pytest.approx(217_725)
    assert forms_2026 == pytest.approx(72_328)
    assert volumes.expected_calls(dt.date(2026, 1, 1)) == 0  # public holiday
    assert volumes.expected_calls(dt.date(2026, 1, 3)) == 0  # Saturday


def test_profiles_campaign_weekday_and_day_after_holiday():
    # March 2026: base 1.00, no wave; April 2026 is the campaign month: 1.40 × March.
    assert volumes.month_factor(2026, 3) == pytest.approx(1.00)
    assert volumes.month_factor(2026, 4) == pytest.approx(1.40)
    # Easter Monday 6 April 2026 is a holiday: Tuesday 7 April = 1.05 × 1.40 × 1.20 = 1.764,
    # a plain Tuesday (14 April) = 1.05 × 1.40 = 1.47.
    assert volumes.call_weight(dt.date(2026, 4, 7)) == pytest.approx(1.764)
    assert volumes.call_weight(dt.date(2026, 4, 14)) == pytest.approx(1.47)
    assert volumes.call_weight(dt.date(2026, 3, 9)) > volumes.call_weight(
        dt.date(2026, 3, 13)
    )  # Monday > Friday


def test_generated_volume_follows_forecast(month):
    calls = _calls(month)
    in_hours = (calls.outcome != traffic.CLOSURE).sum()
    expected = sum(volumes.expected_calls(dt.date(2026, 3, d)) for d in range(1, 32))
    assert in_hours == pytest.approx(expected, rel=0.03)


def test_reason_mix_handling_time_and_every_outcome(month):
    calls = _calls(month)
    answered = calls.outcome == traffic.ANSWERED
    qualified = calls.reason[answered & (calls.reason >= 0)]
    share = np.bincount(qualified, minlength=len(traffic.REASONS)) / len(qualified)
    for code, expected in (
        ("cv-serial-unreadable", 0.35),
        ("out-of-scope", 0.18),
        ("enrolment-support", 0.13),
        ("opposition-closure", 0.02),
    ):
        assert share[traffic.REASONS.index(code)] == pytest.approx(expected, abs=0.01), code
    assert (calls.reason[answered] < 0).mean() == pytest.approx(
        profiles.UNQUALIFIED_SHARE, abs=0.005
    )
    handling = (calls.talk + calls.wrap_up)[answered].mean()
    assert handling == pytest.approx(249.6, rel=0.03)  # 4.16 min × 60 s
    assert set(np.unique(calls.outcome)) == set(range(len(traffic.OUTCOMES)))
    assert set(np.unique(calls.origin)) == {0, 1, 2}
    assert set(np.unique(calls.widening)) == {0, 1, 2}
    assert 0.02 < calls.transferred_n1plus[answered].mean() < 0.08
    assert calls.n2_ticket.any() and calls.technical_incident.any()


def test_answer_rate_and_wait_respond_to_staffing(month):
    rates = []
    for day in month:
        if day.staffed:
            c = day.calls
            counted = ~np.isin(
                c.outcome,
                [traffic.TELECOM, traffic.CLOSURE, traffic.OVERFLOWED, traffic.TAKEN_BACK],
            )
            rates.append((c.outcome == traffic.ANSWERED).sum() / counted.sum())
    assert 0.90 <= np.median(rates) <= 0.97
    assert min(rates) < max(rates) - 0.02


def test_forms_about_ninety_per_advisor_day(month):
    per_advisor_day = []
    for day in month:
        if day.forms is not None and day.staffed:
            answered = day.forms.advisor[day.forms.answered >= 0]
            per_advisor_day += np.unique(answered, return_counts=True)[1].tolist()
    assert np.median(per_advisor_day) == pytest.approx(90, abs=6)


def test_states_do_not_overlap_and_match_the_calls(month):
    day = next(d for d in month if d.staffed)
    states, calls = day.states, day.calls
    answered = calls.outcome == traffic.ANSWERED
    talking = states.duration[states.state == shifts.STATES.index("talking")].sum()
    wrapping = states.duration[states.state == shifts.STATES.index("wrap_up")].sum()
    assert talking == pytest.approx(
        calls.talk[answered].sum(), abs=len(np.unique(calls.advisor[answered])) * shifts.SLOTS
    )
    assert wrapping == pytest.approx(
        calls.wrap_up[answered].sum(), abs=len(np.unique(calls.advisor[answered])) * shifts.SLOTS
    )
    for advisor in np.unique(states.advisor):
        mine = states.advisor == advisor
        order = np.argsort(states.started[mine])
        starts, ends = states.started[mine][order], (states.started + states.duration)[mine][order]
        assert (ends[:-1] <= starts[1:]).all()


def test_queue_serves_in_order_and_lets_impatient_callers_go():
    # One advisor free from 0 to 1000 s. Call A at 0 takes 100 s; call B at 10 s would
    # start at 100 s, a 90 s wait: it hangs up with 50 s of patience, is served with 200 s.
    windows = [[(0, 1000)]]
    arrivals, service = np.array([0, 10]), np.array([100, 100])
    starts, advisors = queueing.simulate(arrivals, np.array([999, 50]), service, windows)
    assert starts.tolist() == [0, -1] and advisors.tolist() == [0, -1]
    starts, _ = queueing.simulate(arrivals, np.array([999, 200]), service, windows)
    assert starts.tolist() == [0, 100]
    # A second advisor back from a break at 30 s takes B after a 20 s wait.
    starts, advisors = queueing.simulate(
        arrivals, np.array([999, 50]), service, [[(0, 1000)], [(30, 1000)]]
    )
    assert starts.tolist() == [0, 30] and advisors.tolist() == [0, 1]
