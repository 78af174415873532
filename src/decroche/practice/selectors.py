"""Reads of the practice app (issue 15): scenarios to play, runs each user may see, the
review queue, an advisor's progress per technique over time."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q, QuerySet

from decroche.core.calendar import paris_day
from decroche.quality.choices import EvaluationStatus
from decroche.quality.models import Evaluation

from .agreement import cohen_kappa, exact_agreement
from .choices import TECHNIQUE_LABELS, AssessmentStatus, ReviewStatus
from .models import (
    Assessment,
    Criterion,
    CriterionDecision,
    CriterionReview,
    EvidenceRecord,
    Framework,
    Grid,
    Run,
    Scenario,
)

PRACTISE = "practice.practise"
VIEW_ALL_RUNS = "practice.view_all_runs"
REVIEW_RUN = "practice.review_run"
MANAGE_SCENARIOS = "practice.manage_scenarios"


def scenarios_available() -> QuerySet[Scenario]:
    return Scenario.objects.filter(active=True)


def runs_visible_to(user) -> QuerySet[Run]:
    """A trainer (view_all_runs) sees every run; anyone else their own runs only."""
    runs = Run.objects.select_related("scenario", "user")
    if user.has_perm(VIEW_ALL_RUNS):
        return runs
    return runs.filter(user=user)


def review_queue() -> QuerySet[Run]:
    """Finished runs whose scores no trainer has confirmed or changed yet, oldest first."""
    return (
        Run.objects.filter(review_status=ReviewStatus.PENDING)
        .select_related("scenario", "user")
        .order_by("finished_at", "pk")
    )


def reviewed_scores(run: Run) -> dict[str, CriterionReview]:
    """The latest review of each criterion of a run."""
    latest: dict[str, CriterionReview] = {}
    for review in run.reviews.order_by("reviewed_at", "pk").select_related("reviewer"):
        latest[review.criterion] = review
    return latest


def progress_per_technique(user) -> dict[str, list[tuple[str, int]]]:
    """Technique label -> [(Paris date of the run, points earned with it)], oldest first:
    the advisor's progress per technique over time (issue 15 §3)."""
    progress: dict[str, list[tuple[str, int]]] = defaultdict(list)
    runs = Run.objects.filter(user=user, finished_at__isnull=False).order_by("finished_at", "pk")
    for run in runs.only("finished_at", "result"):
        day = paris_day(run.finished_at).isoformat()
        for technique, points in sorted(run.result.get("techniques", {}).items()):
            progress[str(TECHNIQUE_LABELS.get(technique, technique))].append((day, points))
    return dict(sorted(progress.items()))


# Certification (issue 15 §5) ---------------------------------------------------------


def framework_current() -> Framework:
    """The latest version of the certification framework."""
    return Framework.objects.order_by("-version", "-pk").first()


def assessments_visible_to(user) -> QuerySet[Assessment]:
    """The jury (manage_assessments) sees every assessment; an evaluator only those
    assigned to them; a candidate their own."""
    assessments = Assessment.objects.select_related(
        "candidate", "framework", "evaluator_a", "evaluator_b"
    )
    if user.has_perm("practice.manage_assessments"):
        return assessments
    return assessments.filter(Q(evaluator_a=user) | Q(evaluator_b=user) | Q(candidate=user))


def grid_readable_by(grid: Grid, user) -> bool:
    """Blindness (issue 15 §5): an evaluator reads their own grid; the other evaluator's
    only once both grids are submitted. The jury reads submitted grids; nobody else
    reads a provisional grid."""
    if grid.evaluator_id == user.pk:
        return True
    if grid.submitted_at is None:
        return False
    assessment = grid.assessment
    if user.pk in (assessment.evaluator_a_id, assessment.evaluator_b_id):
        return not assessment.grids.filter(submitted_at__isnull=True).exists()
    return (
        user.has_perm("practice.manage_assessments")
        or assessment.candidate_id == user.pk
        and (assessment.status == AssessmentStatus.SIGNED)
    )


def grid_levels(grid: Grid, user) -> dict[int, int]:
    """Criterion id → level of a grid, if `user` may read it (else PermissionError)."""
    if not grid_readable_by(grid, user):
        raise PermissionError("this grid is not readable before both are submitted")
    return dict(grid.scores.values_list("criterion_id", "level"))


def assessment_differences(assessment: Assessment, user) -> list[dict]:
    """Per criterion, both evaluators' levels and whether they differ; only once both
    grids are submitted (before, PermissionError)."""
    grids = {grid.evaluator_id: grid for grid in assessment.grids.all()}
    first = grid_levels(grids[assessment.evaluator_a_id], user)
    second = grid_levels(grids[assessment.evaluator_b_id], user)
    criteria = Criterion.objects.filter(competency__block__framework=assessment.framework).order_by(
        "competency__block__number", "competency__code", "code"
    )
    return [
        {
            "criterion": criterion,
            "a": first.get(criterion.pk),
            "b": second.get(criterion.pk),
            "differs": first.get(criterion.pk) != second.get(criterion.pk),
        }
        for criterion in criteria
    ]


def assessment_final_levels(assessment: Assessment) -> dict[int, int] | None:
    """Criterion id → reconciled level (the latest decision of each criterion; the two
    grids' common level where they agree and nobody decided otherwise), or None while a
    criterion has no level (differs and undecided, or escalated without a decision)."""
    grids = list(assessment.grids.all())
    if len(grids) != 2 or any(grid.submitted_at is None for grid in grids):
        return None
    first, second = (dict(grid.scores.values_list("criterion_id", "level")) for grid in grids)
    decisions: dict[int, CriterionDecision] = {}
    for decision in assessment.decisions.order_by("decided_at", "pk"):
        decisions[decision.criterion_id] = decision
    levels: dict[int, int] = {}
    for criterion_id in first:
        decision = decisions.get(criterion_id)
        if decision is not None:
            if decision.level is None:
                return None
            levels[criterion_id] = decision.level
        elif first[criterion_id] == second.get(criterion_id):
            levels[criterion_id] = first[criterion_id]
        else:
            return None
    return levels


def agreement_report(framework) -> dict:
    """Share of exact agreement and Cohen's kappa per criterion and per evaluator pair,
    over the submitted grids of the framework's assessments (issue 15 §5)."""
    per_criterion: dict[str, list[tuple[int, int]]] = defaultdict(list)
    per_pair: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    assessments = Assessment.objects.filter(framework=framework).select_related(
        "evaluator_a", "evaluator_b"
    )
    codes = dict(
        Criterion.objects.filter(competency__block__framework=framework).values_list("pk", "code")
    )
    for assessment in assessments:
        grids = {
            grid.evaluator_id: grid for grid in assessment.grids.filter(submitted_at__isnull=False)
        }
        if len(grids) != 2:
            continue
        first = dict(grids[assessment.evaluator_a_id].scores.values_list("criterion_id", "level"))
        second = dict(grids[assessment.evaluator_b_id].scores.values_list("criterion_id", "level"))
        pair = tuple(sorted((assessment.evaluator_a.username, assessment.evaluator_b.username)))
        for criterion_id, level in first.items():
            per_criterion[codes[criterion_id]].append((level, second[criterion_id]))
            per_pair[pair].append((level, second[criterion_id]))
    return {
        "criteria": {
            code: {"n": len(p), "exact": exact_agreement(p), "kappa": cohen_kappa(p)}
            for code, p in sorted(per_criterion.items())
        },
        "pairs": {
            pair: {"n": len(p), "exact": exact_agreement(p), "kappa": cohen_kappa(p)}
            for pair, p in sorted(per_pair.items())
        },
    }


def evidence_visible_to(assessment: Assessment, user) -> list[EvidenceRecord]:
    """The candidate's evidence records in the assessment's framework, oldest first, each
    with `superseded` set when a later record corrects it. Blindness (issue 15 §5): while
    a grid is provisional, an evaluator does not see the evidence the other evaluator
    recorded in this assessment (its notes would tell their judgement)."""
    records = (
        EvidenceRecord.objects.filter(
            candidate_id=assessment.candidate_id,
            criterion__competency__block__framework=assessment.framework,
        )
        .select_related("criterion", "recorded_by", "run__scenario", "corrects")
        .order_by("recorded_at", "pk")
    )
    records = list(records)
    evaluators = {assessment.evaluator_a_id, assessment.evaluator_b_id}
    if user.pk in evaluators and assessment.grids.filter(submitted_at__isnull=True).exists():
        other = evaluators - {user.pk}
        hidden = {
            r.pk for r in records if r.assessment_id == assessment.pk and r.recorded_by_id in other
        }
        for record in records:  # oldest first: a correction of a hidden record is hidden too
            if record.corrects_id in hidden:
                hidden.add(record.pk)
        records = [record for record in records if record.pk not in hidden]
    corrected = {record.corrects_id for record in records if record.corrects_id}
    for record in records:
        record.superseded = record.pk in corrected
    return records


def candidate_runs_for_evidence(assessment: Assessment) -> QuerySet[Run]:
    """The candidate's finished role-play runs, newest first, to link as evidence."""
    return (
        Run.objects.filter(user_id=assessment.candidate_id, finished_at__isnull=False)
        .select_related("scenario")
        .order_by("-finished_at", "-pk")
    )


def assessment_results() -> list[dict]:
    """The co-signed assessments, newest signature first, each with its frozen result per
    block (level label) and overall (issue 15 §5): what the jury and the client auditor
    read. Only signed assessments, whose grids are final."""
    signed = Assessment.objects.filter(status=AssessmentStatus.SIGNED).select_related(
        "candidate", "framework", "evaluator_a", "evaluator_b"
    )
    results = []
    for assessment in signed:
        levels = assessment.framework.levels
        results.append(
            {
                "assessment": assessment,
                "signed_at": max(assessment.signed_a_at, assessment.signed_b_at),
                "blocks": [
                    {"number": block["number"], "level": levels[block["level"]]}
                    for block in assessment.final["blocks"]
                ],
                "acquired": assessment.final["acquired"],
            }
        )
    return sorted(results, key=lambda row: (row["signed_at"], row["assessment"].pk), reverse=True)


def candidate_quality_evaluations(assessment: Assessment):
    """The candidate's submitted quality evaluations, newest first, to link as evidence."""
    from_quality = Evaluation.objects.filter(
        advisor__user_id=assessment.candidate_id, status=EvaluationStatus.SUBMITTED
    )
    return from_quality.select_related("advisor").order_by("-contact_day", "-pk")


def assessments_of_candidate(user) -> QuerySet[Assessment]:
    """The assessments of which `user` is the candidate, newest first."""
    return Assessment.objects.filter(candidate_id=user.pk).select_related(
        "framework", "evaluator_a", "evaluator_b"
    )
