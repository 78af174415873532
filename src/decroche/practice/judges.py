"""Pluggable judge of a role-play run (issue 15 §2). The deterministic rules of
`scoring.py` always run first; the judge named by `settings.PRACTICE_JUDGE` (a dotted
path to a class, `RulesJudge` by default) then gives each criterion its score and
evidence. A later judge may call a language model; nothing here depends on one and
nothing is downloaded.

"The rules score, the code decides": whatever a judge returns, the blocking faults the
rules found stay (a judge may add faults, never remove one), the total is recomputed
from the criteria, and `passed` is decided by `scoring.run_passed`. A judge that fails or
returns something malformed is ignored: the rules' result stands."""

from __future__ import annotations

import copy
import logging
from typing import Protocol

from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string

from .scoring import run_passed, score_run

logger = logging.getLogger(__name__)
DEFAULT_JUDGE = "decroche.practice.judges.RulesJudge"


class JudgeError(ValueError):
    """A judge's verdict that does not have the documented shape."""


class Judge(Protocol):
    """Score a finished run. `rules` is the rules' result (a copy the judge may read);
    return {"criteria": [{"code": str, "score": int, "evidence": str}, ...]} and
    optionally "faults": [{"fault": str, "node": str, "evidence": str}, ...]."""

    name: str

    def score(
        self, scenario: dict, events: list[dict], ending: str | None, *, rules: dict
    ) -> dict: ...


class RulesJudge:
    """The default judge: the rules' scores, unchanged."""

    name = "rules"

    def score(self, scenario: dict, events: list[dict], ending: str | None, *, rules: dict) -> dict:
        return {"criteria": rules["criteria"]}


def judge_configured() -> Judge:
    return import_string(getattr(settings, "PRACTICE_JUDGE", DEFAULT_JUDGE) or DEFAULT_JUDGE)()


def judge_setting_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """`decroche check` fails loudly on a PRACTICE_JUDGE that does not name a judge, rather
    than the first finished run (STYLE habit 8)."""
    path = getattr(settings, "PRACTICE_JUDGE", DEFAULT_JUDGE) or DEFAULT_JUDGE
    try:
        judge = import_string(path)()
    except Exception as error:  # any failure to import or build it is the setting's fault
        return [checks.Error(f"PRACTICE_JUDGE={path!r}: {error}", id="practice.E001")]
    if not callable(getattr(judge, "score", None)):
        return [checks.Error(f"PRACTICE_JUDGE={path!r} has no score()", id="practice.E001")]
    return []


def _checked_criteria(verdict: object) -> list[dict]:
    if not isinstance(verdict, dict) or not isinstance(verdict.get("criteria"), list):
        raise JudgeError("the verdict has no list of criteria")
    criteria = []
    for item in verdict["criteria"]:
        if not (
            isinstance(item, dict)
            and isinstance(item.get("code"), str)
            and isinstance(item.get("score"), int)
            and not isinstance(item.get("score"), bool)
            and isinstance(item.get("evidence", ""), str)
        ):
            raise JudgeError(f"malformed criterion: {item!r}")
        criteria.append(
            {"code": item["code"], "score": item["score"], "evidence": item.get("evidence", "")}
        )
    return sorted(criteria, key=lambda item: item["code"])


def _checked_faults(verdict: dict) -> list[dict]:
    faults = verdict.get("faults", [])
    if not isinstance(faults, list) or not all(
        isinstance(f, dict) and isinstance(f.get("fault"), str) for f in faults
    ):
        raise JudgeError("malformed faults")
    return [
        {
            "fault": f["fault"],
            "node": str(f.get("node", "")),
            "evidence": str(f.get("evidence", "")),
        }
        for f in faults
    ]


def judge_run(scenario: dict, events: list[dict], ending: str | None) -> dict:
    """The result of a run: the rules' result, its criteria as the configured judge
    scored them, and the code's decision (see the module's docstring). `judge` names the
    judge whose scores stand."""
    rules = score_run(scenario, events, ending)
    judge = judge_configured()
    if isinstance(judge, RulesJudge):
        return {**rules, "judge": RulesJudge.name}
    try:
        verdict = judge.score(scenario, events, ending, rules=copy.deepcopy(rules))
        criteria = _checked_criteria(verdict)
        added = _checked_faults(verdict)
    except Exception:  # a judge is optional: its failure never blocks the rules' result
        logger.exception("practice judge %s failed; the rules' scores stand", type(judge))
        return {**rules, "judge": RulesJudge.name}
    faults = rules["faults"] + [f for f in added if f not in rules["faults"]]
    total = sum(item["score"] for item in criteria)
    return {
        **rules,
        "criteria": criteria,
        "faults": faults,
        "total": total,
        "passed": run_passed(scenario, ending=ending, faults=faults, total=total),
        "judge": str(getattr(judge, "name", type(judge).__name__)),
    }
