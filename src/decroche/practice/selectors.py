"""Reads of the practice app (issue 15): scenarios to play, runs each user may see, the
review queue, an advisor's progress per technique over time."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import QuerySet

from decroche.core.calendar import paris_day

from .choices import TECHNIQUE_LABELS, ReviewStatus
from .models import CriterionReview, Run, Scenario

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
