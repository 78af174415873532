"""Writes of the quality app (SPEC §7): grid versions, evaluations and their revisions,
calibrations, disputes. Each is one transaction and one audit entry."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from decroche.contacts.choices import CallOutcome
from decroche.contacts.models import Call, ContactForm
from decroche.core.calendar import add_working_days, month_first, month_last, paris_day
from decroche.core.services import log_action
from decroche.organisation.models import Advisor

from . import scoring
from .choices import (
    CalibrationStatus,
    CoachingKind,
    DisputeStatus,
    EvaluatedObject,
    EvaluationOrigin,
    EvaluationStatus,
    GridOwner,
    GridStatus,
)
from .models import (
    Answer,
    CalibrationItem,
    CalibrationSession,
    CoachingSession,
    Dispute,
    Evaluation,
    Grid,
    GridOption,
    GridQuestion,
    GridSection,
    GridVersion,
    SampledContact,
    SamplingPlan,
    Ticket,
)
from .sampling import stratified_draw
from .selectors import grid_version_sections, scoring_grid, scoring_grid_of

# Working days an advisor has to dispute an evaluation after its submission (the contract
# sets no figure; the quality plan does: ten working days, one order period, SPEC §6).
DISPUTE_WORKING_DAYS = 10


class QualityError(ValueError):
    """A quality action refused; the message says why, in French."""


@dataclass(frozen=True)
class AnswerInput:
    option: str
    comment: str = ""


Contact = Call | ContactForm | Ticket


def _contact_fields(contact: Contact) -> dict:
    if isinstance(contact, Call):
        return {
            "call": contact,
            "evaluated_object": EvaluatedObject.CALL,
            "contact_day": contact.day,
        }
    if isinstance(contact, ContactForm):
        return {
            "form": contact,
            "evaluated_object": EvaluatedObject.FORM,
            "contact_day": contact.received_day,
        }
    return {
        "ticket": contact,
        "evaluated_object": EvaluatedObject.TICKET,
        "contact_day": contact.day,
    }


# --- grids ---


def _version_fill(version: GridVersion, sections: list[dict]) -> None:
    """Sections → questions → options from plain data (the shipped TOML grids' shape):
    `{"code", "label", "weight", "bonus"?, "questions": [{"code", "label", "critical"?,
    "options": [{"code", "label", "points"?, "not_applicable"?, "failure"?}]}]}`."""
    for s_position, section in enumerate(sections):
        grid_section = GridSection.objects.create(
            version=version,
            code=section["code"],
            label=section["label"],
            weight=Decimal(str(section["weight"])),
            bonus=section.get("bonus", False),
            position=s_position,
        )
        for q_position, question in enumerate(section["questions"]):
            grid_question = GridQuestion.objects.create(
                section=grid_section,
                code=question["code"],
                label=question["label"],
                help_text=question.get("help", ""),
                critical=question.get("critical", ""),
                position=q_position,
            )
            GridOption.objects.bulk_create(
                GridOption(
                    question=grid_question,
                    code=option["code"],
                    label=option["label"],
                    points=Decimal(str(option.get("points", 0))),
                    not_applicable=option.get("not_applicable", False),
                    failure=option.get("failure", False),
                    position=o_position,
                )
                for o_position, option in enumerate(question["options"])
            )


@transaction.atomic
def grid_create(
    *, code: str, name: str, evaluated_object: str, owner: str, sections: list[dict], user
) -> GridVersion:
    """A new grid with its first version, as a draft."""
    grid = Grid.objects.create(code=code, name=name, evaluated_object=evaluated_object, owner=owner)
    version = GridVersion.objects.create(grid=grid, number=1)
    _version_fill(version, sections)
    log_action("quality.grid.created", user=user, data={"grid": code})
    return version


@transaction.atomic
def grid_version_publish(version: GridVersion, *, user) -> GridVersion:
    """Publish a draft: it never changes again; the version it replaces is archived."""
    version = GridVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != GridStatus.DRAFT:
        raise QualityError(_("Only a draft grid version can be published."))
    try:
        scoring.grid_check(scoring_grid(version))
    except scoring.GridError as error:
        raise QualityError(_("This grid cannot score: %(reason)s") % {"reason": error}) from error
    GridVersion.objects.filter(grid=version.grid, status=GridStatus.PUBLISHED).update(
        status=GridStatus.ARCHIVED
    )
    version.status = GridStatus.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = user if getattr(user, "is_authenticated", False) else None
    version.save(update_fields=["status", "published_at", "published_by"])
    log_action(
        "quality.grid.published",
        user=user,
        data={"grid": version.grid.code, "version": version.number},
    )
    return version


@transaction.atomic
def grid_version_draft(version: GridVersion, *, user, notes: str = "") -> GridVersion:
    """A new draft copying `version`'s content, numbered after the grid's last version."""
    number = version.grid.versions.order_by("-number").values_list("number", flat=True)[0] + 1
    draft = GridVersion.objects.create(grid=version.grid, number=number, notes=notes)
    for section in version.sections.all():
        questions = list(section.questions.all())
        section.pk, section.version = None, draft
        section.save()
        for question in questions:
            options = list(question.options.all())
            question.pk, question.section = None, section
            question.save()
            for option in options:
                option.pk, option.question = None, question
                option.save()
    log_action(
        "quality.grid.drafted",
        user=user,
        data={"grid": version.grid.code, "version": number, "from": version.number},
    )
    return draft


SHIPPED_GRIDS = Path(__file__).with_name("grids.toml")


def grids_load(path: Path = SHIPPED_GRIDS) -> list[str]:
    """Create and publish the shipped grids whose code is not in the database yet; a grid
    already there (perhaps edited) is left alone. Returns the codes created."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    option_sets = data.get("options", {})
    created = []
    for entry in data["grids"]:
        if Grid.objects.filter(code=entry["code"]).exists():
            continue
        sections = [
            {
                **section,
                "questions": [
                    {**question, "options": option_sets[question["options"]]}
                    if isinstance(question["options"], str)
                    else question
                    for question in section["questions"]
                ],
            }
            for section in entry["sections"]
        ]
        with transaction.atomic():
            draft = grid_create(
                code=entry["code"],
                name=entry["name"],
                evaluated_object=entry["evaluated_object"],
                owner=entry["owner"],
                sections=sections,
                user=None,
            )
            grid_version_publish(draft, user=None)
        created.append(entry["code"])
    return created


# --- sampling ---

_CONTACT_FIELD = {
    EvaluatedObject.CALL: "call",
    EvaluatedObject.FORM: "form",
    EvaluatedObject.TICKET: "ticket",
}


def _month_candidates(advisor: Advisor, evaluated_object: str, month: dt.date):
    first, last = month_first(month), month_last(month)
    if evaluated_object == EvaluatedObject.CALL:
        return Call.objects.filter(
            advisor=advisor, outcome=CallOutcome.ANSWERED, day__range=(first, last)
        )
    if evaluated_object == EvaluatedObject.FORM:
        return ContactForm.objects.filter(advisor=advisor, answered_day__range=(first, last))
    return Ticket.objects.filter(advisor=advisor, day__range=(first, last))


@transaction.atomic
def sampling_plan_draw(
    *, month: dt.date, advisor: Advisor, evaluated_object: str, committed: int, seed: int, user
) -> SamplingPlan:
    """Draw `committed` of the advisor's contacts of the month, stratified by reason,
    leaving out contacts already evaluated or drawn (SPEC §7); reproducible from `seed`."""
    if committed < 0:
        raise QualityError(_("The committed number of evaluations cannot be negative."))
    month = month_first(month)
    field = _CONTACT_FIELD[EvaluatedObject(evaluated_object)]
    taken = set(
        Evaluation.objects.exclude(status=EvaluationStatus.SUPERSEDED)
        .filter(**{f"{field}__isnull": False})
        .values_list(f"{field}_id", flat=True)
    ) | set(
        SampledContact.objects.filter(**{f"{field}__isnull": False}).values_list(
            f"{field}_id", flat=True
        )
    )
    candidates = [
        (pk, reason or "")
        for pk, reason in _month_candidates(advisor, evaluated_object, month).values_list(
            "pk", "reason__code"
        )
        if pk not in taken
    ]
    plan, created = SamplingPlan.objects.get_or_create(
        month=month,
        advisor=advisor,
        evaluated_object=evaluated_object,
        defaults={"committed": committed, "seed": seed},
    )
    if not created:
        raise QualityError(_("This advisor's plan for this month has already been drawn."))
    drawn = stratified_draw(candidates, committed, seed)
    SampledContact.objects.bulk_create(
        SampledContact(plan=plan, **{f"{field}_id": pk}) for pk in drawn
    )
    log_action(
        "quality.sampling.drawn",
        user=user,
        data={
            "advisor": advisor.login,
            "month": month.isoformat(),
            "object": evaluated_object,
            "committed": committed,
            "drawn": len(drawn),
        },
    )
    return plan


# --- evaluations ---


def _checked_answers(
    version: GridVersion, answers: Mapping[str, AnswerInput]
) -> tuple[scoring.Score, list[tuple[GridQuestion, GridOption, str]]]:
    sections = grid_version_sections(version)  # read once: checked and scored below
    questions = {q.code: q for section in sections for q in section.questions.all()}
    rows = []
    for code, given in answers.items():
        question = questions.get(code)
        if question is None:
            raise QualityError(_("Unknown question %(code)s.") % {"code": code})
        option = next((o for o in question.options.all() if o.code == given.option), None)
        if option is None:
            raise QualityError(
                _("Question %(code)s has no answer %(option)s.")
                % {"code": code, "option": given.option}
            )
        if option.failure and not given.comment.strip():
            raise QualityError(
                _("A comment is required on the failed item “%(label)s”.")
                % {"label": question.label}
            )
        rows.append((question, option, given.comment.strip()))
    try:
        result = scoring.score(scoring_grid_of(sections), {c: a.option for c, a in answers.items()})
    except scoring.GridError as error:
        raise QualityError(str(error)) from error
    return result, rows


@transaction.atomic
def evaluation_submit(
    *,
    evaluator,
    party: str,
    version: GridVersion,
    advisor: Advisor,
    contact: Contact,
    answers: Mapping[str, AnswerInput],
    origin: str = EvaluationOrigin.AD_HOC,
    comment: str = "",
    calibration_item: CalibrationItem | None = None,
    sampled: SampledContact | None = None,
) -> Evaluation:
    """Score `contact` on the published `version`; the stored evaluation is immutable."""
    if version.status != GridStatus.PUBLISHED:
        raise QualityError(_("Evaluations use a published grid version."))
    fields = _contact_fields(contact)
    if fields["evaluated_object"] != version.grid.evaluated_object:
        raise QualityError(_("This grid does not evaluate this kind of contact."))
    if calibration_item is not None:
        session = CalibrationSession.objects.select_for_update().get(pk=calibration_item.session_id)
        if session.status != CalibrationStatus.SCORING:
            raise QualityError(_("This calibration is no longer being scored."))
        if session.grid_version_id != version.pk:
            raise QualityError(_("A calibration is scored on its own grid version."))
        if calibration_item.evaluations.filter(evaluator=evaluator).exists():
            raise QualityError(_("You have already scored this contact in this calibration."))
        origin = EvaluationOrigin.CALIBRATION
    result, rows = _checked_answers(version, answers)
    evaluation = Evaluation.objects.create(
        grid_version=version,
        evaluator=evaluator,
        evaluator_party=GridOwner(party),
        advisor=advisor,
        reason=getattr(contact, "reason", None),
        origin=origin,
        sampled=sampled,
        calibration_item=calibration_item,
        status=EvaluationStatus.SUBMITTED,
        total=result.total,
        zeroed=result.zeroed,
        comment=comment,
        submitted_at=timezone.now(),
        **fields,
    )
    Answer.objects.bulk_create(
        Answer(evaluation=evaluation, question=q, option=o, comment=c) for q, o, c in rows
    )
    log_action(
        "quality.evaluation.submitted",
        user=evaluator,
        data={"evaluation": evaluation.pk, "advisor": advisor.login, "origin": origin},
    )
    return evaluation


@transaction.atomic
def evaluation_revise(
    original: Evaluation, *, by, answers: Mapping[str, AnswerInput], reason: str
) -> Evaluation:
    """A corrected evaluation superseding `original`, which is kept in the history."""
    original = Evaluation.objects.select_for_update().get(pk=original.pk)
    if original.status != EvaluationStatus.SUBMITTED:
        raise QualityError(_("Only the current version of an evaluation can be revised."))
    if not reason.strip():
        raise QualityError(_("A revision states its reason."))
    result, rows = _checked_answers(original.grid_version, answers)
    original.status = EvaluationStatus.SUPERSEDED
    original.save(update_fields=["status"])
    revision = Evaluation.objects.create(
        grid_version=original.grid_version,
        evaluator=original.evaluator,
        evaluator_party=original.evaluator_party,
        advisor=original.advisor,
        evaluated_object=original.evaluated_object,
        call=original.call,
        form=original.form,
        ticket=original.ticket,
        contact_day=original.contact_day,
        reason=original.reason,
        origin=original.origin,
        sampled=original.sampled,
        calibration_item=original.calibration_item,
        status=EvaluationStatus.SUBMITTED,
        total=result.total,
        zeroed=result.zeroed,
        comment=original.comment,
        submitted_at=timezone.now(),
        revision_of=original,
        revision_reason=reason.strip(),
    )
    Answer.objects.bulk_create(
        Answer(evaluation=revision, question=q, option=o, comment=c) for q, o, c in rows
    )
    log_action(
        "quality.evaluation.revised",
        user=by,
        data={"evaluation": revision.pk, "revision_of": original.pk, "total": str(result.total)},
    )
    return revision


@transaction.atomic
def evaluation_acknowledge(evaluation: Evaluation, *, user) -> Evaluation:
    """The advisor has read their evaluation."""
    if evaluation.acknowledged_at is None:
        evaluation.acknowledged_at = timezone.now()
        evaluation.save(update_fields=["acknowledged_at"])
        log_action("quality.evaluation.acknowledged", user=user, data={"evaluation": evaluation.pk})
    return evaluation


# --- disputes ---


def dispute_deadline(evaluation: Evaluation) -> dt.date:
    """The last day to dispute: `DISPUTE_WORKING_DAYS` working days after submission."""
    assert evaluation.submitted_at is not None
    return add_working_days(paris_day(evaluation.submitted_at), DISPUTE_WORKING_DAYS)


@transaction.atomic
def dispute_raise(
    evaluation: Evaluation, *, by, reason: str, question_code: str = "", today: dt.date
) -> Dispute:
    """The advisor disputes an item (or the whole evaluation) before the deadline."""
    if evaluation.status != EvaluationStatus.SUBMITTED:
        raise QualityError(_("Only the current version of an evaluation can be disputed."))
    if evaluation.origin == EvaluationOrigin.CALIBRATION:
        raise QualityError(_("Calibration scores are not advisors' results: no dispute."))
    if today > dispute_deadline(evaluation):
        raise QualityError(_("The deadline to dispute this evaluation has passed."))
    if not reason.strip():
        raise QualityError(_("A dispute states its reason."))
    question = None
    if question_code:
        question = GridQuestion.objects.filter(
            section__version=evaluation.grid_version, code=question_code
        ).first()
        if question is None:
            raise QualityError(_("Unknown question %(code)s.") % {"code": question_code})
    dispute = Dispute.objects.create(
        evaluation=evaluation,
        question=question,
        reason=reason.strip(),
        raised_by=by,
        raised_at=timezone.now(),
    )
    log_action(
        "quality.dispute.raised", user=by, data={"dispute": dispute.pk, "evaluation": evaluation.pk}
    )
    return dispute


@transaction.atomic
def dispute_decide(
    dispute: Dispute,
    *,
    reviewer,
    note: str,
    answers: Mapping[str, AnswerInput] | None = None,
) -> Dispute:
    """A reviewer other than the evaluator keeps the score, or changes it (a revision)."""
    dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
    if dispute.status != DisputeStatus.OPEN:
        raise QualityError(_("This dispute has already been decided."))
    if reviewer.pk == dispute.evaluation.evaluator_id:
        raise QualityError(_("The evaluator cannot review a dispute of their own evaluation."))
    if answers is not None:
        dispute.revision = evaluation_revise(
            dispute.evaluation, by=reviewer, answers=answers, reason=note or dispute.reason
        )
        dispute.status = DisputeStatus.CHANGED
    else:
        dispute.status = DisputeStatus.KEPT
    dispute.reviewer = reviewer
    dispute.decided_at = timezone.now()
    dispute.decision_note = note
    dispute.save()
    log_action(
        "quality.dispute.decided",
        user=reviewer,
        data={"dispute": dispute.pk, "status": dispute.status},
    )
    return dispute


# --- calibrations ---


@transaction.atomic
def calibration_reveal(session: CalibrationSession, *, user) -> CalibrationSession:
    """End blind scoring: every contact needs a score from both parties."""
    session = CalibrationSession.objects.select_for_update().get(pk=session.pk)
    if session.status != CalibrationStatus.SCORING:
        raise QualityError(_("This calibration has already been revealed."))
    for item in session.items.all():
        parties = set(
            item.evaluations.filter(status=EvaluationStatus.SUBMITTED).values_list(
                "evaluator_party", flat=True
            )
        )
        if parties != {GridOwner.CONTRACTOR, GridOwner.CNAM}:
            raise QualityError(_("Each contact needs a score from the contractor and the Cnam."))
    session.status = CalibrationStatus.REVEALED
    session.save(update_fields=["status"])
    log_action("quality.calibration.revealed", user=user, data={"session": session.pk})
    return session


@transaction.atomic
def calibration_consensus(item: CalibrationItem, *, score: Decimal, user) -> CalibrationItem:
    """The score the session agreed for one contact, once the scores are revealed."""
    if item.session.status == CalibrationStatus.SCORING:
        raise QualityError(_("A consensus is recorded once the scores are revealed."))
    if not Decimal(0) <= score <= scoring.HUNDRED:
        raise QualityError(_("A score is between 0 and 100."))
    item.consensus_score = score
    item.save(update_fields=["consensus_score"])
    log_action(
        "quality.calibration.consensus",
        user=user,
        data={"session": item.session_id, "item": item.pk, "score": str(score)},
    )
    return item


# --- feedback and coaching ---


@transaction.atomic
def coaching_record(
    *,
    advisor: Advisor,
    coach,
    kind: str,
    held_on: dt.date,
    evaluations: Sequence[Evaluation] = (),
    goals: str = "",
    actions: str = "",
    due_on: dt.date | None = None,
) -> CoachingSession:
    """A feedback or coaching session with the advisor, linked to their evaluations."""
    if any(e.advisor_id != advisor.pk for e in evaluations):
        raise QualityError(_("A session links only the advisor's own evaluations."))
    if kind == CoachingKind.COACHING and (not goals.strip() or due_on is None):
        raise QualityError(_("A coaching records its goals and a due date."))
    if due_on is not None and due_on < held_on:
        raise QualityError(_("The due date cannot precede the session."))
    session = CoachingSession.objects.create(
        advisor=advisor,
        coach=coach,
        kind=kind,
        held_on=held_on,
        goals=goals.strip(),
        actions=actions.strip(),
        due_on=due_on,
    )
    session.evaluations.set(evaluations)
    log_action(
        "quality.coaching.recorded",
        user=coach,
        data={"session": session.pk, "advisor": advisor.login, "kind": kind},
    )
    return session


@transaction.atomic
def coaching_close(session: CoachingSession, *, follow_up: Evaluation, user) -> CoachingSession:
    """A follow-up evaluation of the advisor, after the session, closes a coaching."""
    if session.closed_at is not None:
        raise QualityError(_("This coaching is already closed."))
    if follow_up.advisor_id != session.advisor_id:
        raise QualityError(_("The follow-up evaluates the coached advisor."))
    if follow_up.status != EvaluationStatus.SUBMITTED or follow_up.contact_day < session.held_on:
        raise QualityError(_("The follow-up is a submitted evaluation of a later contact."))
    session.follow_up = follow_up
    session.closed_at = timezone.now()
    session.save(update_fields=["follow_up", "closed_at"])
    log_action(
        "quality.coaching.closed",
        user=user,
        data={"session": session.pk, "follow_up": follow_up.pk},
    )
    return session
