"""The open scenario format (docs/scenario-format.md) and its validator (issue 15 §1; SPEC §8:
role-play of difficult situations). Pure: no Django import, so it is tested and benchmarked
alone. Every error names the path of the bad value, e.g.
"nodes.accueil.choices[2].target: unknown node 'fin'"."""

from __future__ import annotations

from typing import Any

FORMAT = "decroche-scenario/1"
CHANNELS = ("phone", "front_desk", "written")
DIFFICULTIES = ("script", "hints", "no_script")
PERSONA_ROLES = ("insured", "employer", "health_professional")
EMOTIONAL_STATES = (
    "aggressive",
    "distressed",
    "passive_aggressive",
    "confused",
    "psychological_distress",
)
# Endings (issue 15 §1): resolved, handed to a manager, ended by the procedure (the advisor
# closes the exchange by the incivility procedure), threat or suicidal statement routed to
# the safety procedure.
ENDINGS = ("resolved", "manager", "procedure", "safety")
# The rubric (SPEC §8, 000 Prestation 1 objectives): one code per technique of the source.
CRITERIA = (
    "assertive_communication",
    "active_listening",
    "empathy",
    "safe_frame",
    "distanced_engagement",
    "mediation",
    "public_recognition",
    "written_quality",
)
# Blocking faults (issue 15 §2): fail the run whatever the total.
FAULTS = ("insult", "confidentiality_breach", "forbidden_promise")
TENSION_MIN, TENSION_MAX = 0, 10


class ScenarioError(ValueError):
    """A scenario that breaks the format; `errors` lists every "path: reason"."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def _check_enum(errors: list[str], path: str, value: Any, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        errors.append(f"{path}: {value!r} is not one of {', '.join(allowed)}")


def _check_text(errors: list[str], path: str, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        errors.append(f"{path}: expected a non-empty text")


def _check_int(errors: list[str], path: str, value: Any, low: int, high: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        errors.append(f"{path}: expected a whole number from {low} to {high}, not {value!r}")


def _check_move_tags(errors: list[str], path: str, move: dict) -> None:
    """Tags shared by a choice and a free-text rule: technique, tension/trust deltas,
    criterion with points, blocking fault."""
    if "technique" in move:
        _check_text(errors, f"{path}.technique", move["technique"])
    for key in ("tension", "trust"):
        if key in move:
            _check_int(errors, f"{path}.{key}", move[key], -10, 10)
    if "criterion" in move:
        _check_enum(errors, f"{path}.criterion", move["criterion"], CRITERIA)
        _check_int(errors, f"{path}.points", move.get("points", 1), -2, 2)
    if move.get("fault") is not None:
        _check_enum(errors, f"{path}.fault", move["fault"], FAULTS)
    if "information" in move:
        _check_text(errors, f"{path}.information", move["information"])


def _check_reply(errors: list[str], path: str, reply: Any, names: set[str]) -> None:
    if not isinstance(reply, dict):
        errors.append(f"{path}: expected an object")
        return
    if reply.get("target") not in names:
        errors.append(f"{path}.target: unknown node {reply.get('target')!r}")
    for key in ("expected", "forbidden"):
        rules = reply.get(key, [])
        if not isinstance(rules, list):
            errors.append(f"{path}.{key}: expected a list")
            continue
        for index, rule in enumerate(rules):
            rule_path = f"{path}.{key}[{index}]"
            phrases = rule.get("phrases") if isinstance(rule, dict) else None
            if not isinstance(phrases, list) or not phrases:
                errors.append(f"{rule_path}.phrases: expected a non-empty list of phrases")
                continue
            _check_move_tags(errors, rule_path, rule)
    for key in ("min_words", "max_words"):
        if key in reply:
            _check_int(errors, f"{path}.{key}", reply[key], 1, 2000)


def validate(data: Any) -> dict:
    """Return the scenario when it follows the format, else raise ScenarioError listing
    every fault with its path. Checks every node is reachable from `start` and every
    path from it can reach an ending."""
    errors: list[str] = []
    if not isinstance(data, dict):
        raise ScenarioError(["(root): expected a JSON object"])
    if data.get("format") != FORMAT:
        errors.append(f"format: expected {FORMAT!r}, not {data.get('format')!r}")
    _check_text(errors, "title", data.get("title"))
    _check_enum(errors, "channel", data.get("channel"), CHANNELS)
    _check_enum(errors, "difficulty", data.get("difficulty", "script"), DIFFICULTIES)
    persona = data.get("persona")
    if not isinstance(persona, dict):
        errors.append("persona: expected an object")
    else:
        _check_enum(errors, "persona.role", persona.get("role"), PERSONA_ROLES)
        _check_enum(
            errors, "persona.emotional_state", persona.get("emotional_state"), EMOTIONAL_STATES
        )
        for key in ("triggers", "de_escalating_moves"):
            if not isinstance(persona.get(key, []), list):
                errors.append(f"persona.{key}: expected a list of phrases")
    if not isinstance(data.get("facts", []), list):
        errors.append("facts: expected a list of texts")
    state = data.get("state", {})
    if not isinstance(state, dict):
        errors.append("state: expected an object")
    else:
        _check_int(errors, "state.tension", state.get("tension", 5), TENSION_MIN, TENSION_MAX)
        _check_int(errors, "state.trust", state.get("trust", 5), TENSION_MIN, TENSION_MAX)
    _check_int(errors, "pass_mark", data.get("pass_mark", 0), 0, 1000)
    nodes = data.get("nodes")
    if not isinstance(nodes, dict) or not nodes:
        errors.append("nodes: expected an object of named nodes")
        raise ScenarioError(errors)
    names = set(nodes)
    if data.get("start") not in names:
        errors.append(f"start: unknown node {data.get('start')!r}")
    for ending in data.get("passing_endings", ["resolved"]):
        _check_enum(errors, "passing_endings", ending, ENDINGS)
    for name, node in nodes.items():
        path = f"nodes.{name}"
        if not isinstance(node, dict):
            errors.append(f"{path}: expected an object")
            continue
        _check_text(errors, f"{path}.text", node.get("text"))
        kinds = [key for key in ("ending", "choices", "reply") if key in node]
        if len(kinds) != 1:
            errors.append(f"{path}: expected exactly one of ending, choices, reply")
            continue
        if "ending" in node:
            _check_enum(errors, f"{path}.ending", node["ending"], ENDINGS)
        elif "reply" in node:
            _check_reply(errors, f"{path}.reply", node["reply"], names)
        else:
            choices = node["choices"]
            if not isinstance(choices, list) or not choices:
                errors.append(f"{path}.choices: expected a non-empty list")
                continue
            for index, choice in enumerate(choices):
                choice_path = f"{path}.choices[{index}]"
                if not isinstance(choice, dict):
                    errors.append(f"{choice_path}: expected an object")
                    continue
                _check_text(errors, f"{choice_path}.text", choice.get("text"))
                if choice.get("target") not in names:
                    errors.append(f"{choice_path}.target: unknown node {choice.get('target')!r}")
                _check_move_tags(errors, choice_path, choice)
    if not errors:
        errors.extend(_graph_errors(data))
    if errors:
        raise ScenarioError(errors)
    return data


def successors(node: dict) -> list[str]:
    if "choices" in node:
        return [choice["target"] for choice in node["choices"]]
    if "reply" in node:
        return [node["reply"]["target"]]
    return []


def _graph_errors(data: dict) -> list[str]:
    nodes = data["nodes"]
    seen: set[str] = set()
    stack = [data["start"]]
    while stack:
        name = stack.pop()
        if name not in seen:
            seen.add(name)
            stack.extend(successors(nodes[name]))
    errors = [
        f"nodes.{name}: not reachable from the start node" for name in nodes if name not in seen
    ]
    # Nodes that can reach an ending, by walking edges backwards from the endings.
    reaches = {name for name, node in nodes.items() if "ending" in node}
    changed = True
    while changed:
        changed = False
        for name, node in nodes.items():
            if name not in reaches and any(target in reaches for target in successors(node)):
                reaches.add(name)
                changed = True
    errors += [
        f"nodes.{name}: no path from it leads to an ending" for name in nodes if name not in reaches
    ]
    return errors


def endings(data: dict) -> dict[str, str]:
    """Ending node name -> ending kind."""
    return {name: node["ending"] for name, node in data["nodes"].items() if "ending" in node}
