"""The role-play engine (issue 15 §1): plays a validated scenario one turn at a time.
Pure: no Django import. A run's state is a JSON-ready dict — current node, tension
(0–10), trust, information obtained, path of node names and the event log — so the
app stores it as is and the scorer replays it."""

from __future__ import annotations

from .scenario_format import TENSION_MAX, TENSION_MIN
from .scoring import Move, event_moves, score_run


class MoveError(ValueError):
    """A move the current node does not accept (wrong kind, index out of range, ended)."""


def _clamp(value: int) -> int:
    return max(TENSION_MIN, min(TENSION_MAX, value))


def start(scenario: dict) -> dict:
    initial = scenario.get("state", {})
    return {
        "node": scenario["start"],
        "tension": initial.get("tension", 5),
        "trust": initial.get("trust", 5),
        "information": [],
        "path": [scenario["start"]],
        "events": [],
        "ending": scenario["nodes"][scenario["start"]].get("ending"),
    }


def node_of(scenario: dict, state: dict) -> dict:
    return scenario["nodes"][state["node"]]


def _apply(scenario: dict, state: dict, event: dict, target: str, moves: list[Move]) -> dict:
    state = {**state, "information": list(state["information"]), "path": list(state["path"])}
    for move in moves:
        state["tension"] = _clamp(state["tension"] + move.tension)
        state["trust"] = _clamp(state["trust"] + move.trust)
        if move.information and move.information not in state["information"]:
            state["information"].append(move.information)
    event = {**event, "tension_after": state["tension"]}
    state["events"] = [*state["events"], event]
    state["node"] = target
    state["path"].append(target)
    state["ending"] = scenario["nodes"][target].get("ending")
    return state


def choose(scenario: dict, state: dict, index: int) -> dict:
    """Play choice `index` (0-based) at the current node; return the new state."""
    node = node_of(scenario, state)
    if state["ending"] or "choices" not in node:
        raise MoveError(f"nodes.{state['node']}: this node takes no choice")
    if not 0 <= index < len(node["choices"]):
        raise MoveError(
            f"nodes.{state['node']}: no choice {index + 1} (there are {len(node['choices'])})"
        )
    event = {
        "node": state["node"],
        "kind": "choice",
        "index": index,
        "text": node["choices"][index]["text"],
    }
    return _apply(
        scenario, state, event, node["choices"][index]["target"], event_moves(scenario, event)
    )


def reply(scenario: dict, state: dict, text: str) -> dict:
    """Play a free-text reply at the current node; return the new state."""
    node = node_of(scenario, state)
    if state["ending"] or "reply" not in node:
        raise MoveError(f"nodes.{state['node']}: this node takes no free-text reply")
    if not text.strip():
        raise MoveError(f"nodes.{state['node']}: the reply is empty")
    event = {"node": state["node"], "kind": "reply", "text": text}
    return _apply(scenario, state, event, node["reply"]["target"], event_moves(scenario, event))


def play(scenario: dict, choices: list[int], replies: list[str] = ()) -> dict:
    """Play 1-based `choices` in order; a free-text node consumes the next of `replies`.
    Return the final state with its score under "result"."""
    state = start(scenario)
    pending_choices, pending_replies = list(choices), list(replies)
    while not state["ending"]:
        node = node_of(scenario, state)
        if "reply" in node:
            if not pending_replies:
                break
            state = reply(scenario, state, pending_replies.pop(0))
        else:
            if not pending_choices:
                break
            state = choose(scenario, state, pending_choices.pop(0) - 1)
    if pending_choices:
        raise MoveError(
            f"nodes.{state['node']}: {len(pending_choices)} choice(s) left after the ending"
        )
    state["result"] = score_run(scenario, state["events"], state["ending"])
    return state
