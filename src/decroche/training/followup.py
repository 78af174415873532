"""Writes of the evaluation and follow-up of a session (issue 13 points 5 and 8): the
pre-test and post-test, hot satisfaction, the self-assessment and action plan, the
session's close and the transfer evaluation three months on with its reminders, and the
register of complaints and incidents. One transaction and one audit entry each."""

from __future__ import annotations

import datetime as dt

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from decroche.core.services import log_action

from . import rules
from .choices import EnrolmentStatus, Respondent, SessionStatus
from .models import (
    ActionPlan,
    Complaint,
    Enrolment,
    Question,
    SatisfactionResponse,
    Session,
    TestAnswer,
    TransferEvaluation,
)
from .services import TrainingError, attended


@transaction.atomic
def test_answer(
    *, enrolment: Enrolment, kind: str, choices: dict[int, int], at: dt.datetime | None = None
) -> int:
    """Record a trainee's pre-test or post-test ({question id: choice}); each question is
    answered once per test. Returns the number of right answers."""
    if TestAnswer.objects.filter(enrolment=enrolment, kind=kind).exists():
        raise TrainingError(_("This test is already answered."))
    questions = {q.pk: q for q in Question.objects.filter(programme=enrolment.session.programme_id)}
    if set(choices) != set(questions):
        raise TrainingError(_("Answer every question of the test."))
    now = at or timezone.now()
    answers = [
        TestAnswer(
            enrolment=enrolment,
            question=questions[pk],
            kind=kind,
            choice=choice,
            correct=choice == questions[pk].answer,
            answered_at=now,
        )
        for pk, choice in choices.items()
    ]
    TestAnswer.objects.bulk_create(answers)
    right = sum(a.correct for a in answers)
    log_action(
        "training.test.answered",
        user=enrolment.user,
        data={"enrolment": enrolment.pk, "kind": kind, "right": right, "asked": len(answers)},
    )
    return right


@transaction.atomic
def satisfaction_answer(
    *, enrolment: Enrolment, rating: int, objectives_met: int, comment: str = "", at=None
):
    """The hot satisfaction of a trainee, once, at the end of the session."""
    if SatisfactionResponse.objects.filter(enrolment=enrolment).exists():
        raise TrainingError(_("Satisfaction is already given for this session."))
    response = SatisfactionResponse(
        enrolment=enrolment,
        rating=rating,
        objectives_met=objectives_met,
        comment=comment.strip(),
        answered_at=at or timezone.now(),
    )
    response.full_clean()
    response.save()
    return response


@transaction.atomic
def session_close(session: Session, *, by) -> int:
    """The session's main part is held: each trainee who attended gets a transfer
    evaluation, for themself and for their manager, due on the feedback day when the
    session has one (a later part), else three months after the main part's last
    half-day (`rules.transfer_due_on`). Returns how many evaluations were opened."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status not in (SessionStatus.PLANNED, SessionStatus.VALIDATED):
        raise TrainingError(_("Only a planned or validated session can be closed."))
    parts = list(session.half_days.order_by("part", "day").values_list("part", "day"))
    if not parts:
        raise TrainingError(_("A session is closed after its last half-day."))
    main = parts[0][0]
    last = max(day for part, day in parts if part == main)
    feedback = min((day for part, day in parts if part != main), default=None)
    if last > timezone.localdate():
        raise TrainingError(_("A session is closed after its last half-day."))
    session.status = SessionStatus.HELD
    session.save(update_fields=["status"])
    due = rules.transfer_due_on(last, feedback)
    opened = 0
    for enrolment in session.enrolments.filter(status=EnrolmentStatus.ENROLLED):
        if not any(hours > 0 for _day, hours in attended(enrolment)):
            continue
        for respondent in (Respondent.TRAINEE, Respondent.MANAGER):
            TransferEvaluation.objects.get_or_create(
                enrolment=enrolment, respondent=respondent, defaults={"due_on": due}
            )
            opened += 1
    log_action(
        "training.session.closed", user=by, data={"session": session.reference, "transfer": opened}
    )
    return opened


def may_answer_transfer(evaluation: TransferEvaluation, user) -> bool:
    """The trainee answers their own; the manager of the trainee's team (or, without one,
    whoever enrolled them) answers the manager's."""
    enrolment = evaluation.enrolment
    if evaluation.respondent == Respondent.TRAINEE:
        return user.pk in (enrolment.user_id, getattr(enrolment.advisor, "user_id", None))
    team = enrolment.advisor.team if enrolment.advisor else None
    manager = team.leader_id if team and team.leader_id else enrolment.enrolled_by_id
    return user.pk == manager


@transaction.atomic
def transfer_answer(
    evaluation: TransferEvaluation, *, by, applied: int, comment: str = ""
) -> TransferEvaluation:
    evaluation = TransferEvaluation.objects.select_for_update().get(pk=evaluation.pk)
    if not may_answer_transfer(evaluation, by):
        raise TrainingError(_("This evaluation is for someone else."))
    if evaluation.answered_at is not None:
        raise TrainingError(_("This evaluation is already answered."))
    evaluation.applied = applied
    evaluation.comment = comment.strip()
    evaluation.answered_at = timezone.now()
    evaluation.answered_by = by
    evaluation.full_clean()
    evaluation.save()
    log_action(
        "training.transfer.answered",
        user=by,
        data={"evaluation": evaluation.pk, "respondent": evaluation.respondent},
    )
    return evaluation


@transaction.atomic
def action_plan_write(*, enrolment: Enrolment, self_assessment: str, actions: str) -> ActionPlan:
    """The trainee's self-assessment and personal action plan; rewritten as they like."""
    if not self_assessment.strip() or not actions.strip():
        raise TrainingError(_("Write both your self-assessment and your actions."))
    plan, _created = ActionPlan.objects.update_or_create(
        enrolment=enrolment,
        defaults={
            "self_assessment": self_assessment.strip(),
            "actions": actions.strip(),
            "written_at": timezone.now(),
        },
    )
    return plan


def transfer_reminders_send(*, today: dt.date) -> int:
    """Remind once whoever has a transfer evaluation due and unanswered (idempotent: run it
    daily from cron, `decroche training_reminders`). Returns how many were reminded."""
    due = TransferEvaluation.objects.filter(
        due_on__lte=today, answered_at__isnull=True, reminded_on__isnull=True
    ).select_related(
        "enrolment__session__programme",
        "enrolment__advisor__team__leader",
        "enrolment__user",
        "enrolment__enrolled_by",
    )
    reminded = 0
    for evaluation in due:
        enrolment = evaluation.enrolment
        if evaluation.respondent == Respondent.TRAINEE:
            address = (enrolment.user.email if enrolment.user else "") or (
                enrolment.advisor.email if enrolment.advisor else ""
            )
        else:
            team = enrolment.advisor.team if enrolment.advisor else None
            leader = team.leader if team and team.leader_id else enrolment.enrolled_by
            address = leader.email
        if address:
            send_mail(
                _("Three months after the training: how is it applied?"),
                _(
                    "The session %(reference)s (%(title)s) of %(name)s ended three months ago: "
                    "answer the transfer evaluation in Décroché, “My training” or the team page."
                )
                % {
                    "reference": enrolment.session.reference,
                    "title": enrolment.session.programme.title,
                    "name": enrolment.trainee_name,
                },
                None,
                [address],
                fail_silently=True,
            )
        evaluation.reminded_on = today
        evaluation.save(update_fields=["reminded_on"])
        reminded += 1
    if reminded:
        log_action("training.transfer.reminded", data={"count": reminded})
    return reminded


@transaction.atomic
def complaint_record(
    *, kind: str, received_on: dt.date, description: str, by, session: Session | None = None
) -> Complaint:
    complaint = Complaint(
        kind=kind,
        received_on=received_on,
        description=description.strip(),
        session=session,
        recorded_by=by,
    )
    complaint.full_clean()
    complaint.save()
    log_action(
        "training.complaint.recorded", user=by, data={"complaint": complaint.pk, "kind": kind}
    )
    return complaint


@transaction.atomic
def complaint_close(complaint: Complaint, *, by, action: str, on: dt.date) -> Complaint:
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if complaint.closed_on is not None:
        raise TrainingError(_("This complaint is already closed."))
    if not action.strip():
        raise TrainingError(_("Say what was done."))
    complaint.action = action.strip()
    complaint.closed_on = on
    complaint.save(update_fields=["action", "closed_on"])
    log_action("training.complaint.closed", user=by, data={"complaint": complaint.pk})
    return complaint
