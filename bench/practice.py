"""Scoring role-play runs (issue 15, Performance): 10,000 recorded runs of about 20 turns
scored by the deterministic rules in under 10 s.

    .venv/bin/python bench/practice.py [--runs 10000] [--turns 20]

A generated scenario chains `--turns` nodes; each node alternates three tagged choices
and, every fifth node, a free-text reply scored by phrase rules, persona triggers, length,
structure and similarity to a model reply. The runs are recorded first (engine.play, not
timed), then only `scoring.score_run` is timed over all of them. Pure: no database.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from decroche.practice import engine  # noqa: E402
from decroche.practice.scenario_format import validate  # noqa: E402
from decroche.practice.scoring import score_run  # noqa: E402

REPLIES = [
    "Bonjour Madame, je comprends votre inquiétude. Dès réception de la photo, la carte sera "
    "commandée et vous la recevrez chez vous. Cordialement.",
    "Calmez-vous, il faut attendre le délai de traitement normal.",
    "Bonjour Monsieur, nous regrettons ce délai ; la prochaine étape est l'envoi de votre "
    "photo. Je reste à votre disposition.",
]


def make_scenario(turns: int) -> dict:
    nodes: dict = {}
    for number in range(turns):
        name, target = f"n{number}", (f"n{number + 1}" if number + 1 < turns else "fin")
        if number % 5 == 4:
            nodes[name] = {
                "text": "Écrivez-moi.",
                "reply": {
                    "target": target,
                    "expected": [
                        {
                            "phrases": ["je comprends", "regrettons"],
                            "criterion": "empathy",
                            "points": 2,
                        },
                        {"phrases": ["dès réception", "prochaine étape"], "criterion": "mediation"},
                    ],
                    "forbidden": [{"phrases": ["je vous garantis"], "fault": "forbidden_promise"}],
                    "min_words": 10,
                    "max_words": 120,
                    "structure": ["greeting", "closing"],
                    "models": [REPLIES[0]],
                    "model_criterion": "written_quality",
                },
            }
        else:
            nodes[name] = {
                "text": f"Tour {number}",
                "choices": [
                    {
                        "text": "Je reformule.",
                        "target": target,
                        "technique": "reformulation",
                        "criterion": "active_listening",
                        "points": 2,
                        "tension": -1,
                    },
                    {
                        "text": "Calmez-vous.",
                        "target": target,
                        "technique": "injunction",
                        "criterion": "distanced_engagement",
                        "points": -1,
                        "tension": 2,
                    },
                    {
                        "text": "Je vous explique la suite.",
                        "target": target,
                        "technique": "next_step",
                        "criterion": "assertive_communication",
                        "points": 1,
                    },
                ],
            }
    nodes["fin"] = {"text": "Merci.", "ending": "resolved"}
    return validate(
        {
            "format": "decroche-scenario/1",
            "title": "Banc d'essai",
            "channel": "phone",
            "persona": {
                "role": "insured",
                "emotional_state": "aggressive",
                "triggers": ["calmez-vous"],
            },
            "start": "n0",
            "nodes": nodes,
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--turns", type=int, default=20)
    options = parser.parse_args()
    scenario = make_scenario(options.turns)
    rng = random.Random(15)
    recorded = []
    for _ in range(options.runs):
        choices = [rng.randint(1, 3) for _ in range(options.turns)]
        replies = [rng.choice(REPLIES) for _ in range(options.turns)]
        choice_nodes = sum(1 for node in scenario["nodes"].values() if "choices" in node)
        state = engine.play(scenario, choices[:choice_nodes], replies)
        recorded.append((state["events"], state["ending"]))
    started = time.perf_counter()
    passed = sum(score_run(scenario, events, ending)["passed"] for events, ending in recorded)
    elapsed = time.perf_counter() - started
    turns = sum(len(events) for events, _ in recorded)
    print(f"scored {len(recorded)} runs ({turns} turns) in {elapsed:.2f} s; {passed} passed")
    print(
        "target: under 10 s for 10,000 runs of about 20 turns —", "OK" if elapsed < 10 else "MISSED"
    )


if __name__ == "__main__":
    main()
