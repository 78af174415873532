"""Contract settings and the shipped service levels (SPEC §5)."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from decroche.contract.models import MonthlyInvoice, ServiceLevel
from decroche.contract.selectors import contract_settings, levels_in_force
from decroche.contract.services import (
    contract_settings_update,
    service_level_revise,
    service_levels_load,
)
from decroche.core.models import AuditEntry

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


def test_contract_settings_command_shows_and_sets_with_audit():
    out = io.StringIO()
    call_command(
        "contract_settings",
        "set",
        "--activity-start",
        "2026-01-15",
        "--grace-months",
        "4",
        stdout=out,
    )
    settings = contract_settings()
    assert (settings.activity_start, settings.grace_months) == (dt.date(2026, 1, 15), 4)
    entry = AuditEntry.objects.get(action="contract.settings.updated")
    assert entry.data == {"activity_start": "2026-01-15", "grace_months": "4"}
    call_command(
        "contract_settings",
        "invoice",
        "--month",
        "2026-03",
        "--phone",
        "250000",
        "--forms",
        "30000.50",
        stdout=out,
    )
    invoice = MonthlyInvoice.objects.get(month=dt.date(2026, 3, 1))
    assert (invoice.phone_amount, invoice.forms_amount) == (Decimal("250000"), Decimal("30000.50"))
    data = AuditEntry.objects.get(action="contract.invoice.recorded").data
    # natural key names; the forms amount is visible in the audit (phone_amount too once the
    # audit mask is an explicit list of personal keys)
    assert data["month"] == "2026-03" and data["forms_amount"] == "30000.50"
    assert "phone_amount" in data
    call_command(
        "contract_settings",
        "revise-level",
        "average_wait",
        "--from",
        "2026-07-01",
        "--threshold",
        "180",
        "--note",
        "avenant 2",
        stdout=out,
    )
    assert (
        AuditEntry.objects.get(action="contract.service_level.revised").data["threshold"] == "180"
    )
    out = io.StringIO()
    call_command("contract_settings", "show", "--json", stdout=out)
    shown = json.loads(out.getvalue())
    # 15 Jan 2026 + 4 months = 15 May 2026, the first penalised day
    assert (shown["activity_start"], shown["grace_months"], shown["grace_period_end"]) == (
        "2026-01-15",
        4,
        "2026-05-15",
    )
    assert shown["invoices"] == [
        {"month": "2026-03", "phone_amount": 250000.0, "forms_amount": 30000.5}
    ]
    with pytest.raises(CommandError):
        call_command("contract_settings", "set", "--grace-months", "5", stdout=out)
    assert contract_settings().grace_months == 4
