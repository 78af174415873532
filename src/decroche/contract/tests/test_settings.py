"""Contract settings and the shipped service levels (SPEC §5)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from decroche.contract.models import ServiceLevel
from decroche.contract.selectors import contract_settings, levels_in_force
from decroche.contract.services import (
    contract_settings_update,
    service_level_revise,
    service_levels_load,
)

pytestmark = pytest.mark.django_db


def test_grace_period_longer_than_four_months_is_refused():
    with pytest.raises(ValidationError):
        contract_settings_update(grace_months=5)
    contract_settings_update(grace_months=2)
    assert contract_settings().grace_months == 2


def test_shipped_levels_are_loaded_once():
    assert ServiceLevel.objects.count() == 10  # loaded by the post_migrate hook
    assert service_levels_load() == 0
    plan = ServiceLevel.objects.get(code="plan_conformity")
    assert (plan.threshold, plan.rate, plan.invoice, plan.subject_to_grace) == (
        Decimal("0.95"),
        Decimal("0.015"),
        "total",
        False,
    )


def test_a_revision_ends_the_previous_version():
    service_level_revise(
        code="average_wait", valid_from=dt.date(2026, 7, 1), threshold=Decimal("180")
    )
    before = {lv.code: lv for lv in levels_in_force(dt.date(2026, 6, 30))}["average_wait"]
    after = {lv.code: lv for lv in levels_in_force(dt.date(2026, 7, 1))}["average_wait"]
    assert (before.threshold, after.threshold) == (Decimal("240"), Decimal("180"))
    assert before.valid_to == dt.date(2026, 6, 30)
    with pytest.raises(ValidationError):
        service_level_revise(
            code="average_wait", valid_from=dt.date(2026, 7, 1), rate=Decimal("0.01")
        )
