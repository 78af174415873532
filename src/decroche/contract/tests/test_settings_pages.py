"""The contract settings pages (issue 18 point 10; SPEC §5 grace period, §6 interruptions):
the contract manager reads and changes them, audited; other roles are refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from decroche.contract.selectors import contract_settings
from decroche.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _data(**overrides) -> dict:
    data = {
        "activity_start": "2025-11-09",
        "grace_months": "3",
        "phone_productive_states": "available, talking, wrap_up",
        "form_productive_states": "forms",
        "interruption_limit_hours": "48",
    }
    return data | overrides


def test_contract_manager_changes_the_settings_audited(client, users):
    manager = users["contract_manager"]
    client.force_login(manager)
    page = client.get(reverse("contract-settings"))
    assert page.status_code == 200
    assert "available, talking, wrap_up" in page.content.decode()
    response = client.post(reverse("contract-settings-edit"), _data(grace_months="3"))
    assert response.status_code == 302
    current = contract_settings()
    assert current.grace_months == 3
    assert current.phone_productive_states == ["available", "talking", "wrap_up"]
    assert current.activity_start == dt.date(2025, 11, 9)
    entry = AuditEntry.objects.get(action="contract.settings.updated")
    assert entry.user == manager and entry.data == {"grace_months": "3"}  # only what changed


def test_a_grace_period_over_four_months_is_refused_on_the_page(client, users):
    client.force_login(users["contract_manager"])
    response = client.post(reverse("contract-settings-edit"), _data(grace_months="5"))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not AuditEntry.objects.filter(action="contract.settings.updated").exists()


def test_empty_productive_states_are_refused(client, users):
    client.force_login(users["contract_manager"])
    response = client.post(reverse("contract-settings-edit"), _data(form_productive_states=" , "))
    assert "form_productive_states" in response.context["form"].errors


@pytest.mark.parametrize(
    "role", ["workforce_planner", "site_manager", "client_auditor", "trainer", "advisor"]
)
def test_other_roles_are_refused(client, users, role):
    client.force_login(users[role])
    assert client.get(reverse("contract-settings")).status_code == 403
    assert client.post(reverse("contract-settings-edit"), _data()).status_code == 403
    assert not AuditEntry.objects.filter(action="contract.settings.updated").exists()
