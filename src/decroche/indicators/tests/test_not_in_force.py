"""Days without any version in force (issue 9, point 2; SPEC §3): the shipped catalogue holds
from the beginning, so history before the contract is measured; an indicator whose first
version starts later is not measured before it, and the report, its exports and the
dashboard say so, naming the indicator and the dates."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from decroche.contacts.factories import WORLD_DAY as DAY
from decroche.contacts.models import Call
from decroche.core.models import AuditEntry
from decroche.indicators.catalogue import BEGINNING
from decroche.indicators.models import IndicatorVersion
from decroche.indicators.periods import uncovered
from decroche.indicators.selectors import NotInForce, indicator_report, not_in_force
from decroche.indicators.services import (
    catalogue_load,
    indicator_draft_create,
    indicator_publish,
)

PARIS = ZoneInfo("Europe/Paris")
MID_MARCH = dt.date(2026, 3, 16)
D = dt.date


def call(day: dt.date, outcome: str) -> Call:
    return Call.objects.create(
        source_system="test",
        source_id=f"{day}-{Call.objects.count()}",
        arrived_at=dt.datetime.combine(day, dt.time(10), tzinfo=PARIS),
        outcome=outcome,
        origin="direct",
    )


def publish_answered_calls(valid_from: dt.date, valid_to: dt.date | None = None):
    """A user-defined indicator, `answered_calls`, first published from `valid_from`."""
    draft = indicator_draft_create(
        code="answered_calls",
        label="Appels décrochés",
        category="phone",
        formula="calls_answered",
        unit="count",
        target="",
        valid_from=valid_from,
    )
    version = indicator_publish(draft=draft, valid_from=valid_from)
    if valid_to is not None:
        version.valid_to = valid_to
        version.save(update_fields=["valid_to"])
    return version


def report(*args: str) -> StringIO:
    out, err = StringIO(), StringIO()
    call_command("report", *args, stdout=out, stderr=err)
    return out, err


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        ([], [(D(2026, 3, 1), D(2026, 3, 31))]),
        ([(D(2026, 3, 16), None)], [(D(2026, 3, 1), D(2026, 3, 15))]),
        ([(D(2026, 1, 1), D(2026, 3, 10))], [(D(2026, 3, 11), D(2026, 3, 31))]),
        # two versions with a gap from 11 to 19 March; the second ends before the month does
        (
            [(D(2026, 3, 20), D(2026, 3, 25)), (D(2026, 1, 1), D(2026, 3, 10))],
            [(D(2026, 3, 11), D(2026, 3, 19)), (D(2026, 3, 26), D(2026, 3, 31))],
        ),
        ([(BEGINNING, None)], []),
        ([(D(2026, 4, 1), None)], [(D(2026, 3, 1), D(2026, 3, 31))]),
    ],
)
def test_uncovered_days(spans, expected):
    assert uncovered(D(2026, 3, 1), D(2026, 3, 31), spans) == expected


@pytest.mark.django_db
def test_history_before_the_contract_is_measured_with_the_shipped_catalogue():
    # October 2025, before the contract's start (9 November 2025): 1 answered / 2 received.
    call(D(2025, 10, 15), "answered")
    call(D(2025, 10, 15), "abandoned")
    (october,) = indicator_report(
        start=D(2025, 10, 1), end=D(2025, 10, 31), period="month", codes=["answer_rate"]
    )
    assert (october.numerator, october.denominator) == (1, 2)
    assert not_in_force(start=D(2025, 10, 1), end=D(2025, 10, 31)) == []
    first = IndicatorVersion.objects.get(code="answer_rate", version=1)
    assert first.valid_from == BEGINNING and first.since_beginning


@pytest.mark.django_db
def test_an_older_database_gets_its_first_versions_from_the_beginning(make_user):
    # A database loaded with the former catalogue (first versions from 9 November 2025).
    IndicatorVersion.objects.filter(version=1).update(valid_from=D(2025, 11, 9))
    # A user-defined indicator published from 1 March keeps its date.
    own = publish_answered_calls(D(2026, 3, 1))
    catalogue_load()
    assert set(
        IndicatorVersion.objects.exclude(code="answered_calls").values_list("valid_from", flat=True)
    ) == {BEGINNING}
    own.refresh_from_db()
    assert own.valid_from == D(2026, 3, 1)
    moved = AuditEntry.objects.filter(action="indicators.version.backdated")
    assert moved.count() == IndicatorVersion.objects.exclude(code="answered_calls").count()
    assert moved.filter(data__code="answer_rate", data__previous_valid_from="2025-11-09").exists()
    catalogue_load()  # idempotent: nothing moves twice
    assert AuditEntry.objects.filter(action="indicators.version.backdated").count() == moved.count()


@pytest.mark.django_db
def test_a_version_from_mid_march_is_not_measured_before_and_the_report_says_so():
    publish_answered_calls(MID_MARCH)
    call(D(2026, 3, 10), "answered")  # before the version: not measured by answered_calls
    call(D(2026, 3, 17), "answered")
    call(D(2026, 3, 17), "answered")
    call(D(2026, 3, 17), "abandoned")
    assert not_in_force(start=D(2026, 3, 1), end=D(2026, 3, 31), codes=["answered_calls"]) == [
        NotInForce("answered_calls", "Appels décrochés", D(2026, 3, 1), D(2026, 3, 15))
    ]
    # The month row of answered_calls runs from 16 to 31 March: 2 answered (17 March); the
    # shipped answer rate keeps one row for the whole month: 3 answered / 4 received.
    results = indicator_report(
        start=D(2026, 3, 1),
        end=D(2026, 3, 31),
        period="month",
        codes=["answered_calls", "answer_rate"],
    )
    rows = {r.indicator: r for r in results}
    assert len(results) == 2
    assert (rows["answered_calls"].period_start, rows["answered_calls"].period_end) == (
        MID_MARCH,
        D(2026, 3, 31),
    )
    assert rows["answered_calls"].value == 2
    assert (rows["answer_rate"].period_start, rows["answer_rate"].numerator) == (D(2026, 3, 1), 3)
    # At the day grain, answered_calls has no row before 16 March.
    days = indicator_report(
        start=D(2026, 3, 1), end=D(2026, 3, 31), period="day", codes=["answered_calls"]
    )
    assert min(r.period_start for r in days) == MID_MARCH

    # JSON: the result rows unchanged, then one row per run of days not measured.
    out, _err = report(
        "--period", "2026-03", "--indicators", "answered_calls,answer_rate", "--json"
    )
    rows = json.loads(out.getvalue())
    notice = [r for r in rows if r.get("not_in_force")]
    assert notice == [
        {
            "indicator": "answered_calls",
            "period_start": "2026-03-01",
            "period_end": "2026-03-15",
            "numerator": None,
            "denominator": None,
            "value": None,
            "target": None,
            "status": "not_in_force",
            "not_in_force": True,
            "label": "Appels décrochés",
        }
    ]
    measured = [r for r in rows if not r.get("not_in_force")]
    assert {r["indicator"]: r["period_start"] for r in measured} == {
        "answered_calls": "2026-03-16",
        "answer_rate": "2026-03-01",
    }
    assert all("not_in_force" not in r for r in measured)

    # Text: a warning line naming the indicator and the dates.
    out, _err = report("--period", "2026-03", "--indicators", "answered_calls")
    assert (
        "warning: answered_calls: no version in force from 2026-03-01 to 2026-03-15, not measured"
        in out.getvalue()
    )


@pytest.mark.django_db
def test_csv_and_workbook_carry_the_notice(tmp_path):
    publish_answered_calls(MID_MARCH)
    call(D(2026, 3, 17), "answered")
    xlsx, csv_path = tmp_path / "r.xlsx", tmp_path / "r.csv"
    _out, err = report(
        "--period",
        "2026-03",
        "--indicators",
        "answered_calls",
        "--xlsx",
        str(xlsx),
        "--csv",
        str(csv_path),
    )
    assert "answered_calls: no version in force from 2026-03-01 to 2026-03-15" in err.getvalue()
    rows = list(csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8"))))
    assert [(r["period_start"], r["period_end"], r["status"], r["value"]) for r in rows] == [
        ("2026-03-16", "2026-03-31", "no_target", "1.0"),
        ("2026-03-01", "2026-03-15", "not_in_force", ""),
    ]
    cover = [row for row in load_workbook(xlsx)["Définitions"].iter_rows(values_only=True)]
    texts = [row[1] for row in cover if row[0] == "answered_calls" and isinstance(row[1], str)]
    assert (
        "Aucune version de « Appels décrochés » (answered_calls) n'est en vigueur du 01/03/2026 "
        "au 15/03/2026 : ces jours ne sont pas mesurés pour lui." in texts
    )
    # The cover lists the version in force during the month, though not on its first day.
    assert any(row[0] == "answered_calls" and row[7] == 1 for row in cover)


@pytest.mark.django_db
def test_the_dashboard_names_the_indicator_and_the_days_not_measured(client, users, world):
    # DAY is Monday 12 January 2026; the month view covers 1 to 31 January.
    publish_answered_calls(D(2026, 1, 12), valid_to=D(2026, 1, 20))
    client.force_login(users["workforce_planner"])
    params = {"view": "month", "day": DAY.isoformat(), "level": "overall"}
    response = client.get(reverse("indicator-dashboard"), params)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Certains jours ne sont pas mesurés" in page
    for start, end in (("01/01/2026", "11/01/2026"), ("21/01/2026", "31/01/2026")):
        assert (
            f"Aucune version de « Appels décrochés » (answered_calls) n&#x27;est en vigueur "
            f"du {start} au {end}"
        ) in page
    # The figure itself: 4 answered by Grenoble and Lyon on 12 January (contacts.factories.two_site_world).
    rows = {row["code"]: row for row in response.context["overall_rows"]}
    assert rows["answered_calls"]["value"] == "4"
    export = client.get(reverse("indicator-dashboard"), {**params, "export": "csv"})
    statuses = [r["status"] for r in csv.DictReader(io.StringIO(export.content.decode()))]
    assert statuses.count("not_in_force") == 2


@pytest.mark.django_db
def test_the_dashboard_shows_no_notice_when_every_indicator_is_in_force(client, users, world):
    client.force_login(users["workforce_planner"])
    response = client.get(
        reverse("indicator-dashboard"),
        {"view": "month", "day": DAY.isoformat(), "level": "overall"},
    )
    assert response.context["not_measured"] == []
    assert "Certains jours ne sont pas mesurés" not in response.content.decode()
