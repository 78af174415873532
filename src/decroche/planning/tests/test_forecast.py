"""Volume forecast on small built histories: WAPE, day factors, holidays, intraday profiles,
events, the client's monthly volume and the seasonal-naive baseline (SPEC §1, §2, §6)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from decroche.planning import backtest, forecast
from decroche.planning.forecast import CALLS, Channel, Event, History

# Two slots keep the arithmetic writable; open on French working days like calls.
TWO_SLOTS = Channel("calls", 17, 2, True)
# Open days of a plain week: Monday 120, Tuesday–Thursday 100, Friday 80 (mean 100).
WEEK = {0: 120.0, 1: 100.0, 2: 100.0, 3: 100.0, 4: 80.0}
AFTER_HOLIDAY = 1.5


def built_history(start: dt.date, end: dt.date, *, times=None, channel=TWO_SLOTS) -> History:
    """Every working day: WEEK[weekday] (× 1.5 the day after a holiday, × times(day)),
    split 40% / 60% over the two slots."""
    counts = {}
    day = start
    while day <= end:
        if channel.is_open(day):
            total = WEEK[day.weekday()]
            if forecast.is_after_holiday(day):
                total *= AFTER_HOLIDAY
            total *= times(day) if times else 1.0
            counts[day] = np.array([0.4 * total, 0.6 * total])
        day += dt.timedelta(days=1)
    return History(channel, start, end, counts)


HISTORY = built_history(dt.date(2026, 3, 2), dt.date(2026, 4, 26))  # Easter Monday 6 April


def test_wape_hand_computed():
    # |100 − 90| + |50 − 60| + |0 − 5| = 25 over 150 received → 1/6.
    assert backtest.wape([100, 50, 0], [90, 60, 5]) == pytest.approx(25 / 150)
    assert backtest.wape([0, 0], [3, 4]) is None
    with pytest.raises(ValueError):
        backtest.wape([1, 2], [1])


def test_accuracy_by_day_and_by_half_hour():
    # Day 1: actual [10, 30], forecast [20, 20]: day error |40 − 40| = 0, slots 10 + 10 = 20.
    # Day 2: actual [0, 10], forecast [5, 0]: day error 5, slots 5 + 10 = 15. Σ actual 50.
    days = [dt.date(2026, 3, 2), dt.date(2026, 3, 3)]
    actual = History(
        TWO_SLOTS, days[0], days[1], {days[0]: np.array([10, 30]), days[1]: np.array([0, 10])}
    )
    predicted = forecast.Forecast(
        TWO_SLOTS,
        {days[0]: 40.0, days[1]: 5.0},
        {days[0]: np.array([20.0, 20.0]), days[1]: np.array([5.0, 0.0])},
    )
    result = backtest.accuracy(actual, predicted, days)
    assert result.wape_by_day == pytest.approx(5 / 50)
    assert result.wape_by_half_hour == pytest.approx(35 / 50)


def test_day_factors_recover_weekdays_and_the_day_after_a_holiday():
    days = HISTORY.observed_days()
    factors = forecast.fit_day_factors(days, [HISTORY.total(day) for day in days])
    # Normalised to mean 1 over the five weekdays: 120/100, 1, 1, 1, 80/100.
    assert factors.weekday[:5] == pytest.approx((1.2, 1.0, 1.0, 1.0, 0.8), rel=1e-6)
    assert factors.after_holiday == pytest.approx(AFTER_HOLIDAY, rel=1e-6)


def test_holidays_are_closed_and_the_day_after_is_uplifted():
    result = forecast.forecast(HISTORY, dt.date(2026, 4, 27), dt.date(2026, 5, 11))
    daily = result.daily
    assert daily[dt.date(2026, 4, 27)] == pytest.approx(120, rel=1e-6)  # plain Monday
    assert daily[dt.date(2026, 4, 30)] == pytest.approx(100, rel=1e-6)  # Thursday
    assert daily[dt.date(2026, 5, 1)] == 0  # Labour Day, Friday
    assert daily[dt.date(2026, 5, 2)] == daily[dt.date(2026, 5, 3)] == 0  # weekend
    assert daily[dt.date(2026, 5, 4)] == pytest.approx(120 * 1.5, rel=1e-6)  # Monday after
    assert daily[dt.date(2026, 5, 8)] == 0  # Victory Day, Friday
    assert daily[dt.date(2026, 5, 11)] == pytest.approx(180, rel=1e-6)
    # Half-hours: the 40/60 split learned from the history.
    assert result.intraday[dt.date(2026, 4, 27)] == pytest.approx([48, 72], rel=1e-6)


def test_intraday_profile_per_weekday_leans_on_the_pooled_profile():
    monday, tuesday = dt.date(2026, 3, 2), dt.date(2026, 3, 3)
    history = History(
        TWO_SLOTS, monday, tuesday, {monday: np.array([30, 70]), tuesday: np.array([50, 50])}
    )
    profiles = forecast.intraday_profiles(history, prior_weight=100)
    # Pooled: [80, 120] / 200 = [0.4, 0.6]. Monday: (30 + 100 × 0.4, 70 + 100 × 0.6) / 200.
    assert profiles[0] == pytest.approx([0.35, 0.65])
    assert profiles[1] == pytest.approx([0.45, 0.55])
    assert profiles[2] == pytest.approx([0.4, 0.6])  # Wednesday: no history, pooled
    assert forecast.intraday_profiles(history, prior_weight=0)[0] == pytest.approx([0.3, 0.7])


def test_events_multiply_the_days_they_cover():
    events = [
        Event("campaign", "calls", dt.date(2026, 5, 4), dt.date(2026, 5, 5), 0.40),
        Event("deterrence", "calls", dt.date(2026, 5, 5), dt.date(2026, 5, 6), 0.20),
        Event("campaign", "forms", dt.date(2026, 5, 4), dt.date(2026, 5, 7), 1.0),  # other channel
    ]
    daily = forecast.forecast(
        HISTORY, dt.date(2026, 5, 4), dt.date(2026, 5, 7), events=events, out_of_scope_share=0.18
    ).daily
    # Deterrence of 20 points on an 18% share removes every out-of-scope call: × 0.82.
    assert daily[dt.date(2026, 5, 4)] == pytest.approx(180 * 1.4, rel=1e-6)
    assert daily[dt.date(2026, 5, 5)] == pytest.approx(100 * 1.4 * 0.82, rel=1e-6)
    assert daily[dt.date(2026, 5, 6)] == pytest.approx(100 * 0.82, rel=1e-6)
    assert daily[dt.date(2026, 5, 7)] == pytest.approx(100, rel=1e-6)


def test_deterrence_reads_points_of_the_out_of_scope_share():
    # Share 30% → 10%: in-scope 70% of N stays and is 90% of N' → N'/N = 0.7 / 0.9.
    assert forecast.deterrence_factor(0.20, 0.30) == pytest.approx(0.7 / 0.9)
    assert forecast.deterrence_factor(0.05, 0.18) == pytest.approx(0.82 / 0.87)
    assert forecast.deterrence_factor(0.0, 0.18) == 1.0
    with pytest.raises(ValueError):
        Event("deterrence", "calls", dt.date(2026, 5, 4), dt.date(2026, 5, 4), 1.5)
    with pytest.raises(ValueError):
        Event("campaign", "calls", dt.date(2026, 5, 4), dt.date(2026, 5, 3), 0.4)


def test_a_past_event_is_taken_out_of_the_history():
    campaign = Event("campaign", "calls", dt.date(2026, 3, 30), dt.date(2026, 4, 24), 0.40)
    inflated = built_history(
        dt.date(2026, 3, 2),
        dt.date(2026, 4, 26),
        times=lambda day: 1.4 if campaign.start <= day <= campaign.end else 1.0,
    )
    monday = dt.date(2026, 4, 27)
    known = forecast.forecast(inflated, monday, monday, events=[campaign]).daily[monday]
    unknown = forecast.forecast(inflated, monday, monday).daily[monday]
    assert known == pytest.approx(120, rel=1e-6)
    assert unknown > 130  # without the event the campaign weeks lift the level


def test_client_monthly_volume_rescales_the_month():
    may = forecast.forecast(
        HISTORY, dt.date(2026, 5, 4), dt.date(2026, 5, 31), client_volumes={(2026, 5): 3000}
    )
    # The whole month adds up to the client's figure (1–3 May are outside the range: the
    # part of May shown is what the rescaled month puts there).
    whole = forecast.forecast(
        HISTORY, dt.date(2026, 5, 1), dt.date(2026, 5, 31), client_volumes={(2026, 5): 3000}
    )
    assert whole.total == pytest.approx(3000)
    assert may.daily[dt.date(2026, 5, 4)] == pytest.approx(whole.daily[dt.date(2026, 5, 4)])
    # The shape stays: a plain Monday is 1.2 × a plain Tuesday.
    assert whole.daily[dt.date(2026, 5, 18)] / whole.daily[dt.date(2026, 5, 19)] == pytest.approx(
        1.2
    )


def test_client_volume_without_history_is_split_over_open_days():
    empty = History(CALLS, dt.date(2026, 5, 1), dt.date(2026, 5, 31), {})
    june = forecast.forecast(
        empty, dt.date(2026, 6, 1), dt.date(2026, 6, 30), client_volumes={(2026, 6): 2200}
    )
    # June 2026 has 22 working days and no holiday: 100 a day, 0 on weekends.
    assert june.daily[dt.date(2026, 6, 1)] == pytest.approx(100)
    assert june.daily[dt.date(2026, 6, 6)] == 0
    assert forecast.forecast(empty, dt.date(2026, 6, 1), dt.date(2026, 6, 30)).total == 0


def test_forms_are_forecast_on_every_day():
    forms = Channel("forms", 0, 2, False)
    start, end = dt.date(2026, 3, 2), dt.date(2026, 4, 26)
    counts = {}
    day = start
    while day <= end:
        counts[day] = np.array([10.0, 30.0]) if day.weekday() < 5 else np.array([5.0, 15.0])
        day += dt.timedelta(days=1)
    daily = forecast.forecast(
        History(forms, start, end, counts), end + dt.timedelta(days=1), end + dt.timedelta(days=7)
    ).daily
    assert daily[dt.date(2026, 5, 1)] == pytest.approx(40, rel=1e-6)  # a holiday: forms come
    assert daily[dt.date(2026, 5, 2)] == pytest.approx(20, rel=1e-6)  # Saturday


def test_seasonal_naive_copies_the_last_open_same_weekday():
    naive = backtest.seasonal_naive(HISTORY, dt.date(2026, 4, 13), dt.date(2026, 4, 17))
    # Monday 6 April is Easter Monday: Monday 13 copies Monday 30 March, slot by slot.
    assert naive.intraday[dt.date(2026, 4, 13)] == pytest.approx([48, 72])
    # Tuesday 14 copies Tuesday 7 April, the day after Easter Monday (1.5 × 100).
    assert naive.daily[dt.date(2026, 4, 14)] == pytest.approx(150)
    closed = backtest.seasonal_naive(HISTORY, dt.date(2026, 5, 1), dt.date(2026, 5, 1))
    assert closed.daily[dt.date(2026, 5, 1)] == 0


def test_backtest_month_measures_model_and_naive():
    # June 2026 actual = the built pattern; the model forecasts it exactly from March–May.
    # The naive copies the last week of May, where Tuesday 26 May follows Whit Monday (150):
    # June's 5 Tuesdays at 100 get 150 → error 5 × 50 = 250 over June's 2,220 calls.
    full = built_history(dt.date(2026, 3, 2), dt.date(2026, 6, 30))
    result = backtest.backtest_month(full, (2026, 6), history_start=dt.date(2026, 3, 2))
    june_total = sum(full.total(day) for day in forecast.month_days(2026, 6))
    assert june_total == 5 * 120 + 5 * 100 + 4 * 100 + 4 * 100 + 4 * 80 == 2220
    assert result.model.wape_by_day == pytest.approx(0, abs=1e-6)
    assert result.naive.wape_by_day == pytest.approx(250 / 2220)
    assert result.origin == dt.date(2026, 6, 1)


def test_parse_month_and_lead_days():
    assert backtest.parse_month("2026-03") == (2026, 3)
    for text in ("2026-13", "2026-3", "March", "2026-00"):
        with pytest.raises(ValueError):
            backtest.parse_month(text)
    # 10 working days before Monday 1 June 2026: Friday 15 May (Whit Monday 25 May skipped).
    assert backtest.origin_of((2026, 6), 10) == dt.date(2026, 5, 15)
