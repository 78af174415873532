"""Evaluation (issue 13 point 5): pre-test and post-test on the same question bank, the
gain per trainee and per objective computed by hand; hot satisfaction."""

from __future__ import annotations

import datetime as dt

import pytest

from decroche.organisation.models import Advisor
from decroche.training import followup, rules, selectors, services
from decroche.training import models as training_models

from . import factories


def test_gain_rule():
    # 1 of 4 right before, 3 of 4 after: 0.75 − 0.25 = +0.5
    assert rules.test_gain((1, 4), (3, 4)) == 0.5
    assert rules.test_gain((0, 0), (3, 4)) is None


@pytest.mark.django_db
def test_pre_post_gain_per_trainee_and_objective(users, site):
    manager = users["training_manager"]
    programme = factories.programme()
    # Four questions, two per objective: "assertive" (q0, q1) and "emotions" (q2, q3); the
    # right choice is 1 everywhere.
    questions = [
        training_models.Question.objects.create(
            programme=programme,
            objective="assertive" if index < 2 else "emotions",
            text=f"Q{index}",
            choices=["a", "b", "c"],
            answer=1,
            order=index,
        )
        for index in range(4)
    ]
    session = factories.session(programme, manager)
    ana, bob, cy = (
        services.enrol(
            session,
            advisor=Advisor.objects.create(
                login=login,
                first_name=login,
                last_name="T",
                site=site,
                joined_on=dt.date(2026, 1, 5),
            ),
            by=manager,
        )
        for login in ("Ana", "Bob", "Cy")
    )

    def answer(enrolment, kind, rights):
        followup.test_answer(
            enrolment=enrolment,
            kind=kind,
            choices={q.pk: 1 if right else 0 for q, right in zip(questions, rights, strict=True)},
        )

    answer(ana, "pre", [True, False, False, False])  # 1/4
    answer(ana, "post", [True, True, True, False])  # 3/4: gain +0.5
    answer(bob, "pre", [False, False, True, True])  # 2/4
    answer(bob, "post", [True, True, True, True])  # 4/4: gain +0.5
    answer(cy, "pre", [True, True, True, True])  # pre only: no gain, not in the objectives
    with pytest.raises(services.TrainingError, match="déjà"):
        answer(ana, "post", [True] * 4)
    evaluation = selectors.session_evaluation(session)
    gains = {t.name: t.gain for t in evaluation.trainees}
    assert gains == {"Ana T": 0.5, "Bob T": 0.5, "Cy T": None}
    objectives = {o.objective: (o.pre, o.post, o.gain) for o in evaluation.objectives}
    # assertive, Ana and Bob pooled: pre 1 + 0 = 1 of 4, post 2 + 2 = 4 of 4: +0.75
    # emotions: pre 0 + 2 = 2 of 4, post 1 + 2 = 3 of 4: +0.25
    assert objectives == {"assertive": (0.25, 1.0, 0.75), "emotions": (0.5, 0.75, 0.25)}
    followup.satisfaction_answer(enrolment=ana, rating=5, objectives_met=4, comment="Très utile")
    followup.satisfaction_answer(enrolment=bob, rating=4, objectives_met=4)
    evaluation = selectors.session_evaluation(session)
    assert evaluation.satisfaction == 4.5 and evaluation.comments == ["Très utile"]  # (5+4)/2
