"""Importers of Twee 3 (Twine) files and compiled ink JSON stories into the scenario
format (issue 15 §1; docs/scenario-format.md, "Twee 3" and "ink"). Pure: no Django import.
The result still goes through `scenario_format.validate`."""

from __future__ import annotations

import json
import re

from .scenario_format import FORMAT, ScenarioError

_HEADER = re.compile(
    r"^::\s*(?P<name>[^\[{]+?)\s*(?:\[(?P<tags>[^\]]*)\])?\s*(?P<meta>\{.*\})?\s*$"
)
_LINK = re.compile(r"\[\[(?P<body>.+?)\]\](?:\{(?P<tags>[^}]*)\})?")
_INT = re.compile(r"^[+-]?\d+$")


def parse_tags(words: list[str]) -> dict:
    """`key:value` tags into a dict (numbers become ints); a bare word is a technique."""
    tags: dict = {}
    for word in words:
        word = word.strip().lstrip("#").strip()
        if not word:
            continue
        key, sep, value = word.partition(":")
        if not sep:
            tags["technique"] = key
            continue
        value = value.strip()
        tags[key.strip()] = int(value) if _INT.match(value) else value
    return tags


def _scenario(title: str, start: str, nodes: dict, meta: dict, source_tags: dict) -> dict:
    scenario = {
        "format": FORMAT,
        "title": title,
        "channel": source_tags.get("channel", "phone"),
        "persona": {
            "role": source_tags.get("role", "insured"),
            "emotional_state": source_tags.get("persona", "aggressive"),
        },
        "start": start,
        "nodes": nodes,
    }
    for key in (
        "persona",
        "facts",
        "state",
        "passing_endings",
        "pass_mark",
        "subject",
        "difficulty",
    ):
        if key in meta:
            scenario[key] = {**scenario[key], **meta[key]} if key == "persona" else meta[key]
    return scenario


def from_twee(text: str) -> dict:
    """Parse Twee 3: passages `:: Name [tags] {meta}`, links `[[text->Target]]{tags}`."""
    passages: list[tuple[str, list[str], dict, list[str]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("::"):
            match = _HEADER.match(line)
            if not match:
                raise ScenarioError([f"line {number}: malformed passage header {line!r}"])
            meta: dict = {}
            if match["meta"]:
                try:
                    meta = json.loads(match["meta"])
                except json.JSONDecodeError as error:
                    name = match["name"].strip()
                    raise ScenarioError(
                        [f"nodes.{name}: passage metadata is not JSON ({error.msg})"]
                    ) from error
            passages.append((match["name"].strip(), (match["tags"] or "").split(), meta, []))
        elif passages:
            passages[-1][3].append(line)
    if not passages:
        raise ScenarioError(["(root): no Twee passage (lines starting with '::')"])
    title, story_data, nodes = "", {}, {}
    start_meta: dict = {}
    start_tags: dict = {}
    for name, tags, meta, body in passages:
        content = "\n".join(body).strip()
        if name == "StoryTitle":
            title = content
            continue
        if name == "StoryData":
            story_data = json.loads(content or "{}")
            continue
        passage_tags = parse_tags(tags)
        choices = []
        for link in _LINK.finditer(content):
            body_text = link["body"]
            if "->" in body_text:
                label, target = body_text.rsplit("->", 1)
            elif "<-" in body_text:
                target, label = body_text.split("<-", 1)
            elif "|" in body_text:
                label, target = body_text.split("|", 1)
            else:
                label = target = body_text
            choices.append(
                {
                    "text": label.strip(),
                    "target": target.strip(),
                    **parse_tags((link["tags"] or "").split()),
                }
            )
        node: dict = {"text": _LINK.sub("", content).strip() or name}
        if "ending" in passage_tags:
            node["ending"] = passage_tags["ending"]
        elif choices:
            node["choices"] = choices
        nodes[name] = node
        nodes[name]["_tags"] = passage_tags
        nodes[name]["_meta"] = meta
    start = story_data.get("start") or ("Start" if "Start" in nodes else next(iter(nodes)))
    if start in nodes:
        start_meta, start_tags = nodes[start]["_meta"], nodes[start]["_tags"]
    for node in nodes.values():
        node.pop("_tags")
        node.pop("_meta")
    return _scenario(title or story_data.get("name", "Twee"), start, nodes, start_meta, start_tags)


def is_ink(data: object) -> bool:
    return isinstance(data, dict) and "inkVersion" in data and "root" in data


def from_ink(text: str) -> dict:
    """Explore a compiled ink story with the bink runtime: each stop at a set of choices
    (or at the end) is a node, keyed by its text and choices; choice tags carry scoring."""
    from bink.story import Story  # the native runtime, loaded only when an ink file comes

    story = Story(text)
    global_tags = parse_tags(list(story.get_global_tags()))
    nodes: dict[str, dict] = {}
    keys: dict[tuple, str] = {}

    def visit() -> str:
        lines, tags = [], []
        while story.can_continue():
            lines.append(story.cont().strip())
            tags.extend(story.get_current_tags())
        line_tags = parse_tags(tags)
        choices = story.get_current_choices()
        labels = [choices[i] for i in range(len(choices))]
        key = ("\n".join(lines), tuple(labels), line_tags.get("ending"))
        if key in keys:
            return keys[key]
        name = str(line_tags.get("node") or f"n{len(nodes) + 1}")
        keys[key] = name
        node: dict = {"text": " ".join(line for line in lines if line) or name}
        nodes[name] = node
        if not labels:
            if "ending" not in line_tags:
                raise ScenarioError([f"nodes.{name}: the story ends without an #ending tag"])
            node["ending"] = line_tags["ending"]
            return name
        saved = story.save_state()
        node["choices"] = []
        choice_tags = [parse_tags(list(choices.get_tags(i))) for i in range(len(labels))]
        for index, label in enumerate(labels):
            story.load_state(saved)
            story.choose_choice_index(index)
            tags_of_choice = {k: v for k, v in choice_tags[index].items() if k != "node"}
            node["choices"].append({"text": label, "target": visit(), **tags_of_choice})
        return name

    start = visit()
    title = str(global_tags.get("title", "ink"))
    return _scenario(title, start, nodes, {}, global_tags)


def load(text: str, filename: str = "") -> dict:
    """A scenario from the text of a file: Twee 3 by extension, else JSON (ink or ours)."""
    if filename.endswith((".twee", ".tw")):
        return from_twee(text)
    try:
        data = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as error:
        raise ScenarioError([f"(root): not JSON (line {error.lineno}: {error.msg})"]) from error
    if is_ink(data):
        return from_ink(json.dumps(data))
    return data
