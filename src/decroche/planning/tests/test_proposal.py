"""Order proposal (SPEC §6): one interval's load → agents → hours by hand, forms hours,
scenarios in the right order, the command and the estimates it reads."""

from __future__ import annotations

import datetime as dt
import io
import json
import math
from io import StringIO
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from decroche.contacts.models import Call
from decroche.planning import proposal, selectors
from decroche.planning.proposal import Inputs, build_proposal

PARIS = ZoneInfo("Europe/Paris")
COMMITTEE = dt.date(2026, 3, 6)  # D+10 = Friday 20 March: period 20 March – 2 April
MONDAY = dt.date(2026, 3, 23)
TEN_O_CLOCK = 3  # slot 3 = 10:00–10:30 (slot 0 = 08:30)


def one_interval(calls: float) -> dict[dt.date, np.ndarray]:
    slots = np.zeros(18)
    slots[TEN_O_CLOCK] = calls
    return {MONDAY: slots}


def test_one_interval_load_to_agents_to_hours():
    # docs/staffing.md: 250 calls in 30 min, AHT 250 s, patience 180 s: Erlang A needs 34
    # agents for ≥ 90% answered and ≤ 120 s of wait (91.6% answered, 15.1 s wait).
    # 34 agents × 0.5 h = 17 productive hours, all in the 10 o'clock hour.
    inputs = Inputs(COMMITTEE, one_interval(250), {}, aht=250, patience=180)
    result = build_proposal(inputs, scenario_codes=[proposal.BASELINE])
    firm = result.plan(proposal.BASELINE).periods[0]
    assert (firm.offset, firm.firm, firm.start, firm.end) == (
        "D+10",
        True,
        dt.date(2026, 3, 20),
        dt.date(2026, 4, 2),
    )
    monday = next(day for day in firm.days if day.day == MONDAY)
    assert monday.agents[TEN_O_CLOCK] == 34 and sum(monday.agents) == 34
    assert monday.phone_hours == 17.0
    assert monday.hours_by_hour == {h: (17.0 if h == 10 else 0.0) for h in range(8, 18)}
    assert monday.answer_rate == pytest.approx(0.916, abs=0.001)
    assert monday.average_wait == pytest.approx(15.1, abs=0.1)
    assert firm.phone_hours == 17.0 and result.model == "erlang-a"
    # Without a patience (nobody ever abandoned) Erlang C: 37 agents, 18.5 h.
    erlang_c = build_proposal(Inputs(COMMITTEE, one_interval(250), {}, aht=250))
    assert erlang_c.plan(proposal.BASELINE).periods[0].phone_hours == 18.5


def test_forms_of_the_weekend_are_due_on_monday():
    # 90 forms every calendar day. Monday 23 March gets Saturday's and Sunday's: 270.
    forms = {dt.date(2026, 3, 16) + dt.timedelta(days=n): 90.0 for n in range(14)}
    week = [MONDAY + dt.timedelta(days=n) for n in range(5)]
    due = proposal.forms_due_by_working_day(forms, week)
    assert [due[day] for day in week] == [270, 90, 90, 90, 90]
    # Answered by the end of the next working day, 90 an advisor-day: Friday's 90 open the
    # week (1 advisor on Monday), Monday's 270 need 3 advisors on Tuesday, then 1 a day.
    advisors = proposal.form_advisors(forms, week)
    assert [advisors[day] for day in week] == [1, 3, 1, 1, 1]
    # 10% absenteeism: ceil(1 / 0.9) = 2, ceil(3 / 0.9) = 4.
    absent = proposal.form_advisors(forms, week, absenteeism=0.1)
    assert [absent[day] for day in week] == [2, 4, 2, 2, 2]


def realistic_inputs() -> Inputs:
    """30 working days of 100–350 calls per half-hour and 200 forms a day."""
    rng = np.random.default_rng(5)
    calls = {}
    day = dt.date(2026, 3, 16)
    while day <= dt.date(2026, 5, 8):
        calls[day] = rng.uniform(100, 350, 18).round(1)
        day += dt.timedelta(days=1)
    forms = {day: 200.0 for day in calls}
    return Inputs(COMMITTEE, calls, forms, aht=250, patience=600, out_of_scope_share=0.18)


@pytest.fixture(scope="module")
def scenario_plans() -> proposal.Proposal:
    return build_proposal(realistic_inputs())


def test_scenarios_order(scenario_plans):
    plans = {plan.scenario.code: plan for plan in scenario_plans.plans}
    assert list(plans) == list(proposal.SCENARIO_CODES)
    for index in range(3):
        base = plans["baseline"].periods[index]
        hours = {code: plan.periods[index].phone_hours for code, plan in plans.items()}
        assert hours["campaign"] > hours["baseline"] > hours["deterrence"]
        assert hours["aht_plus_10"] > hours["baseline"] > hours["aht_minus_10"]
        # Absenteeism: ceil(agents / 0.9) in every half-hour, so the period total lies
        # between baseline / 0.9 and that plus half an hour per staffed half-hour.
        absent = plans["absenteeism_10"].periods[index]
        for day_base, day_absent in zip(base.days, absent.days, strict=True):
            assert day_absent.agents == [math.ceil(n / 0.9) for n in day_base.agents]
        staffed = sum(1 for day in base.days for n in day.agents if n)
        assert base.phone_hours / 0.9 <= absent.phone_hours < base.phone_hours / 0.9 + 0.5 * staffed
        assert absent.form_hours > base.form_hours
        assert absent.answer_rate == base.answer_rate  # the staff present is the baseline's
        # Every scenario meets the targets it was staffed for.
        for plan in plans.values():
            assert plan.periods[index].answer_rate >= 0.90
            assert plan.periods[index].average_wait <= 120
    # Deterrence of 20 points on an 18% out-of-scope share: × 0.82 calls.
    assert plans["deterrence"].periods[0].calls == pytest.approx(
        0.82 * plans["baseline"].periods[0].calls
    )


def test_unknown_scenario_and_bad_inputs():
    with pytest.raises(ValueError):
        proposal.scenarios(0.18, ["baseline", "strike"])
    with pytest.raises(ValueError):
        Inputs(COMMITTEE, {}, {}, shrinkage=1.0)


def run(*args: str) -> str:
    out = StringIO()
    call_command("order_proposal", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_handling_estimates_from_recent_calls():
    # Three answered calls (200 s talk + 50 s wrap-up, 30 s wait) and one abandoned after 60 s:
    # AHT = 250 s; patience = total wait (90 + 60) / 1 abandonment = 150 s.
    for n, outcome in enumerate(["answered"] * 3 + ["abandoned"]):
        answered = outcome == "answered"
        Call.objects.create(
            source_system="test",
            source_id=str(n),
            arrived_at=dt.datetime(2026, 3, 2, 10, n, tzinfo=PARIS),
            outcome=outcome,
            talk_seconds=200 if answered else 0,
            wrap_up_seconds=50 if answered else 0,
            wait_seconds=30 if answered else 60,
        )
    estimates = selectors.handling_estimates(COMMITTEE)
    assert estimates["aht"] == 250 and estimates["patience"] == 150


@pytest.mark.django_db
def test_order_proposal_command(tmp_path):
    data = json.loads(run("--committee", "2026-03-06", "--json"))
    assert [s["code"] for s in data["scenarios"]] == list(proposal.SCENARIO_CODES)
    firm = data["scenarios"][0]["periods"][0]
    assert (firm["offset"], firm["kind"], firm["start"]) == ("D+10", "firm", "2026-03-20")
    assert len(firm["days"]) == 10 and firm["phone_hours"] == 0  # no history, no call
    assert data["model"] == "erlang-c" and data["aht"] == proposal.DEFAULT_AHT
    out = tmp_path / "p.xlsx"
    text = run("--committee", "2026-03-06", "--xlsx", str(out))
    assert "D+30" in text
    workbook = load_workbook(io.BytesIO(out.read_bytes()))
    assert len(workbook.sheetnames) == 1 + len(proposal.SCENARIO_CODES)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args, message",
    [
        # The command speaks French (LANGUAGE_CODE): "AAAA-MM-JJ" is the French YYYY-MM-DD.
        (["--committee", "2026-02-30"], "AAAA-MM-JJ"),
        (["--committee", "2026-03-06", "--shrinkage", "1"], "shrinkage"),
    ],
)
def test_order_proposal_command_errors(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
