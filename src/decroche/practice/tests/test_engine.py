"""Scenario validation, engine and scorer (issue 15 §1–2), on a small hand-written scenario."""

from __future__ import annotations

import copy

import pytest

from decroche.practice import engine
from decroche.practice.scenario_format import ScenarioError, validate
from decroche.practice.scoring import reply_moves, score_run

SCENARIO = {
    "format": "decroche-scenario/1",
    "title": "Carte illisible",
    "channel": "phone",
    "persona": {
        "role": "insured",
        "emotional_state": "aggressive",
        "triggers": ["calmez-vous"],
        "de_escalating_moves": ["reformulation"],
    },
    "facts": ["Numéro de série illisible"],
    "state": {"tension": 6, "trust": 3},
    "start": "accueil",
    "nodes": {
        "accueil": {
            "text": "Votre carte ne marche pas !",
            "choices": [
                {
                    "text": "Si je comprends bien, votre carte est illisible ?",
                    "target": "ecrit",
                    "technique": "reformulation",
                    "criterion": "active_listening",
                    "points": 2,
                    "tension": -2,
                },
                {
                    "text": "Calmez-vous.",
                    "target": "fin_chef",
                    "technique": "injunction",
                    "criterion": "distanced_engagement",
                    "points": -1,
                    "tension": 3,
                },
                {
                    "text": "Votre voisin a eu le même souci, M. Durand.",
                    "target": "ecrit",
                    "fault": "confidentiality_breach",
                },
            ],
        },
        "ecrit": {
            "text": "Écrivez-moi ce que je dois faire.",
            "reply": {
                "target": "fin_ok",
                "expected": [
                    {
                        "phrases": ["je comprends"],
                        "criterion": "empathy",
                        "points": 1,
                        "tension": -1,
                    }
                ],
                "forbidden": [{"phrases": ["imbécile"], "fault": "insult"}],
                "min_words": 5,
                "max_words": 60,
                "structure": ["greeting", "closing"],
            },
        },
        "fin_ok": {"text": "Merci.", "ending": "resolved"},
        "fin_chef": {"text": "Je veux votre responsable.", "ending": "manager"},
    },
}


def test_valid_scenario_passes():
    assert validate(copy.deepcopy(SCENARIO))["title"] == "Carte illisible"


def test_unknown_target_names_the_path():
    bad = copy.deepcopy(SCENARIO)
    bad["nodes"]["accueil"]["choices"][2]["target"] = "fin"
    with pytest.raises(ScenarioError) as error:
        validate(bad)
    assert "nodes.accueil.choices[2].target: unknown node 'fin'" in error.value.errors


def test_bad_tags_unreachable_and_dead_ends_are_reported():
    bad = copy.deepcopy(SCENARIO)
    bad["nodes"]["accueil"]["choices"][0]["criterion"] = "charm"
    bad["nodes"]["accueil"]["choices"][1]["tension"] = 15
    with pytest.raises(ScenarioError) as error:
        validate(bad)
    assert any(
        e.startswith("nodes.accueil.choices[0].criterion: 'charm'") for e in error.value.errors
    )
    assert any(e.startswith("nodes.accueil.choices[1].tension:") for e in error.value.errors)
    orphan = copy.deepcopy(SCENARIO)
    orphan["nodes"]["seul"] = {"text": "…", "ending": "resolved"}
    orphan["nodes"]["boucle"] = {"text": "…", "choices": [{"text": "x", "target": "boucle"}]}
    orphan["nodes"]["accueil"]["choices"][0]["target"] = "boucle"
    with pytest.raises(ScenarioError) as error:
        validate(orphan)
    assert "nodes.seul: not reachable from the start node" in error.value.errors
    assert "nodes.boucle: no path from it leads to an ending" in error.value.errors


def test_escalating_choice_ends_with_the_manager_and_fails():
    state = engine.play(SCENARIO, [2])
    assert state["path"] == ["accueil", "fin_chef"]
    assert state["ending"] == "manager"
    # 6 + 3 = 9
    assert state["tension"] == 9
    result = state["result"]
    assert result["criteria"] == [
        {"code": "distanced_engagement", "score": -1, "evidence": "« Calmez-vous. »"}
    ]
    assert result["passed"] is False  # ending "manager" is not in passing_endings (resolved)


def test_hand_scored_transcript_per_criterion():
    reply = (
        "Bonjour Madame. Je comprends votre agacement. Je vous envoie le formulaire. Cordialement."
    )
    state = engine.play(SCENARIO, [1], [reply])
    assert state["ending"] == "resolved"
    # tension: 6 - 2 (reformulation) - 1 (empathy phrase) = 3
    assert state["tension"] == 3
    criteria = {c["code"]: c for c in state["result"]["criteria"]}
    assert criteria["active_listening"]["score"] == 2
    assert criteria["empathy"] == {
        "code": "empathy",
        "score": 1,
        "evidence": "« Je comprends votre agacement. »",
    }
    # written_quality: 12 words (Bonjour Madame. Je comprends votre agacement. Je vous envoie
    # le formulaire. Cordialement. = 2 + 4 + 5 + 1) within 5..60 (+1), greeting (+1), closing (+1) = 3
    assert criteria["written_quality"]["score"] == 3
    assert "« 12 mots »" in criteria["written_quality"]["evidence"]
    # total 2 + 1 + 3 = 6, no fault, ending resolved
    assert state["result"]["total"] == 6
    assert state["result"]["passed"] is True


def test_blocking_fault_fails_whatever_the_total():
    reply = "Bonjour Madame, je comprends, espèce d'imbécile. Cordialement."
    state = engine.play(SCENARIO, [3], [reply])
    result = state["result"]
    assert state["ending"] == "resolved"
    assert result["total"] > 0
    assert [f["fault"] for f in result["faults"]] == ["confidentiality_breach", "insult"]
    assert result["passed"] is False


def test_trigger_in_reply_raises_tension_and_model_similarity_scores():
    reply_rules = {
        "target": "x",
        "models": ["Je comprends, je vous envoie le formulaire."],
        "model_criterion": "empathy",
    }
    moves = reply_moves(
        reply_rules, "Calmez-vous, je comprends, je vous envoie le formulaire.", ["calmez-vous"]
    )
    assert [m.tension for m in moves] == [2, 0]
    assert moves[1].criterion == "empathy" and moves[1].points == 1


def test_wrong_moves_are_refused():
    state = engine.start(SCENARIO)
    with pytest.raises(engine.MoveError, match="no choice 4"):
        engine.choose(SCENARIO, state, 3)
    with pytest.raises(engine.MoveError, match="takes no free-text reply"):
        engine.reply(SCENARIO, state, "bonjour")


def test_score_run_replays_the_event_log():
    state = engine.play(SCENARIO, [1], ["Je comprends."])
    again = score_run(SCENARIO, state["events"], state["ending"])
    assert again == state["result"]
