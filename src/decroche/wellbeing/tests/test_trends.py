"""Incidents before and after the difficult-situations training (issue 14 §5), by hand."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from decroche.contacts.factories import call_build
from decroche.contacts.models import Call
from decroche.core.calendar import PARIS
from decroche.training import selectors as training_selectors
from decroche.training import services as training
from decroche.training.models import Programme
from decroche.wellbeing import services
from decroche.wellbeing.trends import incidents_before_after, training_trends

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 24)


def _event(world, user, day: dt.date, victim) -> None:
    services.report_incident(
        user=user,
        occurred_at=dt.datetime.combine(day, dt.time(11), tzinfo=PARIS),
        site=world["grenoble"],
        place="phone",
        description="Insultes au téléphone.",
        types=["verbal"],
        severity=2,
        victims=[{"advisor": victim}],
    )


def _calls(day: dt.date, count: int, advisor) -> None:
    Call.objects.bulk_create(
        [call_build(day, 9 + index // 60, index % 60, advisor=advisor) for index in range(count)]
    )


@pytest.fixture
def course(incident_world, users):
    """A two-day session, Monday 2 and Tuesday 3 March 2026, Inès and Léa enrolled."""
    programme = Programme.objects.create(
        code="situations-difficiles-agents",
        title="Faire face aux situations difficiles",
        duration_hours=14,
    )
    session = training.session_plan(
        programme=programme,
        reference="SD-2026-03",
        half_days=[
            (dt.date(2026, 3, 2), "am"),
            (dt.date(2026, 3, 2), "pm"),
            (dt.date(2026, 3, 3), "am"),
            (dt.date(2026, 3, 3), "pm"),
        ],
        user=users["administrator"],
        planned_on=dt.date(2026, 1, 20),
    )
    for advisor in (incident_world["ines"], incident_world["lea"]):
        training.enrol(session, by=users["administrator"], advisor=advisor)
    return session


def test_events_per_10000_calls_before_and_after_a_session(incident_world, users, course):
    ines, lea = incident_world["ines"], incident_world["lea"]
    # Before: 4 events of Inès and 2 of Léa between 11 February and 1 March; one on
    # 1 February, outside the window, does not count.
    for day in (12, 13, 16, 17):
        _event(incident_world, users["advisor"], dt.date(2026, 2, day), ines)
    for day in (18, 19):
        _event(incident_world, users["advisor"], dt.date(2026, 2, day), lea)
    _event(incident_world, users["advisor"], dt.date(2026, 2, 1), lea)
    # After: 2 events, under 5, so suppressed.
    _event(incident_world, users["advisor"], dt.date(2026, 3, 10), ines)
    _event(incident_world, users["advisor"], dt.date(2026, 3, 12), lea)
    # Calls handled by the trainees: 200 + 100 before, 400 after; 50 calls of no one.
    _calls(dt.date(2026, 2, 16), 200, ines)
    _calls(dt.date(2026, 2, 18), 100, lea)
    _calls(dt.date(2026, 2, 18), 50, None)
    _calls(dt.date(2026, 3, 16), 400, ines)

    [trend] = training_trends(TODAY)

    # The after-window runs from 4 March (the day after the last half-day) to today,
    # 24 March excluded: 20 days; the before-window is the 20 days before 2 March.
    assert (trend.after.start, trend.after.end) == (dt.date(2026, 3, 4), dt.date(2026, 3, 24))
    assert (trend.before.start, trend.before.end) == (dt.date(2026, 2, 10), dt.date(2026, 3, 2))
    assert trend.days == 20 and trend.trainees == 2
    # Before: 6 events for 300 calls = 6 × 10,000 / 300 = 200.00 per 10,000 calls.
    assert (trend.before.events, trend.before.calls) == (6, 300)
    assert trend.before.per_10000_calls == 200.0
    # After: 2 events (suppressed, and so is their rate) for 400 calls.
    assert (trend.after.events, trend.after.calls, trend.after.per_10000_calls) == (None, 400, None)


def test_the_window_is_at_most_ninety_days_and_a_session_not_ended_is_left_out(course):
    [trend] = training_trends(dt.date(2026, 12, 1))
    assert trend.days == 90 and trend.before.start == dt.date(2026, 3, 2) - dt.timedelta(90)
    assert training_trends(dt.date(2026, 3, 3)) == []  # its last half-day is today


def test_the_statistics_page_and_command_show_the_trend(client, users, course):
    client.force_login(users["staff_representative"])
    page = client.get(reverse("incident-statistics") + "?period=2026-03").content.decode()
    assert "Avant et après la formation aux situations difficiles" in page
    assert "SD-2026-03" in page and "02/03/2026 – 03/03/2026" in page
    out = StringIO()
    call_command("incident_stats", "--period", "2026-03", "--json", stdout=out)
    [line] = json.loads(out.getvalue())["training_trend"]
    # As of the end of March: 1 April − 4 March = 28 days in each window.
    assert line["session"] == "SD-2026-03" and line["days"] == 28
    assert line["before"]["start"] == "2026-02-02" and line["after"]["end"] == "2026-04-01"


def test_the_session_page_of_training_gets_the_trainees_incident_rate(incident_world, users):
    assert incidents_before_after in training_selectors._BEFORE_AFTER_PROVIDERS
    ines, lea = incident_world["ines"], incident_world["lea"]
    for day in (2, 3, 4, 5, 6):  # 5 events in the 30 days before, of Inès or Léa
        _event(incident_world, users["advisor"], dt.date(2026, 2, day), ines if day % 2 else lea)
    _event(incident_world, users["advisor"], dt.date(2026, 3, 10), ines)  # 1 after
    _calls(dt.date(2026, 2, 9), 250, ines)
    _calls(dt.date(2026, 3, 16), 100, lea)
    row = incidents_before_after(
        {ines.login, lea.login},
        (dt.date(2026, 1, 31), dt.date(2026, 3, 1)),
        (dt.date(2026, 3, 4), dt.date(2026, 4, 2)),
    )
    # Before: 5 events / 250 calls × 10,000 = 200.0; after: 1 event, under 5, not shown.
    assert (row.before, row.after) == (200.0, None)
    assert row.label == "Incidents subis pour 10 000 appels traités"
