"""Reads of the quality app: grids as the pure scorer sees them, the blind rule of
calibrations, and calibration reports (SPEC §7)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from . import scoring
from .choices import CalibrationStatus, CriticalScope, EvaluationStatus
from .models import (
    CalibrationItem,
    CalibrationSession,
    Evaluation,
    GridOption,
    GridQuestion,
    GridSection,
    GridVersion,
)


class CalibrationStillBlind(PermissionError):
    """The session is still being scored: nobody sees another evaluator's scores."""


def grid_version_sections(version: GridVersion) -> list[GridSection]:
    """The version's sections, questions and options in order, fetched in three queries."""
    questions = GridQuestion.objects.prefetch_related(
        Prefetch("options", queryset=GridOption.objects.order_by("position", "id"))
    ).order_by("position", "id")
    return list(
        version.sections.prefetch_related(Prefetch("questions", queryset=questions)).order_by(
            "position", "id"
        )
    )


def scoring_grid(version: GridVersion) -> scoring.Grid:
    """The version as the pure scorer reads it."""
    return scoring.Grid(
        tuple(
            scoring.Section(
                section.code,
                section.weight,
                tuple(
                    scoring.Question(
                        question.code,
                        tuple(
                            scoring.Option(
                                option.code, option.points, option.not_applicable, option.failure
                            )
                            for option in question.options.all()
                        ),
                        scoring.CriticalScope(question.critical)
                        if question.critical != CriticalScope.NONE
                        else None,
                    )
                    for question in section.questions.all()
                ),
                section.bonus,
            )
            for section in grid_version_sections(version)
        )
    )


def evaluation_answers(evaluation: Evaluation) -> dict[str, str]:
    """Question code → option code of a stored evaluation."""
    return dict(evaluation.answers.values_list("question__code", "option__code"))


def calibration_evaluations_visible(session: CalibrationSession, user) -> QuerySet[Evaluation]:
    """The session's evaluations `user` may read: while the session is being scored, only
    their own (the blind rule, SPEC §7); afterwards, all of them."""
    evaluations = Evaluation.objects.filter(calibration_item__session=session).exclude(
        status=EvaluationStatus.SUPERSEDED
    )
    if session.status == CalibrationStatus.SCORING:
        return evaluations.filter(evaluator=user)
    return evaluations


@dataclass(frozen=True)
class CalibrationLine:
    item: CalibrationItem
    gap: scoring.CalibrationGap | None  # None: one party has not scored this contact
    consensus: Decimal | None


@dataclass(frozen=True)
class CalibrationReport:
    session: CalibrationSession
    lines: list[CalibrationLine]
    average_gap: Decimal | None
    bias: dict[str, Decimal]  # evaluator username → mean signed gap to the consensus

    @property
    def within_limit(self) -> bool:
        """Every contact within 5 points without critical disagreement, and the average too."""
        gaps = [line.gap for line in self.lines if line.gap is not None]
        return (
            bool(gaps)
            and all(gap.within_limit for gap in gaps)
            and self.average_gap is not None
            and self.average_gap <= scoring.CALIBRATION_MAX_GAP
        )


def calibration_report(session: CalibrationSession) -> CalibrationReport:
    """Gaps per contact, section and question, once the scores are revealed."""
    if session.status == CalibrationStatus.SCORING:
        raise CalibrationStillBlind(session.pk)
    grid = scoring_grid(session.grid_version)
    lines: list[CalibrationLine] = []
    pairs: list[tuple[str, Decimal, Decimal]] = []
    items = session.items.prefetch_related(
        "evaluations__answers__question", "evaluations__answers__option", "evaluations__evaluator"
    )
    for item in items:
        scores: list[tuple[scoring.Party, scoring.Score]] = []
        for evaluation in item.evaluations.all():
            if evaluation.status != EvaluationStatus.SUBMITTED:
                continue
            answers = {a.question.code: a.option.code for a in evaluation.answers.all()}
            scores.append((scoring.Party(evaluation.evaluator_party), scoring.score(grid, answers)))
            if item.consensus_score is not None and evaluation.total is not None:
                pairs.append(
                    (evaluation.evaluator.get_username(), evaluation.total, item.consensus_score)
                )
        parties = {party for party, _score in scores}
        gap = scoring.calibration_gap(grid, scores) if len(parties) == 2 else None
        lines.append(CalibrationLine(item, gap, item.consensus_score))
    return CalibrationReport(
        session,
        lines,
        scoring.average_gap(line.gap for line in lines if line.gap is not None),
        scoring.evaluator_bias(pairs),
    )
