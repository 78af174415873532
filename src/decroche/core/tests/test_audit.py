"""The audit trail masks an explicit list of personal keys, never a substring (STYLE, SPEC §9)."""

from __future__ import annotations

import pytest

from decroche.core.models import AuditEntry
from decroche.core.services import MASK, log_action, mask_personal_data

pytestmark = pytest.mark.django_db


def test_money_amounts_and_figures_named_phone_are_kept():
    # The data of `contract.invoice.recorded` and of `planning.schedule.computed`.
    entry = log_action(
        "contract.invoice.recorded",
        data={"month": "2026-03", "phone": "123456.78", "forms": "4500.00"},
    )
    schedule = log_action(
        "planning.schedule.computed", data={"paid_hours": 812.5, "phone_shortfall_hours": 3.5}
    )

    entry.refresh_from_db()
    schedule.refresh_from_db()
    assert entry.data == {"month": "2026-03", "phone": "123456.78", "forms": "4500.00"}
    assert schedule.data == {"paid_hours": 812.5, "phone_shortfall_hours": 3.5}


def test_personal_data_and_credentials_are_masked_at_any_depth():
    data = {
        "caller": "0612345678",
        "Phone_Number": "+33 6 12 34 56 78",  # keys are matched whatever their case
        "nir": "1 84 12 75 123 456 78",
        "rows": [{"email": "jeanne.martin@example.org", "amount": "12.00"}],
        "password": "hunter2",
        "otp": "123456",
        "kept": {"last_name": "Martin", "site": "grenoble"},
    }

    stored = log_action("test.masked", data=data)
    stored.refresh_from_db()

    assert stored.data == {
        "caller": MASK,
        "Phone_Number": MASK,
        "nir": MASK,
        "rows": [{"email": MASK, "amount": "12.00"}],
        "password": MASK,
        "otp": MASK,
        "kept": {"last_name": MASK, "site": "grenoble"},
    }
    assert "0612345678" not in str(
        AuditEntry.objects.values_list("data", flat=True).get(pk=stored.pk)
    )


def test_a_key_merely_containing_a_personal_word_is_kept():
    # Substrings of personal keys are not personal keys: counts, sums, flags.
    data = {"callers_identified": 12, "phone_amount": "1.00", "tokens_left": 3, "nir_checked": True}
    assert mask_personal_data(data) == data
