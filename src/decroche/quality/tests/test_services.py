"""Grid versions, immutable evaluations and revisions, disputes and blind calibrations."""

import datetime as dt
from decimal import Decimal as D

import pytest

from decroche.contacts.factories import call_create
from decroche.core.models import AuditEntry
from decroche.organisation.models import ContactReason
from decroche.quality import selectors, services
from decroche.quality.choices import (
    CalibrationStatus,
    DisputeStatus,
    EvaluationStatus,
    GridStatus,
)
from decroche.quality.models import CalibrationItem, CalibrationSession, Evaluation, GridVersion
from decroche.quality.scoring import score
from decroche.quality.services import AnswerInput, QualityError

YES_NO = [
    {"code": "yes", "label": "Oui", "points": 1},
    {"code": "no", "label": "Non", "failure": True},
    {"code": "na", "label": "Sans objet", "not_applicable": True},
]
SECTIONS = [
    {
        "code": "accueil",
        "label": "Accueil",
        "weight": 30,
        "questions": [
            {"code": "bonjour", "label": "Salutation", "options": YES_NO},
            {"code": "service", "label": "Présentation du service", "options": YES_NO},
        ],
    },
    {
        "code": "fond",
        "label": "Fond",
        "weight": 70,
        "questions": [
            {"code": "reponse", "label": "Réponse exacte", "options": YES_NO},
            {
                "code": "identite",
                "label": "Vérification d'identité",
                "critical": "evaluation",
                "options": YES_NO,
            },
        ],
    },
]


def answers(**given):
    base = {"bonjour": "yes", "service": "yes", "reponse": "yes", "identite": "yes"}
    base.update(given)
    return {
        code: AnswerInput(option, "noté" if option == "no" else "") for code, option in base.items()
    }


@pytest.fixture
def version(users):
    draft = services.grid_create(
        code="appel",
        name="Grille appel",
        evaluated_object="call",
        owner="contractor",
        sections=SECTIONS,
        user=users["quality_analyst"],
    )
    return services.grid_version_publish(draft, user=None)


@pytest.fixture
def call(advisor):
    return call_create(dt.date(2026, 11, 2), advisor=advisor)


def submit(version, advisor, call, user, party="contractor", **given):
    return services.evaluation_submit(
        evaluator=user,
        party=party,
        version=version,
        advisor=advisor,
        contact=call,
        answers=answers(**given),
    )


@pytest.mark.django_db
def test_publish_archives_the_previous_version_and_drafts_copy_the_content(version):
    draft = services.grid_version_draft(version, user=None, notes="reformulation")
    assert draft.number == 2
    assert draft.sections.count() == 2 and draft.status == GridStatus.DRAFT
    services.grid_version_publish(draft, user=None)
    version.refresh_from_db()
    assert version.status == GridStatus.ARCHIVED
    with pytest.raises(QualityError):
        services.grid_version_publish(version, user=None)  # never published again


@pytest.mark.django_db
def test_submission_scores_and_requires_a_comment_on_a_failed_item(version, advisor, call, users):
    user = users["quality_analyst"]
    evaluation = submit(version, advisor, call, user, service="no")
    # accueil 1/2 × 30 + fond 2/2 × 70 = 15 + 70 = 85 / 100
    assert evaluation.total == D("85.00")
    assert evaluation.contact_day == dt.date(2026, 11, 2)
    with pytest.raises(QualityError, match="commentaire"):
        services.evaluation_submit(
            evaluator=user,
            party="contractor",
            version=version,
            advisor=advisor,
            contact=call,
            answers={**answers(), "reponse": AnswerInput("no", " ")},
        )
    critical = submit(version, advisor, call, user, identite="no")
    assert critical.total == D("0.00") and critical.zeroed


@pytest.mark.django_db
def test_a_revision_supersedes_and_keeps_the_history(version, advisor, call, users):
    user = users["quality_analyst"]
    first = submit(version, advisor, call, user, service="no")
    revision = services.evaluation_revise(first, by=user, answers=answers(), reason="réécoute")
    first.refresh_from_db()
    assert first.status == EvaluationStatus.SUPERSEDED and first.total == D("85.00")
    assert revision.revision_of == first and revision.total == D("100.00")
    with pytest.raises(QualityError):
        services.evaluation_revise(first, by=user, answers=answers(), reason="encore")
    with pytest.raises(QualityError, match="motif"):
        services.evaluation_revise(revision, by=user, answers=answers(), reason="")


@pytest.mark.django_db
def test_dispute_deadline_and_reviewer_not_the_evaluator(version, advisor, call, users):
    evaluator, reviewer = users["team_leader"], users["site_manager"]
    evaluation = submit(version, advisor, call, evaluator, service="no")
    deadline = services.dispute_deadline(evaluation)
    with pytest.raises(QualityError, match="délai"):
        services.dispute_raise(
            evaluation, by=users["advisor"], reason="x", today=deadline + dt.timedelta(days=1)
        )
    dispute = services.dispute_raise(
        evaluation,
        by=users["advisor"],
        reason="J'ai présenté le service",
        question_code="service",
        today=deadline,
    )
    with pytest.raises(QualityError, match="propre évaluation"):
        services.dispute_decide(dispute, reviewer=evaluator, note="non")
    decided = services.dispute_decide(dispute, reviewer=reviewer, note="accordé", answers=answers())
    assert decided.status == DisputeStatus.CHANGED
    assert decided.revision.total == D("100.00")
    assert AuditEntry.objects.filter(action="quality.dispute.decided").count() == 1


@pytest.mark.django_db
def test_calibration_is_blind_until_revealed(version, advisor, call, users):
    contractor, cnam = users["team_leader"], users["client_auditor"]
    session = CalibrationSession.objects.create(
        held_on=dt.date(2026, 11, 20), grid_version=version, title="Calibrage novembre"
    )
    item = CalibrationItem.objects.create(session=session, call=call)
    services.evaluation_submit(
        evaluator=contractor,
        party="contractor",
        version=version,
        advisor=advisor,
        contact=call,
        answers=answers(),
        calibration_item=item,
    )
    # Before the Cnam scores, and before the reveal, each evaluator sees only their own.
    assert list(selectors.calibration_evaluations_visible(session, cnam)) == []
    with pytest.raises(QualityError, match="titulaire et par la Cnam"):
        services.calibration_reveal(session, user=None)
    with pytest.raises(selectors.CalibrationStillBlind):
        selectors.calibration_report(session)
    services.evaluation_submit(
        evaluator=cnam,
        party="cnam",
        version=version,
        advisor=advisor,
        contact=call,
        answers=answers(service="no"),
        calibration_item=item,
    )
    with pytest.raises(QualityError, match="déjà noté"):
        services.evaluation_submit(
            evaluator=cnam,
            party="cnam",
            version=version,
            advisor=advisor,
            contact=call,
            answers=answers(),
            calibration_item=item,
        )
    assert selectors.calibration_evaluations_visible(session, cnam).count() == 1
    services.calibration_reveal(session, user=None)
    session.refresh_from_db()
    assert session.status == CalibrationStatus.REVEALED
    assert selectors.calibration_evaluations_visible(session, cnam).count() == 2
    services.calibration_consensus(item, score=D("90"), user=None)
    report = selectors.calibration_report(session)
    # contractor 100, Cnam 85: gap 15 > 5; accueil section: 30 vs 15 points → 15
    line = report.lines[0]
    assert line.gap.gap == D("15.00") and line.gap.section_gaps["accueil"] == D("15.00")
    assert not report.within_limit
    # bias to the consensus 90: contractor +10, Cnam −5
    assert report.bias == {contractor.username: D("10.00"), cnam.username: D("-5.00")}
    with pytest.raises(QualityError, match="terminée"):
        services.evaluation_submit(
            evaluator=users["site_manager"],
            party="contractor",
            version=version,
            advisor=advisor,
            contact=call,
            answers=answers(),
            calibration_item=item,
        )
    # calibration scores are not advisors' results: they cannot be disputed
    calibration_score = Evaluation.objects.filter(calibration_item=item).first()
    with pytest.raises(QualityError, match="calibrage"):
        services.dispute_raise(
            calibration_score, by=users["advisor"], reason="x", today=dt.date(2026, 11, 20)
        )


@pytest.mark.django_db
def test_sampling_plan_draws_the_committed_count_leaving_out_evaluated_contacts(
    version, advisor, users
):
    card, scope = ContactReason.objects.order_by("code")[:2]
    calls = [
        call_create(
            dt.date(2026, 11, 2 + n % 20), advisor=advisor, reason=card if n < 12 else scope
        )
        for n in range(18)
    ]
    call_create(dt.date(2026, 11, 3), advisor=advisor, outcome="abandoned")  # not handled
    call_create(dt.date(2026, 10, 30), advisor=advisor)  # another month
    submit(version, advisor, calls[0], users["quality_analyst"])  # already evaluated
    plan = services.sampling_plan_draw(
        month=dt.date(2026, 11, 15),
        advisor=advisor,
        evaluated_object="call",
        committed=6,
        seed=2026,
        user=users["quality_analyst"],
    )
    drawn = list(plan.contacts.values_list("call_id", flat=True))
    # 17 candidates (18 − the evaluated one): 11 of `card`, 6 of `scope`; 6 × 11/17 = 3.88,
    # 6 × 6/17 = 2.12 → 3 + 2 = 5, the last to the larger remainder (0.88, card): 4 + 2.
    assert len(drawn) == 6 and calls[0].pk not in drawn
    reasons = [c.reason_id for c in calls if c.pk in drawn]
    assert reasons.count(card.pk) == 4 and reasons.count(scope.pk) == 2
    with pytest.raises(QualityError, match="déjà été tiré"):
        services.sampling_plan_draw(
            month=dt.date(2026, 11, 1),
            advisor=advisor,
            evaluated_object="call",
            committed=6,
            seed=1,
            user=None,
        )


@pytest.mark.django_db
def test_shipped_grids_are_published_and_score_a_perfect_call():
    assert services.grids_load() == []  # already loaded after migrate, never twice
    versions = {v.grid.code: v for v in GridVersion.objects.filter(status=GridStatus.PUBLISHED)}
    assert set(versions) >= {"appel-n1", "formulaire", "ticket-n2"}
    call_grid = selectors.scoring_grid(versions["appel-n1"])
    best = {q.code: max(q.options, key=lambda o: o.points).code for _s, q in call_grid.questions()}
    assert score(call_grid, best).total == D("100.00")


@pytest.mark.django_db
def test_coaching_needs_goals_and_due_date_and_closes_on_a_later_evaluation(
    version, advisor, call, users
):
    coach = users["team_leader"]
    first = submit(version, advisor, call, users["quality_analyst"], service="no")
    with pytest.raises(QualityError, match="objectifs"):
        services.coaching_record(
            advisor=advisor, coach=coach, kind="coaching", held_on=dt.date(2026, 11, 5)
        )
    session = services.coaching_record(
        advisor=advisor,
        coach=coach,
        kind="coaching",
        held_on=dt.date(2026, 11, 5),
        evaluations=[first],
        goals="Présenter le service",
        due_on=dt.date(2026, 11, 30),
    )
    with pytest.raises(QualityError, match="postérieur"):
        services.coaching_close(session, follow_up=first, user=coach)  # the 2 Nov. call
    later = submit(
        version,
        advisor,
        call_create(dt.date(2026, 11, 20), advisor=advisor),
        users["quality_analyst"],
    )
    closed = services.coaching_close(session, follow_up=later, user=coach)
    assert closed.closed_at is not None and closed.follow_up == later
