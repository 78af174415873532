"""Demo leavers and long absences (issue 12.5): accounts for a few leavers and absentees,
one suspension, nothing doubled on a second run."""

from __future__ import annotations

import datetime as dt

import pytest

from decroche.organisation.models import Advisor, RightsSuspension
from decroche.organisation.review import selectors
from decroche.synthetic.leavers import demo_leavers_ensure
from decroche.synthetic.services import reference_data_ensure

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 4)


def test_the_demo_has_leavers_and_long_absences_to_review():
    reference_data_ensure()
    summary = demo_leavers_ensure(today=TODAY)
    assert summary.leavers == 3 and summary.absences >= 1 and summary.suspended == 1
    pending = selectors.leavers_pending(today=TODAY)
    assert len(pending) == 3 and all(p.left_on < TODAY for p in pending)
    assert RightsSuspension.objects.filter(restored_at=None).count() == 1
    assert len(selectors.absences_pending(today=TODAY)) == summary.absences - 1
    accounts = Advisor.objects.exclude(user=None).count()
    assert demo_leavers_ensure(today=TODAY).leavers == 0  # a second run does nothing
    assert Advisor.objects.exclude(user=None).count() == accounts
    assert RightsSuspension.objects.count() == 1
