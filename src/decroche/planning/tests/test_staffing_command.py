"""`decroche staffing`: the issue's example, JSON keys, the reverse calculation, errors."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from decroche.planning import erlang

EXAMPLE = [
    "--calls",
    "250",
    "--aht",
    "250",
    "--interval",
    "30",
    "--target-wait",
    "120",
    "--target-answer-rate",
    "0.90",
]


def run(*args: str) -> str:
    out = StringIO()
    call_command("staffing", *args, stdout=out)
    return out.getvalue()


def test_issue_example_with_patience_uses_erlang_a():
    data = json.loads(run(*EXAMPLE, "--patience", "180", "--shrinkage", "0.3", "--json"))
    assert {"agents", "answer_rate", "average_wait", "service_level", "occupancy"} <= data.keys()
    assert data["model"] == "erlang-a"
    assert data["agents"] == 34 and data["scheduled_agents"] == 49  # ceil(34 / 0.7)
    expected = erlang.evaluate(erlang.Workload(250, 250, 1800, patience=180), 34)
    assert data["answer_rate"] == pytest.approx(expected.answer_rate)
    assert data["average_wait"] == pytest.approx(expected.average_wait)


def test_without_patience_erlang_c_and_a_note():
    # The text output is translated (the command runs in LANGUAGE_CODE): check figures only.
    text = run(*EXAMPLE)
    assert "erlang-c" in text and ": 37\n" in text  # 37 agents needed
    assert "--patience" in text  # the note that Erlang C ignores hang-ups
    data = json.loads(run(*EXAMPLE, "--json"))
    assert data["agents"] == 37 and data["answer_rate"] == 1.0 and len(data["notes"]) == 1


def test_max_occupancy_and_classic_service_level():
    data = json.loads(
        run(
            *EXAMPLE,
            "--patience",
            "180",
            "--max-occupancy",
            "0.85",
            "--service-level",
            "0.8",
            "--answer-within",
            "20",
            "--json",
        )
    )
    assert data["occupancy"] <= 0.85 and data["service_level"] >= 0.8
    workload = erlang.Workload(250, 250, 1800, patience=180)
    below = erlang.evaluate(workload, data["agents"] - 1, answer_within=20)
    assert below.occupancy > 0.85 or below.service_level < 0.8


def test_agents_evaluates_a_given_staffing():
    data = json.loads(
        run(
            "--calls",
            "100",
            "--aht",
            "180",
            "--agents",
            "14",
            "--service-level",
            "0.8",
            "--answer-within",
            "20",
            "--json",
        )
    )
    assert data["agents"] == 14
    assert data["service_level"] == pytest.approx(0.88835, abs=5e-6)  # CRAN ErlangC example
    assert data["meets_targets"] is True
    unstable = json.loads(run("--calls", "250", "--aht", "250", "--agents", "30", "--json"))
    assert unstable["stable"] is False and unstable["average_wait"] is None


def test_errors():
    with pytest.raises(CommandError):
        run("--calls", "10", "--aht", "100", "--model", "erlang-a")
    with pytest.raises(CommandError):
        run("--calls", "10", "--aht", "100", "--service-level", "0.8")
    with pytest.raises(CommandError):
        run("--calls", "10", "--aht", "100", "--shrinkage", "1")


def test_answer_within_alone_is_enough_to_evaluate_a_staffing():
    # "What service level at 20 s do I get with 14 agents?" needs no --service-level target.
    data = json.loads(
        run("--calls", "100", "--aht", "180", "--agents", "14", "--answer-within", "20", "--json")
    )
    assert data["answer_within"] == 20.0
    assert data["service_level"] == pytest.approx(0.88835, abs=5e-6)  # CRAN ErlangC example
    # A target without its threshold is still refused.
    with pytest.raises(CommandError, match="--answer-within"):
        run("--calls", "100", "--aht", "180", "--agents", "14", "--service-level", "0.8")


@pytest.mark.parametrize(
    "args",
    [
        ("--target-wait", "0"),  # no finite staffing has a zero average wait (issue 17.23)
        ("--target-wait", "-5"),
        ("--service-level", "1", "--answer-within", "20"),  # 100 %: someone always waits
        ("--service-level", "1.5", "--answer-within", "20"),
        ("--service-level", "-0.1", "--answer-within", "20"),
        ("--answer-within", "-1"),
        ("--target-answer-rate", "1", "--patience", "180"),  # Erlang A: someone hangs up
        ("--target-answer-rate", "1.01"),
        ("--target-answer-rate", "-0.5"),
        ("--max-occupancy", "0"),
    ],
)
def test_impossible_targets_are_refused_with_a_clear_error(args):
    with pytest.raises(CommandError):
        run("--calls", "100", "--aht", "180", *args, "--json")


def test_zero_wait_is_refused_in_evaluation_mode_too():
    with pytest.raises(CommandError, match="zero wait"):
        run("--calls", "100", "--aht", "180", "--agents", "50", "--target-wait", "0")


def test_targets_at_their_reachable_bounds():
    # Erlang C never loses a call: an answer-rate target of 100 % is met by any stable staffing,
    # so the minimum is the first n above the 10-erlang load (100 × 180 / 1800), i.e. 11.
    data = json.loads(run("--calls", "100", "--aht", "180", "--target-answer-rate", "1", "--json"))
    assert data["agents"] == 11 and data["meets_targets"] is True
    # An absurdly large wait target is met by the smallest stable staffing as well.
    data = json.loads(run("--calls", "100", "--aht", "180", "--target-wait", "1e12", "--json"))
    assert data["agents"] == 11
    # An absurdly large load cannot be staffed below the search's bound: a clear refusal.
    with pytest.raises(CommandError, match="cannot be met"):
        run("--calls", "1e9", "--aht", "600", "--target-wait", "20")
    # Under Erlang A, evaluating a staffing against 100 % reports the target as not met.
    data = json.loads(
        run(
            "--calls", "100", "--aht", "180", "--patience", "180", "--agents", "30",
            "--target-answer-rate", "1", "--json",
        )
    )  # fmt: skip
    assert data["answer_rate"] < 1 and data["meets_targets"] is False
