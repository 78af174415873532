"""The six-monthly security review (SPEC §6, §9; issue 12 point 7): hand-counted figures,
the page and its downloads, and who may open it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from openpyxl import load_workbook

from decroche.accounts.roles import ROLES
from decroche.contract.pack_security import second_factor_coverage, security_review_pack
from decroche.core.exports import Cell
from decroche.core.services import log_action
from decroche.organisation.models import Advisor, LeaverDeactivation

HELD_ON = dt.date(2026, 11, 2)


def values(section) -> dict:
    return {row[0]: (row[1].value if isinstance(row[1], Cell) else row[1]) for row in section.rows}


@pytest.mark.django_db
def test_second_factor_coverage_per_role(make_user):
    # Two planners, one with a confirmed authenticator app → 1/2 = 50 %; a third with an
    # unconfirmed device does not count. One advisor without a factor: 0/1, not required.
    first = make_user("workforce_planner", username="p1")
    make_user("workforce_planner", username="p2")
    TOTPDevice.objects.create(user=first, name="app", confirmed=True)
    third = make_user("workforce_planner", username="p3")
    TOTPDevice.objects.create(user=third, name="app", confirmed=False)
    make_user("advisor", username="a1")
    lines = {line.role: line for line in second_factor_coverage()}
    planners = lines["workforce_planner"]
    assert (planners.accounts, planners.with_second_factor) == (3, 1)
    assert planners.coverage == pytest.approx(1 / 3)
    assert planners.second_factor_required
    assert (lines["advisor"].accounts, lines["advisor"].second_factor_required) == (1, False)


@pytest.mark.django_db
def test_leavers_delays_in_the_review(make_user, site):
    # Three closures in the six months: 0, 0 and 3 working days late → 1 late, mean
    # (0 + 0 + 3) / 3 = 1.0, longest 3. One closure before the window is left out.
    cso = make_user("security_officer")
    for number, (closed_on, late) in enumerate(
        [
            (dt.date(2026, 6, 3), 0),
            (dt.date(2026, 8, 10), 0),
            (dt.date(2026, 10, 20), 3),
            (dt.date(2026, 3, 1), 9),  # 246 days before the review: outside
        ]
    ):
        advisor = Advisor.objects.create(
            login=f"L{number}",
            first_name="Léa",
            last_name="Partante",
            site=site,
            joined_on=dt.date(2024, 1, 8),
            left_on=closed_on - dt.timedelta(days=1),
        )
        account = make_user("advisor", username=f"leaver{number}")
        LeaverDeactivation.objects.create(
            advisor=advisor,
            user=account,
            left_on=advisor.left_on,
            deadline=closed_on,
            closed_on=closed_on,
            working_days_late=late,
            closed_by=cso,
        )
    pack = security_review_pack(HELD_ON)
    leavers = next(s for s in pack.sections if s.title == "Sécurité : départs et absences longues")
    figures = values(leavers)
    assert figures["Comptes de partants fermés sur la période"] == 3
    assert figures["… dont après les 3 jours ouvrés"] == 1
    assert figures["Retard moyen après l'échéance (jours ouvrés)"] == 1.0
    assert figures["Retard le plus long après l'échéance (jours ouvrés)"] == 3


@pytest.mark.django_db
def test_access_history_volumes(make_user):
    user = make_user("quality_analyst")
    for action in (
        "accounts.login.succeeded",
        "accounts.login.succeeded",
        "accounts.login.failed",
        "accounts.second_factor.verified",
        "quality.evaluation.read",
    ):
        log_action(action, user=user)
    pack = security_review_pack(dt.date.today() + dt.timedelta(days=1))
    history = next(s for s in pack.sections if s.title == "Sécurité : historique des accès")
    figures = values(history)
    assert figures["Connexions"] == 2
    assert figures["Connexions échouées"] == 1
    assert figures["Événements de double facteur"] == 1
    assert figures["Consultations de données personnelles ou sensibles"] == 1
    assert figures["Toutes les entrées de la période"] >= 5
    # Building the test database gave each role its permissions (`sync_roles`: one
    # `accounts.role_permissions.changed` per role), and make_user the analyst its role.
    assert figures["Changements de rôles et de permissions"] == len(ROLES) + 1
    assert figures["Chaîne du journal d’audit (audit-verify)"].startswith(
        "Chaîne du journal d’audit intacte"
    )


@pytest.mark.django_db
def test_security_review_page_and_downloads(client, users):
    client.force_login(users["security_officer"])
    url = reverse("security-review")
    page = client.get(url, {"date": "2026-11-02"})
    assert page.status_code == 200
    assert "Revue de sécurité semestrielle" in page.content.decode()
    workbook = client.get(url, {"date": "2026-11-02", "format": "xlsx"})
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")
    sheets = load_workbook(io.BytesIO(workbook.content)).sheetnames
    assert len(sheets) == 4
    pdf = client.get(url, {"date": "2026-11-02", "format": "pdf"})
    assert pdf.content.startswith(b"%PDF")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["advisor", "team_leader", "workforce_planner", "client_auditor"])
def test_security_review_not_allowed(client, users, role):
    client.force_login(users[role])
    assert client.get(reverse("security-review")).status_code == 403


@pytest.mark.django_db
def test_security_review_needs_login(client):
    response = client.get(reverse("security-review"))
    assert response.status_code == 302 and "/comptes/" in response["Location"]
