"""Shared fixtures: one user per role (STYLE habit 11), reference data for records."""

from __future__ import annotations

import datetime as dt

import pytest

from decroche.accounts.roles import ROLES

PASSWORD = "Motdepasse-De-Test-42!"


@pytest.fixture(autouse=True)
def _tasks_run_inline(settings):
    """Background jobs run inline in tests (issue 12 point 8): the immediate backend runs
    the very task the worker would, before `enqueue` returns."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def make_user(db):
    from django.contrib.auth.models import Group

    from decroche.accounts.models import User

    def make(role: str | None = None, username: str | None = None, **extra) -> User:
        name = username or f"camille.{role or 'sansrole'}".replace("_", "")
        user = User.objects.create_user(
            username=name,
            email=f"{name}@example.org",
            first_name="Camille",
            last_name=(role or "Sansrole").replace("_", " ").title(),
            password=PASSWORD,
            must_change_password=False,
            **extra,
        )
        if role:
            user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def users(make_user):
    """A dictionary role code -> a user holding only that role."""
    return {role.code: make_user(role.code) for role in ROLES}


@pytest.fixture
def site(db):
    from decroche.organisation.models import Site

    return Site.objects.create(code="grenoble", name="Grenoble", city="Grenoble")


@pytest.fixture
def advisor(site):
    from decroche.organisation.models import Advisor

    return Advisor.objects.create(
        login="A1001",
        first_name="Inès",
        last_name="Martin",
        site=site,
        joined_on=dt.date(2025, 1, 6),
    )


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests hash many passwords and need no such cost."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_configure(config):
    from django.conf import settings

    # The test client and the live server speak plain HTTP; outside the demo the settings
    # redirect it to HTTPS (tested through `check --deploy` in accounts/tests/test_headers.py).
    settings.SECURE_SSL_REDIRECT = False
    config.addinivalue_line(
        "markers",
        "second_factor_unverified: `client.force_login` leaves the session without a verified "
        "second factor (tests of the enforcement itself)",
    )


@pytest.fixture(autouse=True)
def _force_login_passes_second_factor(request, monkeypatch):
    """`client.force_login(user)` yields a session verified by a second factor (SPEC §9),
    as if the user had typed a code: a confirmed django-otp static device named
    `tests: force_login` is created for the user and put in the session. Tests of the
    enforcement opt out with `@pytest.mark.second_factor_unverified`."""
    if request.node.get_closest_marker("second_factor_unverified"):
        return
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_static.models import StaticDevice

        original(self, user, backend)
        device, _created = StaticDevice.objects.get_or_create(
            user=user, name=FORCE_LOGIN_DEVICE, defaults={"confirmed": True}
        )
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


FORCE_LOGIN_DEVICE = "tests: force_login"


@pytest.fixture
def world(users, site):
    """Two sites, teams, advisors and their calls (`contacts.factories.two_site_world`)."""
    from decroche.contacts.factories import two_site_world

    return two_site_world(users, site)
