"""Demo quality data (issue 11): a month of evaluations with realistic spreads, two blind
calibrations (one within 5 points, one not), disputes, feedback and coaching sessions.

Everything goes through `quality.services` (scored, audited), so the statement's three
quality levels and the pages show figures computed exactly as in production. Safe to run
again: a month already evaluated is left alone.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from decroche.contacts.models import Call
from decroche.core.calendar import month_first, month_last
from decroche.organisation.models import Advisor
from decroche.quality import scoring, selectors, services
from decroche.quality.choices import CoachingKind, EvaluationOrigin
from decroche.quality.models import (
    CalibrationItem,
    CalibrationSession,
    Evaluation,
    GridVersion,
    SampledContact,
    Ticket,
)
from decroche.quality.services import AnswerInput

SEED = 11
# How many of each advisor's contacts the demo evaluates in the month (the commitment).
CALLS_PER_ADVISOR = 4
FORMS_PER_ADVISOR = 2
TICKETS_PER_ADVISOR = 1
CALIBRATED_CALLS = 5


@dataclass(frozen=True)
class QualityDemoSummary:
    month: dt.date
    evaluations: int
    calibrations: int
    disputes: int
    coachings: int


def _answers(grid: scoring.Grid, rng: random.Random, skill: float) -> dict[str, AnswerInput]:
    """Answers of an advisor of `skill` (0–1): each question is met with that probability,
    partly met or failed otherwise; a critical item fails rarely."""
    answers = {}
    for _section, question in grid.questions():
        options = sorted(
            (o for o in question.options if not o.not_applicable),
            key=lambda o: o.points,
            reverse=True,
        )
        draw = rng.random()
        if question.critical is not None:
            chosen = options[-1] if draw < 0.015 else options[0]
        elif draw < skill:
            chosen = options[0]
        elif len(options) > 2 and draw < skill + (1 - skill) * 0.7:
            chosen = options[1]
        else:
            chosen = options[-1]
        comment = "Point relevé à la réécoute, à travailler en entretien." if chosen.failure else ""
        answers[question.code] = AnswerInput(chosen.code, comment)
    return answers


def _published(kind: str, owner: str = "contractor") -> GridVersion:
    return GridVersion.objects.get(
        status="published", grid__evaluated_object=kind, grid__owner=owner
    )


def _user(role: str):
    return get_user_model().objects.filter(groups__name=role, is_active=True).order_by("pk").first()


def _tickets_ensure(first: dt.date, last: dt.date) -> None:
    """One N2 ticket per call of the month flagged as escalated (the helpdesk's export)."""
    flagged = Call.objects.filter(
        day__range=(first, last), n2_ticket=True, advisor__isnull=False
    ).select_related("reason")
    existing = set(
        Ticket.objects.filter(source_system="demo-itsm").values_list("source_id", flat=True)
    )
    tickets = []
    for call in flagged:
        if f"N2-{call.pk}" in existing:
            continue
        ticket = Ticket(
            source_system="demo-itsm",
            source_id=f"N2-{call.pk}",
            raised_at=call.arrived_at,
            reason=call.reason,
            advisor_id=call.advisor_id,
            status="closed",
        )
        ticket.fill_local_days()
        tickets.append(ticket)
    Ticket.objects.bulk_create(tickets, batch_size=1000)


def demo_quality_ensure(*, month: dt.date) -> QualityDemoSummary | None:
    """Quality data for `month` (usually the last complete one); None when it has some."""
    first, last = month_first(month), month_last(month)
    if Evaluation.objects.filter(contact_day__range=(first, last)).exists():
        return None
    analyst, cnam = _user("quality_analyst"), _user("cnam_evaluator")
    reviewer, leader = _user("site_manager"), _user("team_leader")
    if analyst is None or cnam is None or reviewer is None or leader is None:
        return None
    rng = random.Random(SEED)
    _tickets_ensure(first, last)
    versions = {kind: _published(kind) for kind in ("call", "form", "ticket")}
    grids = {kind: selectors.scoring_grid(version) for kind, version in versions.items()}
    advisors = list(
        Advisor.objects.filter(calls__day__range=(first, last)).distinct().order_by("login")
    )
    skills = {advisor.pk: rng.betavariate(8, 2) for advisor in advisors}
    evaluations: list[Evaluation] = []
    with transaction.atomic():
        for advisor in advisors:
            for kind, count in (
                ("call", CALLS_PER_ADVISOR),
                ("form", FORMS_PER_ADVISOR),
                ("ticket", TICKETS_PER_ADVISOR),
            ):
                plan = services.sampling_plan_draw(
                    month=first,
                    advisor=advisor,
                    evaluated_object=kind,
                    committed=count,
                    seed=SEED + advisor.pk,
                    user=analyst,
                )
                for sampled in SampledContact.objects.filter(plan=plan).select_related(
                    "call", "form", "ticket"
                ):
                    contact = sampled.contact
                    evaluations.append(
                        services.evaluation_submit(
                            evaluator=analyst,
                            party="contractor",
                            version=versions[kind],
                            advisor=advisor,
                            contact=contact,
                            answers=_answers(grids[kind], rng, skills[advisor.pk]),
                            origin=EvaluationOrigin.SAMPLING,
                            sampled=sampled,
                        )
                    )
        calibrations = _calibrations(
            first, last, versions["call"], grids["call"], analyst, cnam, rng
        )
        disputes = _disputes(evaluations, reviewer, rng, grids)
        coachings = _coachings(advisors, evaluations, leader, last, rng)
    return QualityDemoSummary(first, len(evaluations), calibrations, disputes, coachings)


def _calibrations(first, last, version, grid, analyst, cnam, rng) -> int:
    """Two sessions: the Cnam agrees within a point or two on the first, is stricter on the
    second (gap above 5 points)."""
    calls = list(
        Call.objects.filter(day__range=(first, last), outcome="answered", advisor__isnull=False)
        .exclude(pk__in=Evaluation.objects.filter(call__isnull=False).values("call_id"))
        .order_by("pk")[: 2 * CALIBRATED_CALLS * 7 : 7]
    )
    sessions = [
        ("Calibrage mensuel — écoute croisée n° 1", 0.0, first + dt.timedelta(days=14)),
        ("Calibrage mensuel — écoute croisée n° 2", 0.12, last - dt.timedelta(days=3)),
    ]
    for index, (title, strictness, held_on) in enumerate(sessions):
        session = CalibrationSession.objects.create(
            held_on=held_on, grid_version=version, title=title, created_by=analyst
        )
        for call in calls[index * CALIBRATED_CALLS : (index + 1) * CALIBRATED_CALLS]:
            item = CalibrationItem.objects.create(session=session, call=call)
            contractor = _answers(grid, rng, 0.85)
            cnam_answers = dict(contractor)
            for _section, question in grid.questions():
                if question.critical is None and rng.random() < strictness:
                    options = sorted(
                        (o for o in question.options if not o.not_applicable),
                        key=lambda o: o.points,
                    )
                    cnam_answers[question.code] = AnswerInput(
                        options[0].code, "Attendu non atteint selon la grille Cnam."
                    )
            for user, party, answers in (
                (analyst, "contractor", contractor),
                (cnam, "cnam", cnam_answers),
            ):
                services.evaluation_submit(
                    evaluator=user,
                    party=party,
                    version=version,
                    advisor=call.advisor,
                    contact=call,
                    answers=answers,
                    calibration_item=item,
                )
        session = services.calibration_reveal(session, user=analyst)
        for line in selectors.calibration_report(session).lines:
            assert line.gap is not None
            consensus = (line.gap.contractor_total + line.gap.cnam_total) / 2
            services.calibration_consensus(
                line.item, score=consensus.quantize(Decimal("0.01")), user=analyst
            )
    return len(sessions)


def _disputes(evaluations, reviewer, rng, grids) -> int:
    """Two disputes by advisors: one kept, one leading to a revision."""
    disputed = [e for e in evaluations if e.total is not None and e.total < 80][:2]
    for index, evaluation in enumerate(disputed):
        advisor_user = evaluation.advisor.user or reviewer
        dispute = services.dispute_raise(
            evaluation,
            by=advisor_user,
            reason="La reformulation a bien été faite en début d'appel.",
            today=evaluation.contact_day,
        )
        if index == 0:
            services.dispute_decide(dispute, reviewer=reviewer, note="Réécoute : note maintenue.")
        else:
            grid = grids[evaluation.evaluated_object]
            best = {
                q.code: AnswerInput(max(q.options, key=lambda o: o.points).code)
                for _s, q in grid.questions()
            }
            services.dispute_decide(
                dispute, reviewer=reviewer, note="Réécoute : critère accordé.", answers=best
            )
    return len(disputed)


def _coachings(advisors, evaluations, leader, last, rng) -> int:
    """A feedback session for most advisors, a coaching with goals for the weakest three."""
    by_advisor: dict[int, list[Evaluation]] = {}
    for evaluation in evaluations:
        by_advisor.setdefault(evaluation.advisor_id, []).append(evaluation)
    count = 0
    for advisor in advisors:
        own = by_advisor.get(advisor.pk, [])
        if not own or rng.random() > 0.8:
            continue
        services.coaching_record(
            advisor=advisor,
            coach=leader,
            kind=CoachingKind.FEEDBACK,
            held_on=max(e.contact_day for e in own),
            evaluations=own,
        )
        count += 1
    averages = sorted(
        (sum(e.total for e in own) / len(own), pk) for pk, own in by_advisor.items() if own
    )
    for _average, pk in averages[:3]:
        services.coaching_record(
            advisor=next(a for a in advisors if a.pk == pk),
            coach=leader,
            kind=CoachingKind.COACHING,
            held_on=last - dt.timedelta(days=2),
            evaluations=by_advisor[pk],
            goals="Présenter le service et reformuler la demande dès l'accueil.",
            actions="Double écoute avec le responsable d'équipe, fiche réflexe accueil.",
            due_on=last + dt.timedelta(days=28),
        )
        count += 1
    return count
