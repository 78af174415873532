"""Nominative accounts (SPEC §9): forms and the CSO's list of accounts (pages: test_user_pages)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from decroche.accounts.forms import NominativeUserCreationForm

pytestmark = pytest.mark.django_db
STRONG = "Unique-Secret-2026!"


def creation_data(**overrides) -> dict:
    data = {
        "username": "louise.bernard",
        "first_name": "Louise",
        "last_name": "Bernard",
        "email": "louise.bernard@example.org",
        "password1": STRONG,
        "password2": STRONG,
    }
    data.update(overrides)
    return data


def test_a_named_person_gets_an_account():
    form = NominativeUserCreationForm(data=creation_data())
    assert form.is_valid(), form.errors
    user = form.save()
    assert (user.first_name, user.last_name, user.email) == (
        "Louise",
        "Bernard",
        "louise.bernard@example.org",
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("username", "accueil"),
        ("username", "support-2"),
        ("first_name", ""),
        ("last_name", "Plateau"),
        ("first_name", "Admin"),
        ("email", "accueil@cpam.example.org"),
        ("email", ""),
    ],
)
def test_generic_or_missing_identity_is_refused(field, value):
    form = NominativeUserCreationForm(data=creation_data(**{field: value}))
    assert not form.is_valid()
    assert field in form.errors or "__all__" in form.errors


def test_email_is_unique_whatever_its_case(make_user):
    other = make_user("advisor", username="louise.martin")
    other.email = "louise.bernard@example.org"
    other.save()
    form = NominativeUserCreationForm(data=creation_data(email="Louise.Bernard@Example.org"))
    assert not form.is_valid()
    assert "email" in form.errors


def test_user_list_redirects_anonymous(client):
    response = client.get(reverse("user-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ["team_leader", "site_manager", "client_auditor"])
def test_user_list_refuses_other_roles(client, users, role):
    client.force_login(users[role])
    assert client.get(reverse("user-list")).status_code == 403


def test_user_list_shows_roles_and_last_login_and_filters(client, users):
    client.force_login(users["security_officer"])
    response = client.get(reverse("user-list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Responsable de site" in html
    assert "Dernière connexion" in html
    leader_only = client.get(reverse("user-list"), {"role": "team_leader"})
    assert [row["url"] for row in leader_only.context["rows"]] == [
        reverse("user-detail", args=[users["team_leader"].pk])
    ]
