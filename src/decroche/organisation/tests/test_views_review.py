"""The CSO's page of accounts to review and its actions (SPEC §9; issue 12.5): who may
use them, what it lists, the POST actions and their audit."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse

from decroche.accounts.roles import ROLES
from decroche.core.models import AuditEntry
from decroche.organisation.models import Advisor, LeaverDeactivation, RightsSuspension
from decroche.organisation.review.services import leavers_process

pytestmark = pytest.mark.django_db

ALLOWED = {"security_officer", "administrator"}
# Fri 11 Dec 2026, 10:00 in Paris.
NOW = dt.datetime(2026, 12, 11, 9, 0, tzinfo=dt.UTC)


def with_account(make_user, site, login, **dates):
    return Advisor.objects.create(
        login=login,
        first_name="Inès",
        last_name="Martin",
        site=site,
        joined_on=dt.date(2025, 1, 6),
        user=make_user("advisor", username=login.lower()),
        **dates,
    )


def urls(pk=1):
    return [
        ("get", reverse("accounts-review")),
        ("post", reverse("accounts-review-disable", args=[pk])),
        ("post", reverse("accounts-review-restore", args=[pk])),
        ("post", reverse("accounts-review-portal-export")),
    ]


@pytest.mark.parametrize("role", sorted({role.code for role in ROLES} - ALLOWED))
def test_roles_without_the_review_permission_are_not_allowed(client, users, make_user, site, role):
    leaver = with_account(make_user, site, "A1", left_on=dt.date(2026, 12, 1))
    client.force_login(users[role])
    for method, url in urls(leaver.user_id):
        assert getattr(client, method)(url, {"reason": "leaver"}).status_code == 403, url
    leaver.user.refresh_from_db()
    assert leaver.user.is_active


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    for method, url in urls():
        response = getattr(client, method)(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_actions_are_post_only(client, users):
    client.force_login(users["security_officer"])
    for _method, url in urls()[1:]:
        assert client.get(url).status_code == 405


@time_machine.travel(NOW, tick=False)
def test_the_page_lists_overdue_leavers_and_the_cso_closes_one(client, users, make_user, site):
    # Left Fri 4 Dec 2026: deadline Wed 9 Dec, so on Fri 11 it is overdue (Mon 7 … Fri 11 =
    # 5 working days since leaving).
    leaver = with_account(make_user, site, "A1", left_on=dt.date(2026, 12, 4))
    client.force_login(users["security_officer"])
    response = client.get(reverse("accounts-review"))
    assert response.status_code == 200
    [pending] = response.context["leavers"]
    assert (pending.deadline, pending.working_days, pending.overdue) == (
        dt.date(2026, 12, 9),
        5,
        True,
    )
    page = response.content.decode()
    assert "09/12/2026" in page and "en retard" in page
    response = client.post(
        reverse("accounts-review-disable", args=[leaver.user_id]), {"reason": "leaver"}
    )
    assert response.status_code == 302
    leaver.user.refresh_from_db()
    assert not leaver.user.is_active
    closure = LeaverDeactivation.objects.get()
    assert closure.closed_by == users["security_officer"] and closure.working_days_late == 2
    entry = AuditEntry.objects.get(action="organisation.leaver.disabled")
    assert entry.user == users["security_officer"]


@time_machine.travel(NOW, tick=False)
def test_the_cso_closes_an_account_linked_to_no_advisor(client, users, make_user):
    orphan = make_user("advisor", username="sans.fiche")
    client.force_login(users["security_officer"])
    response = client.get(reverse("accounts-review"))
    assert orphan in response.context["without_advisor"]
    client.post(reverse("accounts-review-disable", args=[orphan.pk]), {"reason": "no_advisor"})
    orphan.refresh_from_db()
    assert not orphan.is_active
    entry = AuditEntry.objects.get(action="organisation.account.disabled")
    assert entry.data == {"account": orphan.pk, "reason": "no_advisor"}


def test_the_cso_cannot_close_an_administrators_account(client, users):
    client.force_login(users["security_officer"])
    response = client.post(
        reverse("accounts-review-disable", args=[users["administrator"].pk]), {"reason": "dormant"}
    )
    assert response.status_code == 404
    users["administrator"].refresh_from_db()
    assert users["administrator"].is_active


@time_machine.travel(NOW, tick=False)
def test_dormant_accounts_are_listed(client, users, make_user):
    old = make_user("trainer", username="ancien.compte")
    old.last_login = dt.datetime(2026, 8, 1, tzinfo=dt.UTC)  # 132 days before 11 Dec
    old.save()
    recent = make_user("trainer", username="recent.compte")
    recent.last_login = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)  # 71 days: not dormant
    recent.save()
    client.force_login(users["security_officer"])
    dormant = list(client.get(reverse("accounts-review")).context["dormant"])
    assert old in dormant and recent not in dormant


@time_machine.travel(NOW, tick=False)
def test_the_cso_restores_suspended_rights(client, users, make_user, site):
    absent = with_account(make_user, site, "A2", absent_from=dt.date(2026, 6, 1))
    leavers_process(today=dt.date(2026, 12, 11))
    suspension = RightsSuspension.objects.get()
    client.force_login(users["security_officer"])
    response = client.get(reverse("accounts-review"))
    assert list(response.context["suspensions"]) == [suspension]
    assert response.context["suspensions"][0].role_labels == ["Conseiller"]
    client.post(reverse("accounts-review-restore", args=[suspension.pk]))
    assert absent.user.groups.filter(name="advisor").exists()
    suspension.refresh_from_db()
    assert suspension.restored_by == users["security_officer"]
    # Already restored: nothing more to restore.
    assert client.post(reverse("accounts-review-restore", args=[suspension.pk])).status_code == 404


def test_the_cso_downloads_the_portal_list(client, users, make_user, site):
    with_account(make_user, site, "A1")
    client.force_login(users["security_officer"])
    response = client.post(reverse("accounts-review-portal-export"), {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="portail-utilisateurs-')
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Nom", "Prénom", "Courriel", "Changement depuis le dernier export"]
    emails = [row[2] for row in rows[1:]]
    assert "a1@example.org" in emails
    response = client.post(
        reverse("accounts-review-portal-export"), {"format": "xlsx", "since_last": "1"}
    )
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert AuditEntry.objects.filter(action="organisation.portal_users.exported").count() == 2


@pytest.mark.parametrize("model", ["leaverdeactivation", "rightssuspension", "portaluserexport"])
def test_the_records_are_read_only_in_the_admin(client, users, make_user, site, model):
    with_account(make_user, site, "A1", left_on=dt.date(2026, 12, 1), absent_from=None)
    leavers_process(today=dt.date(2026, 12, 11))
    client.force_login(users["administrator"])
    assert client.get(reverse(f"admin:organisation_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:organisation_{model}_add")).status_code == 403
