"""The demo training data (issue 13): programmes, the initial path, sessions with a waiting
list, attendance, certificates; the indicator below 100 %; left alone when run again."""

import datetime as dt

import pytest

from decroche.organisation.models import Advisor
from decroche.synthetic.training import demo_training_ensure
from decroche.training import selectors
from decroche.training.models import (
    ActionPlan,
    Certificate,
    Enrolment,
    Programme,
    Session,
    TransferEvaluation,
)

TODAY = dt.date(2026, 12, 2)


@pytest.mark.django_db
def test_demo_training_then_left_alone(world, users):
    for index in range(30):  # a cohort beside the world's two advisors
        Advisor.objects.create(
            login=f"D{index:03d}",
            first_name="Démo",
            last_name=f"N{index}",
            site=world["grenoble"],
            joined_on=dt.date(2025, 10, 1),
        )
    summary = demo_training_ensure(today=TODAY)
    assert summary is not None and summary.certificates > 0
    assert Programme.objects.filter(is_initial_path=False).count() == 3
    assert Programme.objects.filter(is_initial_path=True, path_optional=False).count() == 4
    assert Enrolment.objects.filter(status="waiting").exists()
    assert Enrolment.objects.filter(promoted_at__isnull=False).count() == 1
    assert Session.objects.filter(status="cancelled_body").count() == 1
    assert Certificate.objects.count() == summary.certificates
    # At least the two advisors put on the line before their path ended are listed.
    listed = selectors.advisors_without_full_path(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    operational = Advisor.objects.count()
    assert 2 <= len(listed) < operational
    held = Session.objects.filter(
        programme__code="situations-difficiles-agents", status="held"
    ).earliest("pk")  # two months ago (the one four months ago is created after it)
    evaluation = selectors.session_evaluation(held)
    assert evaluation.objectives and evaluation.answers == 8
    assert all(t.gain is not None for t in evaluation.trainees)
    assert TransferEvaluation.objects.filter(enrolment__session=held).count() == 20  # 10 × 2
    assert TransferEvaluation.objects.filter(answered_at__isnull=False).exists()
    assert ActionPlan.objects.count() == 4
    assert demo_training_ensure(today=TODAY) is None
