"""Reads of the training app (SPEC §8): sessions in a user's view, the cancellation
register, requests with their deadline, certificates, and the initial path per advisor
(SPEC §3 "initially trained advisors")."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext as _

from decroche.indicators.catalogue import IndicatorDefinition
from decroche.indicators.models import IndicatorVersion
from decroche.indicators.selectors import compute, indicator_reports
from decroche.organisation.models import Advisor

from . import rules
from .choices import EnrolmentStatus, SessionStatus
from .models import (
    Attendance,
    Certificate,
    Enrolment,
    Programme,
    SatisfactionResponse,
    Session,
    SessionHalfDay,
    TestAnswer,
    TrainingRequest,
    TransferEvaluation,
)


def sessions_for(user) -> QuerySet[Session]:
    """Every session for who manages or reads training; a trainer's own sessions else."""
    sessions = Session.objects.select_related("programme").prefetch_related("half_days")
    if user.has_perm("training.manage_training") or user.has_perm("training.view_training"):
        return sessions
    return sessions.filter(trainers=user)


def cancellation_register() -> QuerySet[Session]:
    """Sessions cancelled by the training body after validation (contract penalties)."""
    return (
        Session.objects.filter(status=SessionStatus.CANCELLED_BY_BODY)
        .select_related("programme")
        .order_by("-cancelled_on")
    )


def requests_with_deadline(today: dt.date) -> list[tuple[TrainingRequest, bool]]:
    return [
        (request, request.is_overdue(today))
        for request in TrainingRequest.objects.select_related(
            "programme", "session", "requested_by"
        )
    ]


def enrolments_of(user) -> QuerySet[Enrolment]:
    """A trainee's own enrolments (through their account or their advisor record)."""
    return (
        Enrolment.objects.filter(Q(user=user) | Q(advisor__user=user))
        .exclude(status=EnrolmentStatus.CANCELLED)
        .select_related("session__programme")
        .prefetch_related("session__half_days", "certificates")
    )


def issued_certificates() -> QuerySet[Certificate]:
    return Certificate.objects.select_related("enrolment__session__programme").order_by("pk")


def initial_path() -> tuple[dict[int, Decimal], list[int]]:
    """The initial path's modules (programme id → hours) and the required ones."""
    modules = Programme.objects.filter(is_initial_path=True).values_list(
        "pk", "duration_hours", "path_optional"
    )
    hours = {pk: duration for pk, duration, _optional in modules}
    return hours, [pk for pk, _duration, optional in modules if not optional]


def path_completion(
    advisor_ids=None, *, until: dt.date | None = None
) -> dict[int, dict[int, dt.date | None]]:
    """advisor id → {module id → the day the module was completed}: per session, the
    half-days attended in day order until they reach the module's hours (only modules
    completed are keys). `until`: half-days after it are left out (they cannot count for
    an advisor on the line by then). The half-days are read apart (a few hundred) so that
    the attendance lines come as plain integers and text, without a join or a decimal
    conversion per line: the indicator reads them at every computation."""
    hours, _required = initial_path()
    half_days = SessionHalfDay.objects.filter(session__programme__in=list(hours))
    if until is not None:
        half_days = half_days.filter(day__lte=until)
    slots = {pk: (day, length) for pk, day, length in half_days.values_list("pk", "day", "hours")}
    lines = Attendance.objects.filter(
        is_current=True,
        enrolment__advisor__isnull=False,
        enrolment__status=EnrolmentStatus.ENROLLED,
        half_day__in=list(slots) if until is not None else half_days,
    )
    if advisor_ids is not None:
        lines = lines.filter(enrolment__advisor__in=advisor_ids)
    attended: dict[tuple[int, int, int], list] = defaultdict(list)
    for advisor, programme, session, slot, presence, missed in lines.values_list(
        "enrolment__advisor",
        "enrolment__session__programme",
        "enrolment__session",
        "half_day",
        "presence",
        "minutes_missed",
    ):
        day, length = slots[slot]
        worth = length if presence == "present" else rules.half_day_hours(presence, length, missed)
        attended[(advisor, programme, session)].append((day, worth))
    completion: dict[int, dict[int, dt.date | None]] = defaultdict(dict)
    for (advisor, programme, _session), days in attended.items():
        done = rules.module_completed_on(days, hours[programme])
        known = completion[advisor].get(programme)
        if done is not None and (known is None or done < known):
            completion[advisor][programme] = done
    return completion


def operational_day(advisor: dict) -> dt.date:
    """The day the advisor went on the line: recorded (`LineStart`), else the joining day."""
    return advisor["line_start__operational_on"] or advisor["joined_on"]


@dataclass(frozen=True)
class PathStatus:
    advisor: Advisor
    operational_on: dt.date
    trained: bool
    missing: list[str]  # titles of the required modules not completed before that day


def advisors_without_full_path(start: dt.date, end: dt.date) -> list[PathStatus]:
    """Advisors operational at some point in [start, end] who went on the line without
    the whole initial path (SPEC §3): the list beside the indicator."""
    hours, required = initial_path()
    titles = dict(Programme.objects.filter(pk__in=required).values_list("pk", "title"))
    advisors = list(
        Advisor.objects.select_related("site", "team", "line_start")
        .filter(
            Q(line_start__operational_on__lte=end) | Q(line_start__isnull=True, joined_on__lte=end)
        )
        .exclude(left_on__lt=start)
        .order_by("last_name", "first_name")
    )
    completion = path_completion([a.pk for a in advisors])
    found = []
    for advisor in advisors:
        line_start = getattr(advisor, "line_start", None)
        on = line_start.operational_on if line_start else advisor.joined_on
        done = completion.get(advisor.pk, {})
        if rules.initially_trained(done, required, on):
            continue
        missing = [
            titles[module] for module in required if not (done.get(module) and done[module] <= on)
        ]
        found.append(PathStatus(advisor, on, False, missing))
    return found


def last_attended_day(enrolment: Enrolment) -> dt.date | None:
    return enrolment.attendances.filter(is_current=True).aggregate(day=Max("half_day__day"))["day"]


@dataclass(frozen=True)
class TraineeGain:
    name: str
    pre: tuple[int, int]  # (right, asked)
    post: tuple[int, int]
    gain: float | None


@dataclass(frozen=True)
class ObjectiveGain:
    objective: str
    pre: float | None
    post: float | None
    gain: float | None


@dataclass(frozen=True)
class SessionEvaluation:
    trainees: list[TraineeGain]
    objectives: list[ObjectiveGain]
    satisfaction: float | None  # mean rating, 1 to 5
    objectives_met: float | None
    answers: int
    comments: list[str]
    transfer: dict[str, tuple[float | None, int]]  # respondent → (mean applied, answers)


def session_evaluation(session: Session) -> SessionEvaluation:
    """Pre/post gain per trainee and per objective (pooled over the trainees who took both
    tests), and the hot satisfaction (issue 13 point 5)."""
    counts: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    by_objective: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    names = {}
    rows = TestAnswer.objects.filter(enrolment__session=session).values_list(
        "enrolment", "enrolment__trainee_name", "kind", "question__objective", "correct"
    )
    taken: dict[int, set[str]] = defaultdict(set)
    for enrolment, name, kind, _objective, _correct in rows:
        taken[enrolment].add(kind)
        names[enrolment] = name
    both = {e for e, kinds in taken.items() if kinds == {"pre", "post"}}
    for enrolment, _name, kind, objective, correct in rows:
        counts[(enrolment, kind)][0] += correct
        counts[(enrolment, kind)][1] += 1
        if enrolment in both:
            by_objective[(objective, kind)][0] += correct
            by_objective[(objective, kind)][1] += 1
    trainees = []
    for enrolment in sorted(names, key=names.get):
        pre = tuple(counts.get((enrolment, "pre"), [0, 0]))
        post = tuple(counts.get((enrolment, "post"), [0, 0]))
        trainees.append(TraineeGain(names[enrolment], pre, post, rules.test_gain(pre, post)))  # type: ignore[arg-type]
    objectives = []
    for objective in sorted({o for o, _kind in by_objective}):
        pre = tuple(by_objective.get((objective, "pre"), [0, 0]))
        post = tuple(by_objective.get((objective, "post"), [0, 0]))
        objectives.append(
            ObjectiveGain(
                objective,
                rules.share(*pre),
                rules.share(*post),
                rules.test_gain(pre, post),  # type: ignore[arg-type]
            )
        )
    responses = list(SatisfactionResponse.objects.filter(enrolment__session=session))
    return SessionEvaluation(
        trainees=trainees,
        objectives=objectives,
        satisfaction=sum(r.rating for r in responses) / len(responses) if responses else None,
        objectives_met=sum(r.objectives_met for r in responses) / len(responses)
        if responses
        else None,
        answers=len(responses),
        comments=[r.comment for r in responses if r.comment],
        transfer=_transfer_means(session),
    )


def _transfer_means(session: Session) -> dict[str, tuple[float | None, int]]:
    answered = TransferEvaluation.objects.filter(
        enrolment__session=session, answered_at__isnull=False
    ).values_list("respondent", "applied")
    found: dict[str, list[int]] = defaultdict(list)
    for respondent, applied in answered:
        found[respondent].append(applied)
    return {
        respondent: (sum(values) / len(values) if values else None, len(values))
        for respondent, values in ((r, found.get(r, [])) for r in ("trainee", "manager"))
    }


# The operational figures shown beside a session's evaluation (issue 13 point 6): catalogue
# indicators in force, and the mean score of the quality evaluations (no catalogue indicator
# averages every evaluation of an advisor; the engine computes the formula all the same).
BEFORE_AFTER_CODES = ("average_handling_time", "csat", "answer_rate")
QUALITY_SCORE_FORMULA = "sum(quality_evaluations.score) / count(quality_evaluations)"


@dataclass(frozen=True)
class BeforeAfter:
    label: str
    unit: str
    before: float | None
    after: float | None


# Figures that apps above training add beside a session's evaluation, registered at
# start-up (wellbeing: the incidents the trainees suffered per 10,000 calls they handled).
# Each provider takes the trainees' logins and the two windows (first and last day
# included) and returns one `BeforeAfter`.
BeforeAfterProvider = Callable[
    [set[str], tuple[dt.date, dt.date], tuple[dt.date, dt.date]], BeforeAfter
]
_BEFORE_AFTER_PROVIDERS: list[BeforeAfterProvider] = []


def before_after_register(provider: BeforeAfterProvider) -> None:
    if provider not in _BEFORE_AFTER_PROVIDERS:
        _BEFORE_AFTER_PROVIDERS.append(provider)


def session_trainee_logins(session: Session) -> set[str]:
    """The advisors who attended at least one half-day of the session."""
    return set(
        Attendance.objects.filter(
            half_day__session=session,
            is_current=True,
            enrolment__advisor__isnull=False,
            presence__in=["present", "late", "left_early"],
        ).values_list("enrolment__advisor__login", flat=True)
    )


def _pooled(results, logins: set[str]) -> dict[str, float | None]:
    """Σ numerators / Σ denominators over the advisors of `logins`, per indicator."""
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for result in results:
        if dict(result.keys).get("advisor") in logins and result.denominator:
            sums[result.indicator][0] += result.numerator or 0.0
            sums[result.indicator][1] += result.denominator
    return {code: (n / d if d else None) for code, (n, d) in sums.items()}


def operational_before_after(session: Session, *, days: int = 30) -> list[BeforeAfter]:
    """The trained advisors' figures over the `days` before the session's first half-day
    and the `days` after its last (same length), from the indicator engine by advisor,
    pooled over the session's trainees (ratio of sums, not a mean of ratios)."""
    half_days = list(session.half_days.all())
    logins = session_trainee_logins(session)
    if not half_days or not logins:
        return []
    first, last = half_days[0].day, half_days[-1].day
    windows = {
        "before": (first - dt.timedelta(days=days), first - dt.timedelta(days=1)),
        "after": (last + dt.timedelta(days=1), last + dt.timedelta(days=days)),
    }
    quality = IndicatorDefinition(
        id="training_quality_score",
        label="Quality evaluations, mean score",
        category="quality",
        purpose="",
        formula_text="",
        formula=QUALITY_SCORE_FORMULA,
        unit="score",
        target="",
        valid_from=dt.date(1900, 1, 1),
    )
    pooled: dict[str, dict[str, float | None]] = {}
    for name, (start, end) in windows.items():
        reports = indicator_reports(
            start=start, end=end, period="range", grains=[("advisor",)], codes=BEFORE_AFTER_CODES
        )[("advisor",)]
        scores = compute([quality], {}, start=start, end=end, period="range", grain=("advisor",))
        pooled[name] = {**_pooled(reports, logins), **_pooled(scores, logins)}
    catalogue = {
        v.code: (v.label, v.unit)
        for v in IndicatorVersion.objects.filter(code__in=BEFORE_AFTER_CODES).order_by("valid_from")
    }
    rows = []
    for code in (*BEFORE_AFTER_CODES, "training_quality_score"):
        label, unit = catalogue.get(code, (_("Quality evaluations, mean score"), "score"))
        rows.append(
            BeforeAfter(
                label or code,
                unit,
                pooled["before"].get(code),
                pooled["after"].get(code),
            )
        )
    rows += [
        provider(logins, windows["before"], windows["after"])
        for provider in _BEFORE_AFTER_PROVIDERS
    ]
    return rows


@dataclass(frozen=True)
class SessionEvidence:
    """What the app holds for one session, by criterion of the national quality framework
    (information to the public, objectives, positioning, follow-up, assessment, feedback
    and complaints)."""

    session: Session
    public_information: bool
    objectives: bool
    enrolled: int
    positioned: int  # pre-tests answered
    half_days: int
    trainer_signed: int
    attendance_lines: int
    post_tests: int
    certificates: int
    satisfaction: int
    transfer_answered: int
    transfer_open: int
    complaints: int


def quality_evidence() -> list[SessionEvidence]:
    """Per session (cancelled ones aside), the evidence already in the app."""
    sessions = (
        Session.objects.exclude(
            status__in=[SessionStatus.CANCELLED, SessionStatus.CANCELLED_BY_BODY]
        )
        .select_related("programme")
        .annotate(
            n_half_days=Count("half_days", distinct=True),
            n_signed=Count(
                "half_days", filter=Q(half_days__trainer_signed_at__isnull=False), distinct=True
            ),
            n_complaints=Count("complaints", distinct=True),
        )
        .order_by("pk")
    )
    enrolled = dict(
        Enrolment.objects.filter(status=EnrolmentStatus.ENROLLED)
        .values_list("session")
        .annotate(n=Count("pk"))
    )
    lines = dict(
        Attendance.objects.filter(is_current=True)
        .values_list("half_day__session")
        .annotate(n=Count("pk"))
    )

    def per_session(queryset, field="enrolment__session") -> dict[int, int]:
        return dict(queryset.values_list(field).annotate(n=Count("enrolment", distinct=True)))

    pre = per_session(TestAnswer.objects.filter(kind="pre"))
    post = per_session(TestAnswer.objects.filter(kind="post"))
    certificates = per_session(Certificate.objects.filter(revoked_at__isnull=True))
    satisfaction = per_session(SatisfactionResponse.objects.all())
    answered = dict(
        TransferEvaluation.objects.filter(answered_at__isnull=False)
        .values_list("enrolment__session")
        .annotate(n=Count("pk"))
    )
    opened = dict(
        TransferEvaluation.objects.filter(answered_at__isnull=True)
        .values_list("enrolment__session")
        .annotate(n=Count("pk"))
    )
    return [
        SessionEvidence(
            session=s,
            public_information=s.programme.is_public
            and bool(s.programme.audience and s.programme.prerequisites),
            objectives=bool(s.programme.objectives),
            enrolled=enrolled.get(s.pk, 0),
            positioned=pre.get(s.pk, 0),
            half_days=s.n_half_days,
            trainer_signed=s.n_signed,
            attendance_lines=lines.get(s.pk, 0),
            post_tests=post.get(s.pk, 0),
            certificates=certificates.get(s.pk, 0),
            satisfaction=satisfaction.get(s.pk, 0),
            transfer_answered=answered.get(s.pk, 0),
            transfer_open=opened.get(s.pk, 0),
            complaints=s.n_complaints,
        )
        for s in sessions
    ]
