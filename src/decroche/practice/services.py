"""Writes of the practice app (issue 15): import a scenario, load the shipped ones, play a
run turn by turn, record the advisor's self-assessment and action plan, review scores.
Each business action writes one audit entry (no free text of the trainee in it)."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from decroche.core.services import log_action
from decroche.quality.choices import EvaluationStatus

from . import engine, importers
from .choices import AssessmentStatus, EvidenceKind, Reconciliation, ReviewStatus, SourceFormat
from .judges import judge_run
from .models import (
    Assessment,
    Block,
    Competency,
    Criterion,
    CriterionDecision,
    CriterionReview,
    EvidenceRecord,
    Framework,
    Grid,
    GridScore,
    Run,
    Scenario,
)
from .scenario_format import ScenarioError, validate
from .selectors import assessment_final_levels

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
        run.result = judge_run(run.scenario_data, state["events"], state["ending"])
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


# Certification (issue 15 §4–5; SPEC §8, seed 004) ---------------------------------------

FRAMEWORK_FILE = Path(__file__).resolve().parent / "data" / "framework.json"


def framework_load(*, path: Path = FRAMEWORK_FILE) -> Framework:
    """Create the framework version of the file if it does not exist yet. A version is
    never changed once loaded: a new content comes as a new version number."""
    data = json.loads(path.read_text(encoding="utf-8"))
    existing = Framework.objects.filter(code=data["code"], version=data["version"]).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        framework = Framework.objects.create(
            code=data["code"], version=data["version"], title=data["title"], levels=data["levels"]
        )
        for block_data in data["blocks"]:
            block = Block.objects.create(
                framework=framework,
                number=block_data["number"],
                title=block_data["title"],
                modality=block_data["modality"],
            )
            for competency_data in block_data["competencies"]:
                competency = Competency.objects.create(
                    block=block, code=competency_data["code"], title=competency_data["title"]
                )
                for criterion in competency_data["criteria"]:
                    Criterion.objects.create(
                        competency=competency, code=criterion["code"], label=criterion["label"]
                    )
    return framework


class AssessmentError(ValueError):
    """A step of the two-evaluator assessment that is not allowed now."""


def assessment_create(
    *, candidate, framework: Framework, evaluator_a, evaluator_b, user
) -> Assessment:
    if evaluator_a == evaluator_b or candidate in (evaluator_a, evaluator_b):
        raise AssessmentError("two distinct evaluators, neither the candidate, are required")
    with transaction.atomic():
        assessment = Assessment.objects.create(
            candidate=candidate,
            framework=framework,
            evaluator_a=evaluator_a,
            evaluator_b=evaluator_b,
        )
        for evaluator in (evaluator_a, evaluator_b):
            Grid.objects.create(assessment=assessment, evaluator=evaluator)
        log_action("practice.assessment.created", user=user, data={"assessment": assessment.pk})
    return assessment


def _own_grid(assessment: Assessment, evaluator) -> Grid:
    grid = assessment.grids.filter(evaluator=evaluator).first()
    if grid is None:
        raise AssessmentError("this assessment is not assigned to you")
    return grid


def grid_fill(
    *, assessment: Assessment, evaluator, levels: dict[int, int], comments: dict[str, str]
) -> Grid:
    """Save an evaluator's provisional levels (criterion id → level) and comments under
    each block's table. Refused once the grid is submitted."""
    grid = _own_grid(assessment, evaluator)
    if grid.submitted_at:
        raise AssessmentError("the grid is submitted: it can no longer change")
    top = len(assessment.framework.levels) - 1
    valid = set(
        Criterion.objects.filter(competency__block__framework=assessment.framework).values_list(
            "pk", flat=True
        )
    )
    for criterion_id, level in levels.items():
        if criterion_id not in valid or not 0 <= level <= top:
            raise AssessmentError(f"criterion {criterion_id}: level {level} not allowed")
    with transaction.atomic():
        for criterion_id, level in levels.items():
            GridScore.objects.update_or_create(
                grid=grid, criterion_id=criterion_id, defaults={"level": level}
            )
        grid.comments = {**grid.comments, **{k: v.strip() for k, v in comments.items()}}
        grid.save(update_fields=["comments"])
    return grid


def grid_submit(*, assessment: Assessment, evaluator) -> Grid:
    """Submit a complete grid; when both are in, reconciliation starts."""
    grid = _own_grid(assessment, evaluator)
    expected = Criterion.objects.filter(competency__block__framework=assessment.framework).count()
    if grid.scores.count() != expected:
        raise AssessmentError("every criterion needs a level before submitting")
    with transaction.atomic():
        grid.submitted_at = timezone.now()
        grid.save(update_fields=["submitted_at"])
        if not assessment.grids.filter(submitted_at__isnull=True).exists():
            assessment.status = AssessmentStatus.RECONCILING
            assessment.save(update_fields=["status"])
        log_action(
            "practice.assessment.grid_submitted", user=evaluator, data={"assessment": assessment.pk}
        )
    return grid


def criterion_reconcile(
    *,
    assessment: Assessment,
    criterion: Criterion,
    user,
    outcome: str,
    level: int | None = None,
    justification: str = "",
) -> CriterionDecision:
    """Agreement (both gave the same level, or agree on one), a justified decision, or an
    escalation to a third evaluator or the jury (issue 15 §5)."""
    if assessment.status not in (AssessmentStatus.RECONCILING, AssessmentStatus.ESCALATED):
        raise AssessmentError("reconciliation starts when both grids are submitted")
    if user not in (assessment.evaluator_a, assessment.evaluator_b) and not user.has_perm(
        "practice.manage_assessments"
    ):
        raise AssessmentError("only the evaluators or the jury reconcile")
    if outcome in (Reconciliation.DECIDED, Reconciliation.ESCALATED) and not justification.strip():
        raise AssessmentError("a decision or an escalation needs a justification")
    if outcome != Reconciliation.ESCALATED and level is None:
        raise AssessmentError("an agreement or a decision gives a level")
    with transaction.atomic():
        decision = CriterionDecision.objects.create(
            assessment=assessment,
            criterion=criterion,
            outcome=outcome,
            level=None if outcome == Reconciliation.ESCALATED else level,
            justification=justification.strip(),
            decided_by=user,
        )
        if outcome == Reconciliation.ESCALATED:
            assessment.status = AssessmentStatus.ESCALATED
            assessment.save(update_fields=["status"])
        log_action(
            "practice.assessment.reconciled",
            user=user,
            data={"assessment": assessment.pk, "criterion": criterion.code, "outcome": outcome},
        )
    return decision


def assessment_sign(*, assessment: Assessment, evaluator) -> Assessment:
    """Co-signature: once every criterion has a level (agreement or decision, the latest
    counts) and both evaluators signed, the result per block and overall is frozen with
    the framework version."""
    levels = assessment_final_levels(assessment)
    if levels is None:
        raise AssessmentError("every criterion must be reconciled to a level before signing")
    with transaction.atomic():
        now = timezone.now()
        if evaluator == assessment.evaluator_a:
            assessment.signed_a_at = assessment.signed_a_at or now
        elif evaluator == assessment.evaluator_b:
            assessment.signed_b_at = assessment.signed_b_at or now
        else:
            raise AssessmentError("only the two evaluators co-sign")
        if assessment.signed_a_at and assessment.signed_b_at:
            assessment.final = _frozen_result(assessment, levels)
            assessment.status = AssessmentStatus.SIGNED
        assessment.save()
        log_action("practice.assessment.signed", user=evaluator, data={"assessment": assessment.pk})
    return assessment


def _frozen_result(assessment: Assessment, levels: dict[int, int]) -> dict:
    """Per block: the lowest level of its criteria (a block is acquired when each of its
    criteria is); overall: acquired when every block reaches level 2 ("Acquis")."""
    framework = assessment.framework
    blocks = []
    for block in framework.blocks.prefetch_related("competencies__criteria"):
        block_levels = [
            levels[c.pk] for comp in block.competencies.all() for c in comp.criteria.all()
        ]
        blocks.append({"number": block.number, "level": min(block_levels)})
    return {
        "framework": framework.code,
        "version": framework.version,
        "blocks": blocks,
        "criteria": {str(pk): level for pk, level in levels.items()},
        "acquired": all(block["level"] >= ACQUIRED_LEVEL for block in blocks),
    }


ACQUIRED_LEVEL = 2


def evidence_record(
    *,
    assessment: Assessment,
    user,
    criterion: Criterion,
    kind: str,
    run: Run | None = None,
    quality_evaluation=None,
    reference: str = "",
    note: str = "",
    corrects: EvidenceRecord | None = None,
) -> EvidenceRecord:
    """Append one evidence record linking a criterion of the candidate to what showed it
    (issue 15 §4): a role-play run or a submitted quality evaluation of the candidate, an
    observed interaction or a file (named by its reference). Records are never changed:
    a correction is a new record that `corrects` the current one, with a note saying why.
    Only the assigned evaluators and the jury record, until the result is co-signed."""
    if user.pk not in (assessment.evaluator_a_id, assessment.evaluator_b_id) and not user.has_perm(
        "practice.manage_assessments"
    ):
        raise AssessmentError("only the evaluators of this assessment or the jury record evidence")
    if assessment.status == AssessmentStatus.SIGNED:
        raise AssessmentError("the result is co-signed and frozen: no more evidence")
    if criterion.competency.block.framework_id != assessment.framework_id:
        raise AssessmentError("this criterion is not in the assessment's framework")
    reference, note = reference.strip(), note.strip()
    if kind == EvidenceKind.ROLE_PLAY:
        if run is None or run.user_id != assessment.candidate_id or run.finished_at is None:
            raise AssessmentError("a role-play evidence names a finished run of the candidate")
    elif kind == EvidenceKind.QUALITY:
        advisor_user = getattr(getattr(quality_evaluation, "advisor", None), "user_id", None)
        if quality_evaluation is None or quality_evaluation.status != EvaluationStatus.SUBMITTED:
            raise AssessmentError("a quality evidence names a submitted quality evaluation")
        if advisor_user != assessment.candidate_id:
            raise AssessmentError("this quality evaluation is not the candidate's")
    elif kind in (EvidenceKind.INTERACTION, EvidenceKind.FILE):
        if not reference:
            raise AssessmentError("an observed interaction or a file needs its reference")
    else:
        raise AssessmentError(f"unknown kind of evidence: {kind}")
    if corrects is not None:
        if corrects.candidate_id != assessment.candidate_id:
            raise AssessmentError("a correction refers to a record of the same candidate")
        if corrects.corrections.exists():
            raise AssessmentError("this record is already corrected: correct the latest one")
        if not note:
            raise AssessmentError("a correction says why in its note")
    with transaction.atomic():
        record = EvidenceRecord(
            candidate_id=assessment.candidate_id,
            assessment=assessment,
            criterion=criterion,
            kind=kind,
            run=run if kind == EvidenceKind.ROLE_PLAY else None,
            quality_evaluation=quality_evaluation if kind == EvidenceKind.QUALITY else None,
            reference=reference,
            note=note,
            corrects=corrects,
            recorded_by=user,
        )
        record.full_clean()
        record.save()
        log_action(
            "practice.evidence.recorded",
            user=user,
            data={
                "assessment": assessment.pk,
                "evidence": record.pk,
                "criterion": criterion.code,
                "kind": kind,
                "corrects": corrects.pk if corrects else None,
            },
        )
    return record
