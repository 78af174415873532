"""The forecast page (events, client forecasts) and the order-proposal page: anonymous →
sign-in, a role without the permission → 403, the planner → 200; writes go through the
services with an audit entry and change the forecast shown; the XLSX reads back."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from decroche.contacts.models import Call
from decroche.core.models import AuditEntry
from decroche.planning.models import ClientForecast, ForecastEvent

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
START, END = dt.date(2026, 3, 2), dt.date(2026, 3, 13)  # two working weeks; history in February
CAMPAIGN_DAY = dt.date(2026, 3, 4)
RANGE = {"start": START.isoformat(), "end": END.isoformat()}


@pytest.fixture
def calls(site):
    """Four weeks of calls before START: 20 every weekday between 09:00 and 10:00."""
    number = 0
    for week in range(4):
        for weekday in range(5):
            day = START - dt.timedelta(weeks=4 - week) + dt.timedelta(days=weekday)
            for minute in range(0, 60, 3):
                number += 1
                Call.objects.create(
                    source_system="test",
                    source_id=str(number),
                    site=site,
                    outcome="answered",
                    arrived_at=dt.datetime.combine(day, dt.time(9, minute), tzinfo=PARIS),
                    talk_seconds=240,
                    wrap_up_seconds=60,
                )


def event_data(**extra) -> dict:
    """The event form's fields, with its prefix."""
    data = {
        "name": "Campagne TV",
        "kind": "campaign",
        "channel": "calls",
        "start": CAMPAIGN_DAY.isoformat(),
        "end": CAMPAIGN_DAY.isoformat(),
        "uplift": "0.40",
        "note": "",
    }
    return {f"event-{key}": value for key, value in {**data, **extra}.items()}


def calls_by_day(response) -> dict[dt.date, float]:
    return {row["day"]: row["calls"] for row in response.context["rows"]}


@pytest.mark.parametrize("name", ["planning-forecast", "planning-order-proposal"])
def test_page_access(client, users, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    for role in ("advisor", "team_leader", "client_auditor"):
        client.force_login(users[role])
        assert client.get(url).status_code == 403, role
    for role in ("workforce_planner", "site_manager"):
        client.force_login(users[role])
        assert client.get(url).status_code == 200, role


def test_writes_refused_without_permission_and_on_get(client, users):
    event = ForecastEvent.objects.create(
        name="Vague", kind="notification", channel="forms", start=START, end=START, uplift=0.1
    )
    month = ClientForecast.objects.create(month=START.replace(day=1), channel="calls", volume=9)
    client.force_login(users["site_manager"])  # reads, never writes
    page = client.get(reverse("planning-forecast"), RANGE).content.decode()
    assert reverse("planning-event-add") not in page
    assert reverse("planning-event-delete", args=[event.pk]) not in page
    posts = [
        (reverse("planning-event-add"), event_data()),
        (reverse("planning-event-delete", args=[event.pk]), {}),
        (
            reverse("planning-client-forecast-save"),
            {"client-month": "2026-04", "client-channel": "calls", "client-volume": "5"},
        ),
        (reverse("planning-client-forecast-delete", args=[month.pk]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    client.force_login(users["workforce_planner"])
    for url, _data in posts:
        assert client.get(url).status_code == 405, url
    assert ForecastEvent.objects.count() == 1 and ClientForecast.objects.count() == 1
    assert not AuditEntry.objects.filter(action__startswith="planning.").exists()


def test_planner_adds_a_campaign_and_the_forecast_follows(client, users, calls):
    client.force_login(users["workforce_planner"])
    url = reverse("planning-forecast")
    before = calls_by_day(client.get(url, RANGE))
    assert before[CAMPAIGN_DAY] > 0

    # The page's range travels with each write, to come back to it.
    response = client.post(reverse("planning-event-add"), {**event_data(), **RANGE})
    assert response.status_code == 302
    assert response["Location"] == f"{url}?start={START}&end={END}"
    event = ForecastEvent.objects.get()
    assert (event.name, event.kind, event.channel, str(event.uplift)) == (
        "Campagne TV",
        "campaign",
        "calls",
        "0.400",
    )
    entry = AuditEntry.objects.get(action="planning.forecast_event.created")
    assert entry.user == users["workforce_planner"] and Decimal(entry.data["uplift"]) == Decimal(
        "0.4"
    )

    response = client.get(response["Location"])
    after = calls_by_day(response)
    # A +0.40 campaign multiplies the day's calls by 1 + 0.40 = 1.4 (e.g. 20 → 28);
    # the other days keep their forecast.
    assert after[CAMPAIGN_DAY] == pytest.approx(before[CAMPAIGN_DAY] * 1.4)
    for day in before:
        if day != CAMPAIGN_DAY:
            assert after[day] == pytest.approx(before[day])
    page = response.content.decode()
    assert "Campagne TV" in page
    row = next(r for r in response.context["rows"] if r["day"] == CAMPAIGN_DAY)
    assert row["events"] == [event]

    response = client.post(reverse("planning-event-delete", args=[event.pk]), RANGE)
    assert response.status_code == 302
    assert not ForecastEvent.objects.exists()
    assert AuditEntry.objects.filter(action="planning.forecast_event.deleted").count() == 1
    assert calls_by_day(client.get(url, RANGE))[CAMPAIGN_DAY] == pytest.approx(before[CAMPAIGN_DAY])


def test_an_event_ending_before_it_starts_is_refused(client, users):
    client.force_login(users["workforce_planner"])
    response = client.post(
        reverse("planning-event-add"), event_data(start="2026-03-10", end="2026-03-09")
    )
    assert response.status_code == 200
    assert not ForecastEvent.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="planning.").exists()
    errors = response.context["event_form"].errors
    assert "end" in errors
    assert str(errors["end"][0]) in response.content.decode()


def test_client_forecast_added_replaced_and_deleted(client, users):
    client.force_login(users["workforce_planner"])
    url = reverse("planning-client-forecast-save")
    data = {
        "client-month": "2026-04",
        "client-channel": "calls",
        "client-volume": "42000",
        "client-received_on": "",
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, {**data, "client-volume": "45000"}).status_code == 302
    row = ClientForecast.objects.get()
    assert (row.month, row.volume) == (dt.date(2026, 4, 1), 45000)
    replaced = AuditEntry.objects.get(action="planning.client_forecast.replaced")
    assert (replaced.data["previous_volume"], replaced.data["volume"]) == (42000, 45000)
    assert client.post(reverse("planning-client-forecast-delete", args=[row.pk])).status_code == 302
    assert not ClientForecast.objects.exists()
    assert AuditEntry.objects.filter(action="planning.client_forecast.deleted").count() == 1


def test_order_proposal_page_and_workbook(client, users, calls):
    client.force_login(users["workforce_planner"])
    query = {"committee": "2026-03-02", "shrinkage": "20"}
    response = client.get(reverse("planning-order-proposal"), query)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<caption>") == 4
    assert len(response.context["periods"]) == 3
    assert len(response.context["days"]) == 10  # the firm period's ten working days
    export = reverse("planning-order-proposal-export")
    assert export in page

    response = client.get(export, query)
    assert response.status_code == 200
    assert "proposition-commande-2026-03-02.xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.sheetnames) == 7  # the summary, then one sheet per scenario
    assert "02/03/2026" in workbook.worksheets[0]["A1"].value
