"""The fitted forecast is kept under the digest of its inputs and reused (issue 9, point 11):
same inputs → no refit; a new call, event or client volume → another digest, a refit."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from decroche.planning import forecast_cache, selectors
from decroche.planning.models import ClientForecast, ForecastCache, ForecastEvent
from decroche.planning.tests.test_forecast_commands import add_calls

START, END = dt.date(2026, 6, 1), dt.date(2026, 6, 12)


@pytest.fixture
def fits(monkeypatch):
    """Counts the real fits behind `volume_forecast`."""
    calls = []
    real = selectors.fitted_volume_forecast

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(selectors, "fitted_volume_forecast", counting)
    return calls


def history() -> None:
    for offset in range(40):
        day = START - dt.timedelta(days=offset + 1)
        if day.weekday() < 5:
            add_calls(day, 20 + offset % 7, hour=9 + offset % 3)


@pytest.mark.django_db
def test_same_inputs_are_fitted_once_and_read_back_identical(fits):
    history()
    first = selectors.volume_forecast(START, END)
    second = selectors.volume_forecast(START, END)
    assert len(fits) == 1 and ForecastCache.objects.count() == 1
    fresh = selectors.fitted_volume_forecast(START, END)
    for code in ("calls", "forms"):
        assert second[code].daily == pytest.approx(fresh[code].daily)
        assert second[code].daily == pytest.approx(first[code].daily)
        for day in fresh[code].intraday:
            np.testing.assert_allclose(second[code].intraday[day], fresh[code].intraday[day])
    assert second["calls"].total > 0


@pytest.mark.django_db
def test_each_input_change_refits(fits):
    history()
    selectors.volume_forecast(START, END)
    ForecastEvent.objects.create(
        name="Campagne", kind="campaign", channel="calls", start=START, end=START, uplift="0.5"
    )
    with_event = selectors.volume_forecast(START, END)
    assert len(fits) == 2
    ClientForecast.objects.create(month=dt.date(2026, 6, 1), channel="calls", volume=5000)
    with_client = selectors.volume_forecast(START, END)
    assert len(fits) == 3 and with_client["calls"].total != pytest.approx(with_event["calls"].total)
    add_calls(START - dt.timedelta(days=3), 5)  # an import adds calls to the history
    selectors.volume_forecast(START, END)
    assert len(fits) == 4
    # Another range or parameter is another entry; the earlier ones are still reused.
    selectors.volume_forecast(START, END, use_events=False)
    selectors.volume_forecast(START, END)
    assert len(fits) == 5


@pytest.mark.django_db
def test_an_event_edited_in_place_changes_the_digest():
    event = ForecastEvent.objects.create(
        name="Campagne", kind="campaign", channel="calls", start=START, end=START, uplift="0.5"
    )
    options = {"history_months": 12, "use_events": True, "use_client_forecast": True}
    before = forecast_cache.inputs_digest(START, END, method="ses", **options)
    event.uplift = "0.6"
    event.save()
    assert forecast_cache.inputs_digest(START, END, method="ses", **options) != before


@pytest.mark.django_db
def test_old_entries_are_pruned(monkeypatch):
    monkeypatch.setattr(forecast_cache, "KEEP", 2)
    for days in range(4):
        selectors.volume_forecast(START, END + dt.timedelta(days=days))
    assert ForecastCache.objects.count() == 2


@pytest.mark.django_db
def test_the_order_proposal_reuses_the_fitted_forecast_and_its_share(fits):
    history()
    first = selectors.order_proposal(START)
    assert len(fits) == 1
    again = selectors.order_proposal(START)
    assert len(fits) == 1  # read back, not fitted again
    assert again.out_of_scope_share == pytest.approx(first.out_of_scope_share)
    assert again.plans[0].periods[0].calls == pytest.approx(first.plans[0].periods[0].calls)
