"""Reads of the quality app: grids as the pure scorer sees them, the blind rule of
calibrations, and calibration reports (SPEC §7)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Avg, Count, Prefetch, Q, QuerySet

from decroche.contacts.models import SurveyResponse
from decroche.core.calendar import add_months, month_first
from decroche.organisation.models import Advisor, ContactReason
from decroche.organisation.selectors import user_scope

from . import scoring
from .choices import (
    CalibrationStatus,
    CoachingKind,
    CriticalScope,
    DisputeStatus,
    EvaluationOrigin,
    EvaluationStatus,
)
from .models import (
    CalibrationItem,
    CalibrationSession,
    CoachingSession,
    Dispute,
    Evaluation,
    GridOption,
    GridQuestion,
    GridSection,
    GridVersion,
    QualityCommitment,
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
    return scoring_grid_of(grid_version_sections(version))


def scoring_grid_of(sections: list[GridSection]) -> scoring.Grid:
    """Sections already fetched (`grid_version_sections`) as the pure scorer reads them."""
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
            for section in sections
        )
    )


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


# --- what each person may read (SPEC §9: access by need; the people side is least privilege) ---

EVALUATE = "quality.evaluate"
MANAGE = "quality.manage_quality"
VIEW_IN_SCOPE = "quality.view_evaluations"
FOR_CNAM = "quality.evaluate_for_cnam"


def evaluations_visible_to(user) -> QuerySet[Evaluation]:
    """Current (not superseded) evaluations `user` may read, calibration scores excluded
    (they stay out of advisors' results, SPEC §7): quality staff and team leaders within
    their scope; an advisor, their own."""
    current = Evaluation.objects.exclude(status=EvaluationStatus.SUPERSEDED).exclude(
        origin=EvaluationOrigin.CALIBRATION
    )
    if user.has_perm(VIEW_IN_SCOPE) or user.has_perm(EVALUATE):
        scope = user_scope(user)
        if scope.everything:
            return current
        return current.filter(advisor_id__in=scope.advisor_ids)
    return current.filter(advisor__user=user)


def evaluation_history(evaluation: Evaluation) -> list[Evaluation]:
    """Every version of an evaluation, oldest first (revisions chain through `revision_of`)."""
    chain = [evaluation]
    while chain[0].revision_of_id is not None:
        chain.insert(0, Evaluation.objects.get(pk=chain[0].revision_of_id))
    return chain


@dataclass(frozen=True)
class MonthQuality:
    month: dt.date
    evaluations: int
    average: Decimal | None
    feedback_sessions: int


def advisor_quality_trend(advisor: Advisor, *, months: int, today: dt.date) -> list[MonthQuality]:
    """The advisor's last `months` months: evaluations, average score, feedback sessions."""
    first = add_months(month_first(today), -(months - 1))
    rows = (
        Evaluation.objects.filter(
            advisor=advisor,
            status=EvaluationStatus.SUBMITTED,
            contact_day__gte=first,
        )
        .exclude(origin=EvaluationOrigin.CALIBRATION)
        .values_list("contact_day", "total")
    )
    by_month: dict[dt.date, list[Decimal]] = {}
    for day, total in rows:
        by_month.setdefault(month_first(day), []).append(total)
    sessions: dict[dt.date, int] = {}
    for held_on in CoachingSession.objects.filter(advisor=advisor, held_on__gte=first).values_list(
        "held_on", flat=True
    ):
        sessions[month_first(held_on)] = sessions.get(month_first(held_on), 0) + 1
    trend = []
    for index in range(months):
        month = add_months(first, index)
        totals = by_month.get(month, [])
        trend.append(
            MonthQuality(
                month,
                len(totals),
                (sum(totals, Decimal(0)) / len(totals)).quantize(Decimal("0.01"))
                if totals
                else None,
                sessions.get(month, 0),
            )
        )
    return trend


def open_coachings(advisor: Advisor) -> QuerySet[CoachingSession]:
    return CoachingSession.objects.filter(
        advisor=advisor, kind=CoachingKind.COACHING, closed_at__isnull=True
    ).order_by("due_on")


def commitment_on(day: dt.date) -> QualityCommitment:
    """The quality commitments in force on `day` (the defaults when none is recorded)."""
    return QualityCommitment.objects.filter(valid_from__lte=day).first() or QualityCommitment(
        valid_from=day
    )


def evaluator_names(by_username: dict[str, Decimal]) -> list[tuple[str, Decimal]]:
    """(full name, value) for each evaluator's username, in name order."""
    users = get_user_model().objects.filter(username__in=by_username)
    names = {u.username: u.get_full_name() or u.username for u in users}
    return sorted((names.get(k, k), v) for k, v in by_username.items())


# --- the committee packs' quality section (SPEC §6 "quality, satisfaction"; SPEC §4 the gap
# between perceived and produced quality) ----------------------------------------------------


@dataclass(frozen=True)
class CalibrationSummary:
    session: CalibrationSession
    average_gap: Decimal | None
    within_limit: bool


def calibrations_revealed(start: dt.date, end: dt.date) -> list[CalibrationSummary]:
    """The calibrations held in [start, end] whose scores are revealed (never a blind one)."""
    sessions = CalibrationSession.objects.filter(held_on__range=(start, end)).exclude(
        status=CalibrationStatus.SCORING
    )
    summaries = []
    for session in sessions.order_by("held_on", "pk"):
        report = calibration_report(session)
        summaries.append(CalibrationSummary(session, report.average_gap, report.within_limit))
    return summaries


def disputes_counts(start: dt.date, end: dt.date) -> dict[str, int]:
    """Disputes raised in the range, those decided in it (score kept, changed) and those
    open at its end."""
    raised = Dispute.objects.filter(raised_at__date__range=(start, end)).count()
    decided = Dispute.objects.filter(decided_at__date__range=(start, end))
    return {
        "raised": raised,
        "kept": decided.filter(status=DisputeStatus.KEPT).count(),
        "changed": decided.filter(status=DisputeStatus.CHANGED).count(),
        "open": Dispute.objects.filter(raised_at__date__lte=end)
        .exclude(decided_at__date__lte=end)
        .count(),
    }


def coaching_counts(start: dt.date, end: dt.date) -> dict[str, int]:
    """Feedback sessions and coachings held in the range; coachings closed in it, and open
    at its end."""
    held = CoachingSession.objects.filter(held_on__range=(start, end))
    coachings = CoachingSession.objects.filter(kind=CoachingKind.COACHING)
    return {
        "feedback": held.filter(kind=CoachingKind.FEEDBACK).count(),
        "coaching": held.filter(kind=CoachingKind.COACHING).count(),
        "closed": coachings.filter(closed_at__date__range=(start, end)).count(),
        "open": coachings.filter(held_on__lte=end).exclude(closed_at__date__lte=end).count(),
    }


@dataclass(frozen=True)
class PerceivedProduced:
    label: str
    surveys: int
    satisfied_share: Decimal | None  # CSAT: share of 4 and 5 out of 5, in [0, 1]
    evaluations: int
    average_score: Decimal | None  # /100

    @property
    def gap(self) -> Decimal | None:
        """Produced minus perceived, in points (the score /100 against the CSAT in %)."""
        if self.satisfied_share is None or self.average_score is None:
            return None
        return (self.average_score - 100 * self.satisfied_share).quantize(Decimal("0.1"))


def perceived_and_produced(start: dt.date, end: dt.date, by: str) -> list[PerceivedProduced]:
    """Per reason (`by="reason"`) or per advisor (`by="advisor"`): the hot satisfaction of
    the surveys answered in the range (`contacts.SurveyResponse.csat`) beside the average
    score of the current evaluations of contacts of the range (calibrations left out)."""
    key = {"reason": "reason", "advisor": "advisor"}[by]
    surveys = (
        SurveyResponse.objects.filter(day__range=(start, end), csat__isnull=False)
        .values(key)
        .annotate(n=Count("pk"), happy=Count("pk", filter=Q(csat__gte=4)))
    )
    scores = (
        Evaluation.objects.filter(
            contact_day__range=(start, end), status=EvaluationStatus.SUBMITTED
        )
        .exclude(origin=EvaluationOrigin.CALIBRATION)
        .values(key)
        .annotate(n=Count("pk"), mean=Avg("total"))
    )
    perceived = {row[key]: (row["n"], row["happy"]) for row in surveys}
    produced = {row[key]: (row["n"], row["mean"]) for row in scores}
    ids = {k for k in {*perceived, *produced} if k is not None}
    if by == "reason":
        names = {r.pk: r.label for r in ContactReason.objects.filter(pk__in=ids)}
    else:
        names = {a.pk: f"{a.first_name} {a.last_name}" for a in Advisor.objects.filter(pk__in=ids)}
    lines = []
    for pk in sorted(ids, key=lambda k: names.get(k, "")):
        n_surveys, happy = perceived.get(pk, (0, 0))
        n_evaluations, mean = produced.get(pk, (0, None))
        lines.append(
            PerceivedProduced(
                names.get(pk, str(pk)),
                n_surveys,
                (Decimal(happy) / n_surveys) if n_surveys else None,
                n_evaluations,
                None if mean is None else Decimal(str(mean)).quantize(Decimal("0.01")),
            )
        )
    return lines
