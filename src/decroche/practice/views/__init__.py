"""Practice pages: role-play runs (runs.py) and two-evaluator assessments (assessments.py)."""

from .assessments import (
    assessment_detail,
    assessment_evidence,
    assessment_file,
    assessment_list,
    my_assessments,
)
from .reports import agreement_report, assessment_results
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
    "agreement_report",
    "assessment_detail",
    "assessment_evidence",
    "assessment_file",
    "assessment_list",
    "assessment_results",
    "my_assessments",
    "my_runs",
    "review_queue",
    "run_list",
    "run_play",
    "run_result",
    "run_review",
    "run_start",
    "scenario_list",
]
