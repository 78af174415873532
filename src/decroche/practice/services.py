"""Writes of the practice app (issue 15): import a scenario, load the shipped ones, play a
run turn by turn, record the advisor's self-assessment and action plan, review scores.
Each business action writes one audit entry (no free text of the trainee in it)."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from decroche.core.services import log_action

from . import engine, importers
from .choices import ReviewStatus, SourceFormat
from .models import CriterionReview, Run, Scenario
from .scenario_format import ScenarioError, validate
from .scoring import score_run

SHIPPED = Path(__file__).resolve().parent / "data" / "scenarios"


def _source_format(filename: str, text: str) -> str:
    if filename.endswith((".twee", ".tw")):
        return SourceFormat.TWEE
    return SourceFormat.INK if '"inkVersion"' in text[:2000] else SourceFormat.JSON


def scenario_import(
    *, text: str, filename: str = "", user=None, slug: str | None = None
) -> Scenario:
    """Validate and store a scenario (our JSON, Twee 3 or compiled ink). Raises
    ScenarioError naming the bad node and the reason."""
    data = validate(importers.load(text, filename))
    fields = {
        "title": data["title"],
        "channel": data["channel"],
        "emotional_state": data["persona"]["emotional_state"],
        "source_format": _source_format(filename, text),
        "data": data,
        "active": True,
    }
    with transaction.atomic():
        if slug:
            scenario, _created = Scenario.objects.update_or_create(slug=slug, defaults=fields)
        else:
            scenario = Scenario.objects.create(created_by=user, **fields)
        log_action(
            "practice.scenario.imported",
            user=user,
            data={
                "scenario": scenario.pk,
                "format": scenario.source_format,
                "nodes": len(data["nodes"]),
            },
        )
    return scenario


def scenarios_load_shipped() -> list[Scenario]:
    """The French scenarios shipped in data/scenarios/ (issue 15 §3), by slug."""
    loaded = []
    for path in sorted(SHIPPED.glob("*.json")):
        text = path.read_text(encoding="utf-8")
        current = Scenario.objects.filter(slug=path.stem).first()
        if current is not None and current.data == json.loads(text):
            continue
        loaded.append(scenario_import(text=text, filename=path.name, slug=path.stem))
    return loaded


def run_start(*, user, scenario: Scenario) -> Run:
    with transaction.atomic():
        run = Run.objects.create(
            scenario=scenario,
            user=user,
            scenario_data=scenario.data,
            state=engine.start(scenario.data),
        )
        log_action("practice.run.started", user=user, data={"run": run.pk, "scenario": scenario.pk})
    return run


def _after_move(run: Run, state: dict) -> Run:
    run.state = state
    if state["ending"]:
        run.ending = state["ending"]
        run.result = score_run(run.scenario_data, state["events"], state["ending"])
        run.passed = run.result["passed"]
        run.finished_at = timezone.now()
        run.review_status = ReviewStatus.PENDING
        log_action(
            "practice.run.finished",
            user=run.user,
            data={
                "run": run.pk,
                "ending": run.ending,
                "passed": run.passed,
                "total": run.result["total"],
            },
        )
    run.save()
    return run


def run_choose(*, run: Run, index: int) -> Run:
    """Play choice `index` (0-based). Raises engine.MoveError for a move not allowed."""
    with transaction.atomic():
        run = Run.objects.select_for_update().get(pk=run.pk)
        return _after_move(run, engine.choose(run.scenario_data, run.state, index))


def run_reply(*, run: Run, text: str) -> Run:
    """Play a free-text reply. Raises engine.MoveError for a move not allowed."""
    with transaction.atomic():
        run = Run.objects.select_for_update().get(pk=run.pk)
        return _after_move(run, engine.reply(run.scenario_data, run.state, text))


def run_reflect(*, run: Run, self_assessment: str, action_plan: str) -> Run:
    """The trainee's self-assessment and personal action plan (SPEC §8, 000 methods)."""
    if not run.finished:
        raise ScenarioError(["run: finish the scenario before assessing yourself"])
    with transaction.atomic():
        run.self_assessment = self_assessment.strip()
        run.action_plan = action_plan.strip()
        run.save(update_fields=["self_assessment", "action_plan"])
        log_action("practice.run.reflected", user=run.user, data={"run": run.pk})
    return run


def run_review(*, run: Run, reviewer, scores: dict[str, int], comments: dict[str, str]) -> Run:
    """A trainer confirms or changes each criterion's score (issue 15 §2, review queue).
    The engine's result stays as computed; the reviewed scores sit in CriterionReview."""
    if not run.finished:
        raise ScenarioError(["run: only a finished run can be reviewed"])
    engine_scores = {c["code"]: c["score"] for c in run.result.get("criteria", [])}
    unknown = sorted(set(scores) - set(engine_scores))
    if unknown:
        raise ScenarioError([f"criteria.{code}: not scored in this run" for code in unknown])
    with transaction.atomic():
        changed = False
        for code, engine_score in engine_scores.items():
            reviewed = scores.get(code, engine_score)
            changed = changed or reviewed != engine_score
            CriterionReview.objects.create(
                run=run,
                criterion=code,
                engine_score=engine_score,
                reviewed_score=reviewed,
                comment=comments.get(code, "").strip(),
                reviewer=reviewer,
            )
        run.review_status = ReviewStatus.CHANGED if changed else ReviewStatus.CONFIRMED
        run.save(update_fields=["review_status"])
        log_action(
            "practice.run.reviewed",
            user=reviewer,
            data={"run": run.pk, "status": run.review_status},
        )
    return run
