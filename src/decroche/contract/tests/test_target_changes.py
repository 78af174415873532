"""The target-change workflow answered in time (SPEC §5)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from decroche.contract.target_changes import target_change_answer, target_change_propose
from decroche.indicators.selectors import versions_in_force

pytestmark = pytest.mark.django_db


def test_accepted_in_time_publishes_from_the_coming_quarter():
    proposal = target_change_propose(
        notified_on=dt.date(2026, 5, 4), indicator_code="average_wait", new_target="< 100"
    )
    # 4 May ≤ 10th → answer by 15 May; quarter after May → 1 July
    assert (proposal.answer_deadline, proposal.effective_from) == (
        dt.date(2026, 5, 15),
        dt.date(2026, 7, 1),
    )
    target_change_answer(proposal=proposal, accept=True, answered_on=dt.date(2026, 5, 15))
    assert versions_in_force(dt.date(2026, 6, 30), ["average_wait"])[0].target == "< 120"
    assert versions_in_force(dt.date(2026, 7, 1), ["average_wait"])[0].target == "< 100"


def test_refusal_publishes_nothing_and_a_late_answer_is_refused():
    refused = target_change_propose(
        notified_on=dt.date(2026, 5, 4), indicator_code="answer_rate", new_target=">= 0.95"
    )
    refused = target_change_answer(proposal=refused, accept=False, answered_on=dt.date(2026, 5, 12))
    assert refused.status == "refused"
    assert versions_in_force(dt.date(2026, 7, 1), ["answer_rate"])[0].target == ">= 0.90"
    late = target_change_propose(
        notified_on=dt.date(2026, 5, 4), indicator_code="answer_rate", new_target=">= 0.95"
    )
    with pytest.raises(ValidationError):
        target_change_answer(proposal=late, accept=False, answered_on=dt.date(2026, 5, 16))


def test_a_proposal_must_change_something():
    with pytest.raises(ValidationError):
        target_change_propose(notified_on=dt.date(2026, 5, 4), indicator_code="answer_rate")
    with pytest.raises(ValidationError):
        target_change_propose(
            notified_on=dt.date(2026, 5, 4), indicator_code="no_such_thing", new_target="> 1"
        )
