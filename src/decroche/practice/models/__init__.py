"""The practice app's models: role-play (runs) and certification (framework, assessments)."""

from .certification import (
    Assessment,
    Block,
    Competency,
    Criterion,
    CriterionDecision,
    EvidenceRecord,
    Framework,
    Grid,
    GridScore,
)
from .runs import CriterionReview, Run, Scenario

__all__ = [
    "Assessment",
    "Block",
    "Competency",
    "Criterion",
    "CriterionDecision",
    "CriterionReview",
    "EvidenceRecord",
    "Framework",
    "Grid",
    "GridScore",
    "Run",
    "Scenario",
]
