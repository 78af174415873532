"""Deterministic scoring of a role-play run (issue 15 §2: "the rules score, the code
decides"). Pure: no Django import. A run is its event log (see engine.py); the scorer
replays it against the scenario and returns, per rubric criterion, a score and the
evidence (the quotes that justified it). Blocking faults fail the run whatever the total.

Free-text rules, applied to a reply (docs/scenario-format.md, "Free-text replies"):
1. `expected` rules: a rule matches when one of its phrases appears in the reply (case,
   accents and spacing ignored); it adds its `points` to its `criterion`, quoting the
   sentence that contains the phrase.
2. `forbidden` rules: same matching; their points (usually negative), tension and
   `fault` apply. A fault is blocking.
3. Persona triggers (`persona.triggers`, e.g. "calmez-vous", jargon): each one found
   raises the tension by TRIGGER_TENSION.
4. Written replies (`min_words`/`max_words`, `structure`): a length within bounds gives
   +1 on written_quality, outside gives -1; each structure part found (greeting,
   closing) gives +1 on written_quality.
5. `models`: model replies; a word-level similarity of at least MODEL_SIMILARITY to one
   of them adds `model_points` (default 1) to `model_criterion`.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass, field

TRIGGER_TENSION = 2
MODEL_SIMILARITY = 0.6
STRUCTURE_PHRASES = {
    "greeting": ("bonjour", "madame", "monsieur", "cher", "chere"),
    "closing": (
        "cordialement",
        "salutations",
        "bien a vous",
        "bonne journee",
        "je reste a votre disposition",
    ),
}


def _fold(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(part for part in decomposed if not unicodedata.combining(part))


# Accented letters of the Latin blocks mapped to their base letters once, so that folding a
# reply is one str.translate (scoring 10,000 runs stays fast: bench/practice.py).
_FOLD = {code: _fold(chr(code)) for code in range(0xC0, 0x250) if _fold(chr(code)) != chr(code)}
_FOLD.update(
    {ord("’"): "'", ord("œ"): "oe", ord("Œ"): "oe", ord("\u00a0"): " ", ord("\u202f"): " "}
)
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Lower case, accents removed, apostrophes unified, spaces collapsed."""
    folded = text.lower().translate(_FOLD)
    if not folded.isascii():
        folded = _fold(folded)
    return _SPACES.sub(" ", folded).strip()


_normalise_rule = functools.lru_cache(maxsize=4096)(normalise)  # phrases and models repeat


def _sentence_with(text: str, phrase: str) -> str:
    """The sentence of `text` containing `phrase` (both compared normalised)."""
    for sentence in re.split(r"(?<=[.!?])\s+", text.strip()):
        if phrase in normalise(sentence):
            return sentence.strip()
    return text.strip()


@dataclass
class Move:
    """One scored effect: the tags of a choice or of a matched free-text rule."""

    quote: str
    criterion: str | None = None
    points: int = 0
    technique: str | None = None
    tension: int = 0
    trust: int = 0
    fault: str | None = None
    information: str | None = None


def choice_move(choice: dict) -> Move:
    return Move(
        quote=choice["text"],
        criterion=choice.get("criterion"),
        points=choice.get("points", 1) if choice.get("criterion") else 0,
        technique=choice.get("technique"),
        tension=choice.get("tension", 0),
        trust=choice.get("trust", 0),
        fault=choice.get("fault"),
        information=choice.get("information"),
    )


def _rule_move(rule: dict, quote: str) -> Move:
    move = choice_move({**rule, "text": quote})
    return move


def reply_moves(reply: dict, text: str, triggers: list[str] = ()) -> list[Move]:
    """The moves a free-text reply earns, by the documented rules above."""
    plain = normalise(text)
    moves: list[Move] = []
    for key in ("expected", "forbidden"):
        for rule in reply.get(key, []):
            for phrase in rule["phrases"]:
                wanted = _normalise_rule(phrase)
                if wanted in plain:
                    moves.append(_rule_move(rule, _sentence_with(text, wanted)))
                    break
    for trigger in triggers:
        if _normalise_rule(trigger) in plain:
            moves.append(
                Move(quote=_sentence_with(text, _normalise_rule(trigger)), tension=TRIGGER_TENSION)
            )
    words = len(plain.split())
    if "min_words" in reply or "max_words" in reply:
        within = reply.get("min_words", 0) <= words <= reply.get("max_words", 10**6)
        moves.append(
            Move(
                quote=f"{words} mots",
                criterion="written_quality",
                points=1 if within else -1,
                technique="written_length",
            )
        )
    for part in reply.get("structure", []):
        found = next((p for p in STRUCTURE_PHRASES.get(part, ()) if p in plain), None)
        if found:
            moves.append(
                Move(
                    quote=_sentence_with(text, found),
                    criterion="written_quality",
                    points=1,
                    technique=part,
                )
            )
    if reply.get("models") and reply.get("model_criterion"):
        best = max(
            difflib.SequenceMatcher(None, plain.split(), _normalise_rule(model).split()).ratio()
            for model in reply["models"]
        )
        if best >= MODEL_SIMILARITY:
            moves.append(
                Move(
                    quote=text.strip(),
                    criterion=reply["model_criterion"],
                    points=reply.get("model_points", 1),
                    technique="model_reply",
                )
            )
    return moves


@dataclass
class CriterionResult:
    code: str
    score: int = 0
    evidence: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"code": self.code, "score": self.score, "evidence": " / ".join(self.evidence)}


def event_moves(scenario: dict, event: dict) -> list[Move]:
    """The moves of one recorded event (a choice index or a reply text at a node)."""
    node = scenario["nodes"][event["node"]]
    if event["kind"] == "choice":
        return [choice_move(node["choices"][event["index"]])]
    triggers = scenario.get("persona", {}).get("triggers", [])
    return reply_moves(node["reply"], event["text"], triggers)


def score_run(scenario: dict, events: list[dict], ending: str | None) -> dict:
    """Score a recorded run: criteria (each with score and evidence), blocking faults,
    total, techniques used, and `passed`: no blocking fault, an ending the scenario
    accepts (`passing_endings`, default resolved) and a total at least `pass_mark`."""
    criteria: dict[str, CriterionResult] = {}
    faults: list[dict] = []
    techniques: dict[str, int] = {}
    for event in events:
        for move in event_moves(scenario, event):
            if move.criterion:
                result = criteria.setdefault(move.criterion, CriterionResult(move.criterion))
                result.score += move.points
                result.evidence.append(f"« {move.quote} »")
            if move.technique:
                techniques[move.technique] = techniques.get(move.technique, 0) + move.points
            if move.fault:
                faults.append({"fault": move.fault, "node": event["node"], "evidence": move.quote})
    total = sum(result.score for result in criteria.values())
    return {
        "criteria": [criteria[code].as_dict() for code in sorted(criteria)],
        "faults": faults,
        "total": total,
        "techniques": techniques,
        "passed": run_passed(scenario, ending=ending, faults=faults, total=total),
    }


def run_passed(scenario: dict, *, ending: str | None, faults: list[dict], total: int) -> bool:
    """ "The rules score, the code decides" (issue 15 §2): a run passes when it has no
    blocking fault, reached an ending the scenario accepts (`passing_endings`, default
    resolved) and totals at least `pass_mark`. Whatever judge scored the criteria."""
    return (
        not faults
        and ending in scenario.get("passing_endings", ["resolved"])
        and total >= scenario.get("pass_mark", 0)
    )
