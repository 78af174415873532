"""Twee 3 and ink importers, each story played to each of its endings (issue 15 Correctness)."""

from __future__ import annotations

from pathlib import Path

import pytest

from decroche.practice import engine, importers
from decroche.practice.scenario_format import ScenarioError, endings, validate

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"


def _load(name: str) -> dict:
    path = EXAMPLES / name
    return validate(importers.load(path.read_text(encoding="utf-8"), str(path)))


def test_twee_passages_links_and_tags():
    scenario = _load("espace-sante.twee")
    assert scenario["title"] == "Clôture de Mon espace santé (Twee)"
    assert scenario["start"] == "Accueil"
    assert scenario["persona"]["emotional_state"] == "passive_aggressive"
    assert scenario["state"] == {"tension": 5, "trust": 4}
    first = scenario["nodes"]["Accueil"]["choices"][0]
    assert first["target"] == "Identite"
    assert (first["technique"], first["criterion"], first["points"], first["tension"]) == (
        "naming_emotion",
        "empathy",
        2,
        -2,
    )
    assert endings(scenario) == {
        "Fin resolue": "resolved",
        "Fin faute": "resolved",
        "Fin manager": "manager",
    }


@pytest.mark.parametrize(
    ("choices", "ending", "passed", "total"),
    [
        ([1, 1], "resolved", True, 4),  # empathy 2 + safe_frame 2
        ([1, 2], "resolved", False, 2),  # forbidden promise: blocking whatever the total
        ([2, 1], "manager", False, 0),  # assertive -1 + mediation 1
        ([2, 2, 1], "resolved", True, 2),  # -1 + active_listening 1 + safe_frame 2
    ],
)
def test_twee_played_to_each_ending(choices, ending, passed, total):
    state = engine.play(_load("espace-sante.twee"), choices)
    assert (state["ending"], state["result"]["passed"], state["result"]["total"]) == (
        ending,
        passed,
        total,
    )


@pytest.mark.parametrize(
    ("choices", "path", "ending"),
    [
        ([1, 1], ["accueil", "serie", "fin_ok"], "resolved"),
        ([2, 1], ["accueil", "escalade", "fin_procedure"], "procedure"),
        ([2, 2], ["accueil", "escalade", "fin_manager"], "manager"),
    ],
)
def test_ink_story_played_to_each_ending(choices, path, ending):
    scenario = _load("carte-illisible.ink.json")
    assert scenario["title"] == "Numéro de série illisible (ink)"
    assert scenario["channel"] == "front_desk"
    state = engine.play(scenario, choices)
    assert state["path"] == path
    assert state["ending"] == ending


def test_ink_choice_tags_score():
    state = engine.play(_load("carte-illisible.ink.json"), [2, 1])
    # distanced_engagement -2 ("Calmez-vous"), safe_frame +1; tension 5 + 3 = 8
    assert {c["code"]: c["score"] for c in state["result"]["criteria"]} == {
        "distanced_engagement": -2,
        "safe_frame": 1,
    }
    assert state["tension"] == 8


def test_broken_twee_names_the_node():
    text = ":: Start\nBonjour\n[[Suite->Nulle part]]\n"
    with pytest.raises(ScenarioError) as error:
        validate(importers.load(text, "x.twee"))
    assert "nodes.Start.choices[0].target: unknown node 'Nulle part'" in error.value.errors
    with pytest.raises(ScenarioError, match=r"nodes.Start: passage metadata is not JSON"):
        importers.load(":: Start {oops}\nBonjour\n", "x.tw")


def test_ink_story_without_ending_tag_is_refused():
    ink = '{"inkVersion":21,"root":[["^Bonjour","\\n","end",["done",{"#n":"g-0"}],null],"done",null],"listDefs":{}}'
    with pytest.raises(ScenarioError, match=r"nodes.n1: the story ends without an #ending tag"):
        importers.load(ink, "x.json")
