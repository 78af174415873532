"""The shipped French scenarios (issue 15 §3): valid, every ending reachable, a good path
passes and a blocking fault fails."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from decroche.practice import engine
from decroche.practice.scenario_format import endings, validate

SHIPPED = sorted((Path(__file__).resolve().parent.parent / "data" / "scenarios").glob("*.json"))
MODEL_REPLY = (
    "Bonjour Monsieur, je comprends votre mécontentement et vous prie de nous excuser pour ce "
    "délai. Votre commande de carte est bloquée car il manque votre photo. Dès réception de "
    "votre photo, la fabrication sera relancée et vous recevrez votre carte à votre domicile. "
    "Je reste à votre disposition. Cordialement."
)


def _paths(scenario: dict) -> list[list[int]]:
    """Every sequence of 1-based choices from the start to an ending (the graphs are acyclic)."""
    found: list[list[int]] = []

    def walk(name: str, choices: list[int]) -> None:
        node = scenario["nodes"][name]
        if "ending" in node:
            found.append(choices)
        elif "reply" in node:
            walk(node["reply"]["target"], choices)
        else:
            for number, choice in enumerate(node["choices"], start=1):
                walk(choice["target"], [*choices, number])

    walk(scenario["start"], [])
    return found


def test_six_situations_are_shipped():
    states = {json.loads(path.read_text())["persona"]["emotional_state"] for path in SHIPPED}
    channels = {json.loads(path.read_text())["channel"] for path in SHIPPED}
    assert len(SHIPPED) >= 6
    assert {"passive_aggressive", "aggressive", "psychological_distress", "confused"} <= states
    assert {"phone", "front_desk", "written"} <= channels


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_ending_reached_and_a_path_passes(path):
    scenario = validate(json.loads(path.read_text(encoding="utf-8")))
    reached, passed = set(), []
    for choices in _paths(scenario):
        state = engine.play(scenario, choices, [MODEL_REPLY])
        assert state["ending"]
        reached.add(state["path"][-1])
        passed.append(state["result"]["passed"])
        for criterion in state["result"]["criteria"]:
            assert criterion["evidence"].startswith("« ")
    assert reached == set(endings(scenario))
    assert any(passed)


def test_written_complaint_scored_by_the_rules():
    scenario = json.loads((SHIPPED[0].parent / "reclamation-ecrite-carte.json").read_text())
    result = engine.play(scenario, [], [MODEL_REPLY])["result"]
    scores = {c["code"]: c["score"] for c in result["criteria"]}
    # empathy: "je comprends" +2; active_listening: "photo" +1; mediation: "dès réception" +2;
    # written_quality: 49 words within 40..200 (+1), greeting "bonjour" (+1), closing
    # "cordialement" (+1), the model reply itself (similarity 1.0 ≥ 0.6, +1) = 4
    assert scores == {"empathy": 2, "active_listening": 1, "mediation": 2, "written_quality": 4}
    assert result["total"] == 9 and result["passed"] is True
    rude = "Vous auriez dû envoyer la photo. Je vous garantis la carte demain sans faute."
    result = engine.play(scenario, [], [rude])["result"]
    assert [f["fault"] for f in result["faults"]] == ["forbidden_promise"]
    assert result["passed"] is False


def test_distress_routed_to_safety_passes_ignoring_it_fails():
    scenario = json.loads((SHIPPED[0].parent / "detresse-psychologique.json").read_text())
    assert engine.play(scenario, [1, 1])["ending"] == "safety"
    assert engine.play(scenario, [1, 1])["result"]["passed"] is True  # 2 + 2 = 4 ≥ 2
    ignored = engine.play(scenario, [1, 2])["result"]
    assert ignored["total"] == 0 and ignored["passed"] is False  # 2 - 2 = 0 < pass mark 2
