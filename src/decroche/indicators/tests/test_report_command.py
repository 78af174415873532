import datetime as dt
import json
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from decroche.contacts.models import Call
from decroche.organisation.models import Site

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def march_calls(db):
    north, south = (
        Site.objects.create(code="nord", name="Nord"),
        Site.objects.create(code="sud", name="Sud"),
    )
    rows = [
        (north, "answered", 100, 20),
        (north, "answered", 200, 40),
        (north, "abandoned", 0, 0),
        (south, "answered", 300, 60),
    ]
    for index, (site, outcome, talk, wrap) in enumerate(rows):
        Call.objects.create(
            source_system="t",
            source_id=str(index),
            site=site,
            outcome=outcome,
            talk_seconds=talk,
            wrap_up_seconds=wrap,
            wait_seconds=30,
            arrived_at=dt.datetime(2026, 3, 2 + index, 10, tzinfo=PARIS),
        )


def run(*args) -> str:
    out = StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def test_json_rows_for_overall_and_site(march_calls):
    rows = json.loads(
        run(
            "--period",
            "2026-03",
            "--by",
            "site",
            "--indicators",
            "answer_rate,average_handling_time",
            "--json",
        )
    )
    overall = {r["indicator"]: r for r in rows if "site" not in r}
    assert set(overall["answer_rate"]) >= {
        "indicator",
        "period_start",
        "period_end",
        "numerator",
        "denominator",
        "value",
        "target",
        "status",
    }
    # answered 3 of 4 received
    assert (overall["answer_rate"]["numerator"], overall["answer_rate"]["denominator"]) == (3, 4)
    assert (
        overall["answer_rate"]["period_start"] == "2026-03-01"
        and overall["answer_rate"]["period_end"] == "2026-03-31"
    )
    # DMT: (100 + 200 + 300 + 20 + 40 + 60) / 3 = 240 s
    assert overall["average_handling_time"]["value"] == pytest.approx(240)
    north = [r for r in rows if r.get("site") == "nord" and r["indicator"] == "answer_rate"]
    assert [(r["numerator"], r["denominator"], r["status"]) for r in north] == [(2, 3, "missed")]


def test_daily_grain_and_workbook(march_calls, tmp_path):
    rows = json.loads(
        run("--period", "2026-03", "--grain", "day", "--indicators", "calls_received", "--json")
    )
    # 22 working days in March 2026, every one reported
    assert len(rows) == 22
    assert sum(r["value"] for r in rows) == 4
    path = tmp_path / "report.xlsx"
    run("--period", "2026-03", "--by", "site,site+reason", "--xlsx", str(path))
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Définitions", "Global", "Site", "Site × Motif"]
    cover = workbook["Définitions"]
    assert any(
        row[0].value == "answer_rate" and "décrochés" in row[3].value
        for row in cover.iter_rows(min_row=4)
    )
    site_sheet = workbook["Site"]
    assert site_sheet.freeze_panes == "A2"
    header = [cell.value for cell in site_sheet[1]]
    assert header[:4] == ["Indicateur", "Début", "Fin", "Site"]
    answer_rows = [
        row
        for row in site_sheet.iter_rows(min_row=2, values_only=True)
        if row[0] == "Taux de décroché"
    ]
    assert {row[3]: row[6] for row in answer_rows} == {"nord": pytest.approx(2 / 3), "sud": 1}


def test_bad_arguments_are_explained(db):
    with pytest.raises(CommandError, match="not understood"):
        run("--period", "mars")
    with pytest.raises(CommandError, match="unknown grain"):
        run("--period", "2026-03", "--by", "region")
    with pytest.raises(CommandError, match="unknown or never published"):
        run("--period", "2026-03", "--indicators", "answer_rat")
