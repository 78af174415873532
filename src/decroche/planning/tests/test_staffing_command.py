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
