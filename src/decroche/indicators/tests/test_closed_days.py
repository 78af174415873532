"""Closed days at the day grain (issue 9, point 1; SPEC §1, docs/indicators.md): a contact
on a Sunday or a public holiday counts in its week and month, and its day shows as a row of
its own; a closed day without contacts shows nowhere. Hand-computed figures."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse

from decroche.contacts.factories import WORLD_DAY as DAY
from decroche.contacts.models import Call, ContactForm
from decroche.indicators.periods import buckets
from decroche.indicators.selectors import indicator_report
from decroche.indicators.services import refresh_summary

PARIS = ZoneInfo("Europe/Paris")
pytestmark = pytest.mark.django_db

# Week 10 of 2026: Monday 2 to Sunday 8 March. Week 20: Monday 11 to Sunday 17 May, with
# Ascension on Thursday 14 May. Friday 1 May 2026 is Labour Day.
SUNDAY_8_MARCH = dt.date(2026, 3, 8)
LABOUR_DAY = dt.date(2026, 5, 1)
ASCENSION = dt.date(2026, 5, 14)


def call(day: dt.date, outcome: str, *, wait: int = 0, hour: int = 10) -> Call:
    return Call.objects.create(
        source_system="test",
        source_id=f"{day}-{Call.objects.count()}",
        arrived_at=dt.datetime.combine(day, dt.time(hour), tzinfo=PARIS),
        outcome=outcome,
        origin="direct",
        wait_seconds=wait,
    )


def by_day(code: str, start: dt.date, end: dt.date) -> dict[dt.date, object]:
    results = indicator_report(start=start, end=end, period="day", codes=[code])
    return {r.period_start: r for r in results}


def report(*args: str) -> list[dict]:
    out = StringIO()
    call_command("report", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_a_sunday_contact_at_the_end_of_a_week_has_its_day_row():
    call(dt.date(2026, 3, 4), "answered", wait=20)
    call(dt.date(2026, 3, 4), "answered", wait=40)
    call(dt.date(2026, 3, 4), "abandoned", wait=60)
    call(SUNDAY_8_MARCH, "answered", wait=100)
    call(SUNDAY_8_MARCH, "abandoned", wait=200)
    days = by_day("answer_rate", dt.date(2026, 3, 2), SUNDAY_8_MARCH)
    # Monday to Friday always show; Saturday 7 March (no contact) does not; Sunday 8 does.
    assert sorted(days) == [dt.date(2026, 3, d) for d in (2, 3, 4, 5, 6, 8)]
    # Sunday: 1 answered / 2 received = 0.5 (target >= 0.90: missed).
    sunday = days[SUNDAY_8_MARCH]
    assert (sunday.numerator, sunday.denominator, sunday.value, sunday.status) == (
        1,
        2,
        0.5,
        "missed",
    )
    assert sunday.period_end == SUNDAY_8_MARCH
    # Wednesday: 2 / 3.
    assert (days[dt.date(2026, 3, 4)].numerator, days[dt.date(2026, 3, 4)].denominator) == (2, 3)
    # The days add up to the week: (2 + 1) / (3 + 2) = 3 / 5 = 0.6.
    (week,) = indicator_report(
        start=dt.date(2026, 3, 2), end=SUNDAY_8_MARCH, period="week", codes=["answer_rate"]
    )
    assert (week.numerator, week.denominator) == (3, 5)
    # Average wait on Sunday: (100 + 200) / 2 = 150 s.
    assert by_day("average_wait", SUNDAY_8_MARCH, SUNDAY_8_MARCH)[SUNDAY_8_MARCH].value == 150


def test_a_week_with_a_holiday_gap_shows_the_holiday_only_with_contacts():
    call(dt.date(2026, 5, 11), "answered")
    call(dt.date(2026, 5, 13), "answered")
    working = [dt.date(2026, 5, d) for d in (11, 12, 13, 15)]
    # Thursday 14 (Ascension), Saturday 16 and Sunday 17: no contact, no row.
    assert sorted(by_day("calls_received", dt.date(2026, 5, 11), dt.date(2026, 5, 17))) == working
    call(ASCENSION, "answered")
    call(ASCENSION, "abandoned")
    days = by_day("calls_received", dt.date(2026, 5, 11), dt.date(2026, 5, 17))
    assert sorted(days) == sorted([*working, ASCENSION])
    # 2 calls received on Ascension day; Monday 1, Tuesday 0, Wednesday 1, Friday 0.
    assert [days[d].value for d in sorted(days)] == [1, 0, 1, 2, 0]


def test_a_report_of_a_single_closed_day_prints_its_figures():
    call(LABOUR_DAY, "answered", wait=30)
    call(LABOUR_DAY, "answered", wait=30)
    call(LABOUR_DAY, "abandoned", wait=90)
    assert buckets(LABOUR_DAY, LABOUR_DAY, "day") == []  # not a working day
    rows = report("--period", "2026-05-01", "--indicators", "answer_rate,calls_received")
    by_code = {r["indicator"]: r for r in rows}
    assert set(by_code) == {"answer_rate", "calls_received"}
    # 2 answered / 3 received.
    answer_rate = by_code["answer_rate"]
    assert (answer_rate["numerator"], answer_rate["denominator"]) == (2, 3)
    assert answer_rate["period_start"] == answer_rate["period_end"] == "2026-05-01"
    assert by_code["calls_received"]["value"] == 3
    # The same day in a month at the day grain: May 2026 has 21 weekdays, less the holidays
    # 1, 8, 14 and 25 May = 17 working days, + 1 May for its contacts = 18 rows.
    month = report("--period", "2026-05", "--grain", "day", "--indicators", "calls_received")
    assert len(month) == 21 - 4 + 1
    assert [r["value"] for r in month if r["period_start"] == "2026-05-01"] == [3]


def test_a_closed_day_without_contacts_prints_nothing():
    assert report("--period", "2026-05-01", "--indicators", "calls_received") == []


@pytest.mark.parametrize("summary", [False, True], ids=["contact tables", "daily summary"])
def test_the_backlog_on_a_closed_day_is_the_stock_of_that_day(summary):
    def form(number: int, received: dt.date, answered: dt.date | None) -> None:
        ContactForm.objects.create(
            source_system="test",
            source_id=str(number),
            received_at=dt.datetime.combine(received, dt.time(9), tzinfo=PARIS),
            answered_at=dt.datetime.combine(answered, dt.time(11), tzinfo=PARIS)
            if answered
            else None,
        )

    # Forms received on Friday 6 March (3) and Saturday 7 (1); one of Friday's answered on
    # Monday 9. A call on Saturday makes Saturday a row.
    form(1, dt.date(2026, 3, 6), None)
    form(2, dt.date(2026, 3, 6), None)
    form(3, dt.date(2026, 3, 6), dt.date(2026, 3, 9))
    form(4, dt.date(2026, 3, 7), None)
    call(dt.date(2026, 3, 7), "answered")
    if summary:
        refresh_summary()
    results = indicator_report(
        start=dt.date(2026, 3, 6),
        end=dt.date(2026, 3, 9),
        period="day",
        codes=["calls_received", "forms_backlog"],
    )
    days = {r.period_start: r for r in results if r.indicator == "forms_backlog"}
    # Friday: 3 open; Saturday: 3 + 1 = 4 open; Sunday (no contact): no row; Monday: 4 - 1 = 3.
    assert {d: r.value for d, r in days.items()} == {
        dt.date(2026, 3, 6): 3,
        dt.date(2026, 3, 7): 4,
        dt.date(2026, 3, 9): 3,
    }


def test_the_dashboard_day_view_of_a_sunday_has_its_column(client, users, world):
    sunday = DAY - dt.timedelta(days=1)  # Sunday 11 January 2026
    world["call"](world["ines"], world["grenoble"], "answered", 30, day=sunday)
    world["call"](None, world["grenoble"], "abandoned", 90, day=sunday)
    client.force_login(users["workforce_planner"])
    response = client.get(
        reverse("indicator-dashboard"),
        {"view": "day", "day": sunday.isoformat(), "level": "overall"},
    )
    assert response.status_code == 200
    rows = {row["code"]: row for row in response.context["overall_rows"]}
    assert rows["calls_received"]["value"] == "2"
    # The trend (28 days to Sunday 11 January): Sunday 11 is its last column, with
    # 1 answered / 2 = 50 %; Saturday 10 January, Christmas and New Year's Day (no contact)
    # have none; Monday 5 January (a working day) has one.
    (answer_chart,) = [c for c in response.context["charts"] if c["title"] == "Taux de décroché"]
    dates = [row[0] for row in answer_chart["rows"]]
    assert dates[-1] == "11/01"
    assert answer_chart["rows"][-1][1] == "50,0\u00a0%"  # no-break space (core.formatting)
    assert "05/01" in dates
    assert not {"10/01", "25/12", "01/01"} & set(dates)
