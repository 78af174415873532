"""`decroche schedule`: a stored run, its JSON summary and its workbook."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from decroche.planning.models import ScheduleRun
from decroche.planning.tests.test_schedule_views import START, world  # noqa: F401

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("schedule", *args, stdout=out)
    return out.getvalue()


def test_schedule_command_json_and_xlsx(world, tmp_path, site):  # noqa: F811
    path = tmp_path / "horaires.xlsx"
    args = ["--from", "2026-03-02", "--days", "2", "--weekly-hours-min", "0", "--time-limit", "10"]
    data = json.loads(run(*args, "--site", site.code, "--json", "--xlsx", str(path)))
    stored = ScheduleRun.objects.get()
    assert data["run"] == stored.pk and data["site"] == site.code
    assert (data["start"], data["end"], data["working_days"]) == ("2026-03-02", "2026-03-03", 2)
    assert data["status"] in ("optimal", "feasible") and data["phone_shortfall_hours"] == 0
    assert data["paid_hours"] >= data["lower_bound_hours"] > 0
    assert data["shifts"] == stored.shifts.count() > 0
    assert len(load_workbook(path).worksheets) == 3
    text = run(*args)
    assert str(ScheduleRun.objects.first().pk) in text and START.isoformat() in text


def test_schedule_command_errors(world):  # noqa: F811
    with pytest.raises(CommandError):
        run("--from", "2026-03-02", "--site", "nowhere")
    with pytest.raises(CommandError):
        run("--from", "2026-03-02", "--min-daily-hours", "9", "--max-daily-hours", "4")
    with pytest.raises(CommandError):
        run("--from", "2026-03-02", "--days", "99")
