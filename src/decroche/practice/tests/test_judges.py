"""The pluggable judge (issue 15 §2): the rules judge by default; a judge plugged through
`settings.PRACTICE_JUDGE` is called and its scores stand, but blocking faults still fail
the run whatever it says ("the rules score, the code decides"); a failing judge is ignored."""

from __future__ import annotations

import pytest
from django.test import override_settings

from decroche.practice import engine, judges, services
from decroche.practice.models import Scenario
from decroche.practice.scoring import score_run

pytestmark = pytest.mark.django_db
HERE = "decroche.practice.tests.test_judges"
CALLS: list[dict] = []


class GenerousJudge:
    """Gives 10 to every criterion the rules scored and claims no fault at all."""

    name = "generous"

    def score(self, scenario, events, ending, *, rules):
        CALLS.append({"events": len(events), "ending": ending, "rules_total": rules["total"]})
        rules["faults"].clear()  # a copy: this must not clear the rules' faults
        return {
            "criteria": [
                {"code": c["code"], "score": 10, "evidence": f"juge : {c['evidence']}"}
                for c in rules["criteria"]
            ],
            "faults": [],
        }


class StrictJudge:
    """Adds a blocking fault of its own."""

    name = "strict"

    def score(self, scenario, events, ending, *, rules):
        return {
            "criteria": rules["criteria"],
            "faults": [{"fault": "forbidden_promise", "node": "carte", "evidence": "« promis »"}],
        }


class BrokenJudge:
    name = "broken"

    def score(self, scenario, events, ending, *, rules):
        return {"criteria": [{"code": "empathy", "score": "beaucoup"}]}


@pytest.fixture
def scenario():
    return Scenario.objects.get(slug="agressivite-gratuite-carte").data


def _played(scenario, choices):
    state = engine.play(scenario, choices)
    return state["events"], state["ending"]


def test_the_rules_judge_is_the_default(scenario):
    events, ending = _played(scenario, [1, 1])
    result = judges.judge_run(scenario, events, ending)
    assert result == {**score_run(scenario, events, ending), "judge": "rules"}
    assert isinstance(judges.judge_configured(), judges.RulesJudge)


@override_settings(PRACTICE_JUDGE=f"{HERE}.GenerousJudge")
def test_a_judge_plugged_through_the_setting_is_called_and_scores(scenario):
    CALLS.clear()
    events, ending = _played(scenario, [1, 1])  # assertive (+2), then mediation (+2)
    result = judges.judge_run(scenario, events, ending)
    assert CALLS == [{"events": 2, "ending": "resolved", "rules_total": 4}]
    assert result["judge"] == "generous"
    assert [(c["code"], c["score"]) for c in result["criteria"]] == [
        ("assertive_communication", 10),
        ("mediation", 10),
    ]
    assert result["total"] == 20 and result["passed"] is True  # 10 + 10, no fault


@override_settings(PRACTICE_JUDGE=f"{HERE}.GenerousJudge")
def test_blocking_faults_fail_the_run_whatever_the_judge_says(scenario):
    events, ending = _played(scenario, [2, 3])  # the insult at "montee", ended by procedure
    rules = score_run(scenario, events, ending)
    assert [f["fault"] for f in rules["faults"]] == ["insult"] and rules["passed"] is False
    result = judges.judge_run(scenario, events, ending)
    assert result["judge"] == "generous"
    assert all(c["score"] == 10 for c in result["criteria"])
    assert [f["fault"] for f in result["faults"]] == ["insult"]  # the judge cannot clear it
    assert result["passed"] is False


@override_settings(PRACTICE_JUDGE=f"{HERE}.StrictJudge")
def test_a_judge_may_add_a_blocking_fault(scenario):
    events, ending = _played(scenario, [1, 1])
    result = judges.judge_run(scenario, events, ending)
    assert [f["fault"] for f in result["faults"]] == ["forbidden_promise"]
    assert result["passed"] is False


@override_settings(PRACTICE_JUDGE=f"{HERE}.BrokenJudge")
def test_a_malformed_verdict_leaves_the_rules_result(scenario):
    events, ending = _played(scenario, [1, 1])
    assert judges.judge_run(scenario, events, ending) == {
        **score_run(scenario, events, ending),
        "judge": "rules",
    }


@override_settings(PRACTICE_JUDGE=f"{HERE}.GenerousJudge")
def test_runs_played_in_the_app_go_through_the_configured_judge(users):
    scenario = Scenario.objects.get(slug="agressivite-gratuite-carte")
    run = services.run_start(user=users["advisor"], scenario=scenario)
    run = services.run_choose(run=services.run_choose(run=run, index=1), index=2)  # insult
    assert run.result["judge"] == "generous" and run.result["total"] == 10
    assert run.passed is False  # the insult is blocking


def test_a_bad_judge_setting_fails_the_system_check():
    assert judges.judge_setting_check() == []
    with override_settings(PRACTICE_JUDGE="decroche.practice.nowhere.Judge"):
        assert [m.id for m in judges.judge_setting_check()] == ["practice.E001"]
    with override_settings(PRACTICE_JUDGE="decroche.practice.scoring.Move"):  # no score()
        assert [m.id for m in judges.judge_setting_check()] == ["practice.E001"]
