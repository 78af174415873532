"""The roster import page (issue 9): upload, the diff to check, confirm; who may use it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from decroche.accounts.roles import ROLES
from decroche.core.models import AuditEntry
from decroche.organisation.models import Advisor, Site
from decroche.organisation.views import SESSION_KEY

pytestmark = pytest.mark.django_db

HEADER = "site_code;site_name;team_code;team_name;login;last_name;first_name;email;joined_on;weekly_hours"
ROSTER = (
    HEADER
    + "\ngrenoble;Grenoble;gre-a;Grenoble A;A2001;Martin;Inès;ines.martin@example.org;2025-01-06;35"
    + "\nlyon;Lyon;lyo-a;Lyon A;A2004;Durand;Hugo;hugo.durand@example.org;2025-03-03;17,5\n"
).encode()
ALLOWED = {"site_manager", "workforce_planner", "administrator"}


def preview(client, content=ROSTER):
    return client.post(
        reverse("roster-upload"), {"file": SimpleUploadedFile("roster.csv", content, "text/csv")}
    )


@pytest.mark.parametrize("role", sorted({role.code for role in ROLES} - ALLOWED))
def test_roles_without_the_roster_permission_are_not_allowed(client, users, role):
    client.force_login(users[role])
    assert client.get(reverse("roster-upload")).status_code == 403
    assert preview(client).status_code == 403
    assert client.post(reverse("roster-confirm"), {"token": "x", "digest": "y"}).status_code == 403
    assert Site.objects.count() == 0


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse("roster-upload"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_planner_previews_then_confirms_the_roster(client, users):
    client.force_login(users["workforce_planner"])
    assert client.get(reverse("roster-upload")).status_code == 200
    response = preview(client)
    assert response.status_code == 200
    page = response.content.decode()
    assert "roster.csv : 2 lignes — 2 à créer, 0 à modifier, 0 inchangées, 0 rejetées." in page
    assert "A2001" in page and "A2004" in page
    assert Site.objects.count() == 0  # the preview writes nothing
    diff = response.context["diff"]
    digest = response.context["confirm"].initial["digest"]
    token = response.context["confirm"].initial["token"]
    assert diff.accepted == 2
    response = client.post(reverse("roster-confirm"), {"token": token, "digest": digest})
    assert response.status_code == 302
    assert set(Advisor.objects.values_list("login", flat=True)) == {"A2001", "A2004"}
    entry = AuditEntry.objects.get(action="organisation.roster.imported")
    assert entry.user == users["workforce_planner"]
    assert SESSION_KEY not in client.session  # the staged file is gone with it
    # The same confirmation again finds no staged file: nothing is applied twice.
    response = client.post(reverse("roster-confirm"), {"token": token, "digest": digest})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="organisation.roster.imported").count() == 1


def test_a_confirmation_of_a_preview_that_no_longer_holds_is_refused(client, users):
    client.force_login(users["workforce_planner"])
    response = preview(client)
    token = response.context["confirm"].initial["token"]
    # Someone creates the site meanwhile: the diff the planner saw is no longer the one to apply.
    Site.objects.create(code="lyon", name="Lyon-Part-Dieu")
    response = client.post(
        reverse("roster-confirm"),
        {"token": token, "digest": response.context["confirm"].initial["digest"]},
        follow=True,
    )
    assert Advisor.objects.count() == 0
    assert "preview it again" in response.content.decode()


def test_a_site_manager_imports_only_the_sites_they_manage(client, users):
    manager = users["site_manager"]
    Site.objects.create(code="lyon", name="Lyon").managers.add(manager)
    client.force_login(manager)
    response = preview(client)
    diff = response.context["diff"]
    assert [(o.login, o.action) for o in diff.outcomes] == [
        ("A2001", "rejected"),
        ("A2004", "created"),
    ]
    initial = response.context["confirm"].initial
    client.post(reverse("roster-confirm"), initial)
    assert list(Advisor.objects.values_list("login", flat=True)) == ["A2004"]
    assert not Site.objects.filter(code="grenoble").exists()


def test_a_file_that_cannot_be_read_shows_its_error_on_the_form(client, users):
    client.force_login(users["workforce_planner"])
    response = preview(client, b"login;last_name\nA1;Martin\n")
    assert response.status_code == 200
    assert "missing required column(s)" in response.content.decode()
    assert SESSION_KEY not in client.session
