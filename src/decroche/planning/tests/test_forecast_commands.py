"""`decroche forecast` and `decroche backtest` on the database: stored events and client
forecasts, outputs, errors, and the model against seasonal-naive on generated traffic."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from decroche.contacts.models import Call, ContactForm
from decroche.planning import selectors
from decroche.planning.models import ClientForecast, ForecastEvent
from decroche.synthetic.services import traffic_generate

PARIS = ZoneInfo("Europe/Paris")


def run(command: str, *args: str) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def add_calls(day: dt.date, count: int, *, hour: int = 9, outcome: str = "answered") -> None:
    Call.objects.bulk_create(
        Call(
            source_system="test",
            source_id=f"{day}-{hour}-{outcome}-{n}",
            arrived_at=dt.datetime.combine(day, dt.time(hour, n % 30), tzinfo=PARIS),
            day=day,
            half_hour=hour * 2 + (n % 30) // 30,
            outcome=outcome,
        )
        for n in range(count)
    )


@pytest.mark.django_db
def test_history_counts_opening_half_hours_and_leaves_closure_and_ivr_out():
    monday = dt.date(2026, 3, 2)
    add_calls(monday, 5, hour=9)  # 09:00 → slot 1
    add_calls(monday, 2, hour=8)  # 08:00, before opening
    add_calls(monday, 3, hour=10, outcome="dissuaded_closure")
    add_calls(monday, 4, hour=11, outcome="ended_in_ivr")  # never presented to the group
    ContactForm.objects.create(
        source_system="test",
        source_id="f1",
        received_at=dt.datetime(2026, 3, 2, 23, 40, tzinfo=PARIS),
    )
    calls = selectors.call_history(monday, monday)
    assert calls.counts[monday][1] == 5 and calls.total(monday) == 5
    forms = selectors.form_history(monday, monday)
    assert forms.counts[monday][47] == 1  # 23:30–24:00 Paris time


@pytest.mark.django_db
def test_stored_events_and_client_forecasts_reach_the_forecast():
    ClientForecast.objects.create(month=dt.date(2026, 6, 1), channel="calls", volume=2200)
    ForecastEvent.objects.create(
        name="Campagne",
        kind="campaign",
        channel="calls",
        start=dt.date(2026, 6, 2),
        end=dt.date(2026, 6, 2),
        uplift="0.400",
    )
    result = selectors.volume_forecast(dt.date(2026, 6, 1), dt.date(2026, 6, 2))
    # No history: the client's 2,200 calls over June's 22 working days, then +40% on the 2nd.
    assert result["calls"].daily[dt.date(2026, 6, 1)] == pytest.approx(100)
    assert result["calls"].daily[dt.date(2026, 6, 2)] == pytest.approx(140)
    plain = selectors.volume_forecast(
        dt.date(2026, 6, 1), dt.date(2026, 6, 2), use_events=False, use_client_forecast=False
    )
    assert plain["calls"].total == 0


@pytest.mark.django_db
def test_event_and_client_forecast_validation():
    event = ForecastEvent(
        name="Message SVI",
        kind="deterrence",
        channel="forms",
        start=dt.date(2026, 6, 2),
        end=dt.date(2026, 6, 1),
        uplift="1.5",
    )
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert {"end", "channel"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError):
        ClientForecast(month=dt.date(2026, 6, 2), channel="calls", volume=1).full_clean()


@pytest.mark.django_db
def test_forecast_command_outputs(tmp_path):
    for week in range(4):
        for offset in range(5):
            add_calls(dt.date(2026, 3, 2) + dt.timedelta(days=7 * week + offset), 10)
    text = run("forecast", "--from", "2026-03-30", "--to", "2026-04-05")
    assert "2026-03-30" in text and "2026-04-04" in text
    data = json.loads(run("forecast", "--from", "2026-03-30", "--to", "2026-03-31", "--json"))
    assert data["history"] == {"from": "2025-03-30", "to": "2026-03-29"}
    monday = data["days"][0]
    assert monday["calls"] == pytest.approx(10, rel=0.01)
    assert list(monday["calls_by_half_hour"])[:2] == ["08:30", "09:00"]
    assert len(monday["forms_by_half_hour"]) == 48
    out = tmp_path / "f.csv"
    run("forecast", "--from", "2026-03-30", "--to", "2026-03-30", "--csv", str(out))
    lines = out.read_text().splitlines()
    assert lines[0] == "day,channel,half_hour,volume" and len(lines) == 1 + 18 + 48


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args, message",
    [
        (["--from", "2026-03-05", "--to", "2026-03-01"], "--from"),
        # The command speaks French (LANGUAGE_CODE): "AAAA-MM-JJ" is the French YYYY-MM-DD.
        (["--from", "2026-03-32", "--to", "2026-04-01"], "AAAA-MM-JJ"),
        (["--from", "2026-03-02", "--to", "2026-03-03", "--history-months", "0"], "1"),
    ],
)
def test_forecast_command_errors(args, message):
    with pytest.raises(CommandError, match=message):
        run("forecast", *args)


@pytest.mark.django_db
def test_backtest_command_errors():
    with pytest.raises(CommandError, match="2026-13"):
        run("backtest", "--months", "2026-03,2026-13")
    with pytest.raises(CommandError, match="2026-03"):
        run("backtest", "--months", "2026-03")  # nothing recorded


@pytest.mark.django_db(transaction=True)
def test_model_beats_seasonal_naive_by_day_on_generated_traffic():
    # Three months of synthetic traffic at a tenth of the SPEC §2 volume (≈ 550 calls a
    # working day); June and July are forecast from the month before them only.
    traffic_generate(start=dt.date(2026, 5, 1), end=dt.date(2026, 7, 31), seed=3, scale=0.1)
    data = json.loads(
        run("backtest", "--months", "2026-06,2026-07", "--history-months", "1", "--json")
    )
    calls = data["overall"]["calls"]
    assert calls["model"]["actual"] > 20_000
    assert calls["model"]["wape_by_day"] < calls["seasonal_naive"]["wape_by_day"]
    assert calls["model"]["wape_by_half_hour"] < calls["seasonal_naive"]["wape_by_half_hour"]
