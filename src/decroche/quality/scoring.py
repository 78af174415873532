"""Scores of an evaluation on a grid, and the gaps of a calibration (SPEC §7, §3, §5).

Plain Python, no Django (checked by mypy). A grid is sections of questions; each answer
is one of the question's options, worth some points, or "not applicable".

- **Section score**: points earned / points possible over the section's *applicable*
  questions (an N/A question leaves both sums: the section is re-normalised). A section
  whose questions are all N/A is itself not applicable.
- **Total** (out of 100): Σ weight × section ratio / Σ weight of the applicable regular
  sections × 100; the grid's weights need not add up to 100.
- **Bonus section**: its ratio × its weight is added to the total, which stays ≤ 100.
- **Critical items**: a failed answer on a critical question sets its section's ratio to 0
  (scope `section`) or the whole evaluation to 0, bonus included (scope `evaluation`).

Calibration (SPEC §7 "calibration methodology ... gap measurement"): the same contact
scored blind by the contractor's and the Cnam's evaluators; gaps are measured between the
two parties' mean scores, in points of the total, per section and per question; any
disagreement on a critical item fails the calibration whatever the totals; the contract's
rule is a gap of at most 5 points (SPEC §3, §5 "gap Cnam–contractor ≤ 5").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

HUNDRED = Decimal(100)
SCORE_PLACES = Decimal("0.01")
CALIBRATION_MAX_GAP = Decimal(5)  # SPEC §3, §5: "gap Cnam–contractor ≤ 5 points"


class CriticalScope(StrEnum):
    """What a failed critical item sets to zero."""

    SECTION = "section"
    EVALUATION = "evaluation"


class Party(StrEnum):
    """Who evaluates in a calibration (SPEC §7: the Cnam scores with its own evaluators)."""

    CONTRACTOR = "contractor"
    CNAM = "cnam"


class GridError(ValueError):
    """A grid or an answer set that cannot be scored; the message names the item."""


@dataclass(frozen=True)
class Option:
    code: str
    points: Decimal = Decimal(0)
    not_applicable: bool = False
    failure: bool = False  # a failed item: a comment is required, a critical one zeroes


@dataclass(frozen=True)
class Question:
    code: str
    options: tuple[Option, ...]
    critical: CriticalScope | None = None

    @property
    def max_points(self) -> Decimal:
        return max((o.points for o in self.options if not o.not_applicable), default=Decimal(0))

    def option(self, code: str) -> Option:
        for option in self.options:
            if option.code == code:
                return option
        raise GridError(f"question {self.code}: no option {code!r}")


@dataclass(frozen=True)
class Section:
    code: str
    weight: Decimal
    questions: tuple[Question, ...]
    bonus: bool = False


@dataclass(frozen=True)
class Grid:
    sections: tuple[Section, ...]

    def questions(self) -> Iterable[tuple[Section, Question]]:
        for section in self.sections:
            for question in section.questions:
                yield section, question


def grid_check(grid: Grid) -> None:
    """Refuse a grid that cannot score: duplicate codes, no regular weight, a question
    without a scoring option, negative weights or points."""
    seen: set[str] = set()
    if not any(s.weight > 0 and not s.bonus for s in grid.sections):
        raise GridError("the grid needs a regular (non-bonus) section with a positive weight")
    for section in grid.sections:
        if section.weight < 0:
            raise GridError(f"section {section.code}: negative weight")
        if not section.questions:
            raise GridError(f"section {section.code}: no question")
        for question in section.questions:
            if question.code in seen:
                raise GridError(f"question {question.code}: code used twice")
            seen.add(question.code)
            if any(o.points < 0 for o in question.options):
                raise GridError(f"question {question.code}: negative points")
            if question.max_points <= 0:
                raise GridError(f"question {question.code}: no option worth points")


@dataclass(frozen=True)
class SectionScore:
    earned: Decimal
    possible: Decimal
    applicable: bool
    zeroed: bool  # a failed critical item of scope "section"

    @property
    def ratio(self) -> Decimal:
        if not self.applicable or self.zeroed:
            return Decimal(0)
        return self.earned / self.possible


@dataclass(frozen=True)
class Score:
    total: Decimal  # out of 100, rounded to the hundredth
    sections: dict[str, SectionScore]
    failed_critical: tuple[str, ...]  # question codes
    zeroed: bool  # a failed critical item of scope "evaluation"
    question_points: dict[str, Decimal | None] = field(default_factory=dict)  # None: N/A


def score(grid: Grid, answers: Mapping[str, str]) -> Score:
    """The score of `answers` (question code → option code) on `grid`; every question
    must be answered (N/A is an answer)."""
    sections: dict[str, SectionScore] = {}
    question_points: dict[str, Decimal | None] = {}
    failed_critical: list[str] = []
    zero_all = False
    for section in grid.sections:
        earned = possible = Decimal(0)
        zero_section = False
        for question in section.questions:
            if question.code not in answers:
                raise GridError(f"question {question.code}: no answer")
            option = question.option(answers[question.code])
            if option.not_applicable:
                question_points[question.code] = None
                continue
            question_points[question.code] = option.points
            earned += option.points
            possible += question.max_points
            if option.failure and question.critical is not None:
                failed_critical.append(question.code)
                if question.critical is CriticalScope.EVALUATION:
                    zero_all = True
                else:
                    zero_section = True
        sections[section.code] = SectionScore(earned, possible, possible > 0, zero_section)
    unknown = set(answers) - set(question_points)
    if unknown:
        raise GridError(f"answers to unknown questions: {', '.join(sorted(unknown))}")
    total = Decimal(0) if zero_all else _total(grid, sections)
    return Score(_round(total), sections, tuple(failed_critical), zero_all, question_points)


def _total(grid: Grid, sections: Mapping[str, SectionScore]) -> Decimal:
    regular = [s for s in grid.sections if not s.bonus and sections[s.code].applicable]
    weights = sum((s.weight for s in regular), Decimal(0))
    if weights == 0:
        return Decimal(0)
    base = sum((s.weight * sections[s.code].ratio for s in regular), Decimal(0)) / weights
    bonus = sum((s.weight * sections[s.code].ratio for s in grid.sections if s.bonus), Decimal(0))
    return min(HUNDRED, base * HUNDRED + bonus)


def _round(value: Decimal) -> Decimal:
    return value.quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)


def section_points(grid: Grid, result: Score) -> dict[str, Decimal]:
    """Each regular section's contribution to the total, in points out of 100 (what a
    calibration compares section by section)."""
    regular = [s for s in grid.sections if not s.bonus and result.sections[s.code].applicable]
    weights = sum((s.weight for s in regular), Decimal(0))
    if result.zeroed or weights == 0:
        return {s.code: Decimal(0) for s in grid.sections if not s.bonus}
    return {
        s.code: (
            s.weight * result.sections[s.code].ratio * HUNDRED / weights
            if result.sections[s.code].applicable
            else Decimal(0)
        )
        for s in grid.sections
        if not s.bonus
    }


# --- calibration ---


@dataclass(frozen=True)
class CalibrationGap:
    contractor_total: Decimal
    cnam_total: Decimal
    gap: Decimal  # |Cnam − contractor|, in points of the total
    section_gaps: dict[str, Decimal]
    question_gaps: dict[str, Decimal]
    critical_disagreements: tuple[str, ...]

    @property
    def within_limit(self) -> bool:
        """≤ 5 points and no disagreement on a critical item (SPEC §3, §7)."""
        return self.gap <= CALIBRATION_MAX_GAP and not self.critical_disagreements


def _mean(values: Sequence[Decimal]) -> Decimal:
    return sum(values, Decimal(0)) / len(values)


def calibration_gap(grid: Grid, scores: Sequence[tuple[Party, Score]]) -> CalibrationGap:
    """The gaps between the two parties' mean scores of one contact."""
    by_party = {party: [s for p, s in scores if p is party] for party in Party}
    for party, party_scores in by_party.items():
        if not party_scores:
            raise GridError(f"no {party.value} score: a calibration compares both parties")
    contractor, cnam = by_party[Party.CONTRACTOR], by_party[Party.CNAM]
    totals = {p: _mean([s.total for s in by_party[p]]) for p in Party}
    sections = {p: [section_points(grid, s) for s in by_party[p]] for p in Party}
    section_gaps = {
        code: _round(
            abs(
                _mean([d[code] for d in sections[Party.CNAM]])
                - _mean([d[code] for d in sections[Party.CONTRACTOR]])
            )
        )
        for code in sections[Party.CNAM][0]
    }
    question_gaps: dict[str, Decimal] = {}
    disagreements: list[str] = []
    for _section, question in grid.questions():

        def points(party_scores: list[Score], code: str = question.code) -> list[Decimal]:
            return [p for s in party_scores if (p := s.question_points[code]) is not None]

        mine, theirs = points(contractor), points(cnam)
        if mine and theirs:
            question_gaps[question.code] = _round(abs(_mean(theirs) - _mean(mine)))
        if question.critical is not None:
            verdicts = {question.code in s.failed_critical for s in (*contractor, *cnam)}
            if len(verdicts) > 1:
                disagreements.append(question.code)
    return CalibrationGap(
        contractor_total=_round(totals[Party.CONTRACTOR]),
        cnam_total=_round(totals[Party.CNAM]),
        gap=_round(abs(totals[Party.CNAM] - totals[Party.CONTRACTOR])),
        section_gaps=section_gaps,
        question_gaps=question_gaps,
        critical_disagreements=tuple(disagreements),
    )


def average_gap(gaps: Iterable[CalibrationGap]) -> Decimal | None:
    """The mean total gap over a session's contacts (the ≤ 5 rule "on average")."""
    values = [g.gap for g in gaps]
    return _round(_mean(values)) if values else None


def evaluator_bias(pairs: Iterable[tuple[str, Decimal, Decimal]]) -> dict[str, Decimal]:
    """Mean signed gap to the consensus per evaluator, from (evaluator, score, consensus):
    positive when the evaluator scores above the consensus."""
    gaps: dict[str, list[Decimal]] = {}
    for evaluator, given, consensus in pairs:
        gaps.setdefault(evaluator, []).append(given - consensus)
    return {evaluator: _round(_mean(values)) for evaluator, values in gaps.items()}
