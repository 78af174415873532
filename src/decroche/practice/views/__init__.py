"""Practice pages: role-play runs (runs.py) and two-evaluator assessments (assessments.py)."""

from .assessments import assessment_detail, assessment_file, assessment_list
from .runs import (
    my_runs,
    review_queue,
    run_list,
    run_play,
    run_result,
    run_review,
    run_start,
    scenario_list,
)

__all__ = [
    "assessment_detail",
    "assessment_file",
    "assessment_list",
    "my_runs",
    "review_queue",
    "run_list",
    "run_play",
    "run_result",
    "run_review",
    "run_start",
    "scenario_list",
]
