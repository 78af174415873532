"""Sessions and security headers (issue 12 point 6; SPEC §9)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from decroche.accounts.middleware import SESSION_SEEN_KEY, SESSION_STARTED_KEY
from decroche.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_every_page_carries_the_security_headers(client, users):
    client.force_login(users["workforce_planner"])
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_hsts_is_sent_over_https_only(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    assert "Strict-Transport-Security" not in client.get(reverse("login"))
    secure = client.get(reverse("login"), secure=True)
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")


def test_plain_http_is_redirected_to_https_when_asked(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(reverse("login"))
    assert response.status_code == 301 and response["Location"].startswith("https://")


def _session_times(client) -> tuple[int, int]:
    session = client.session
    return session[SESSION_STARTED_KEY], session[SESSION_SEEN_KEY]


def test_an_idle_session_ends_after_thirty_minutes(client, users, settings):
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    user = users["workforce_planner"]
    with time_machine.travel(time.time(), tick=False) as traveller:
        client.force_login(user)
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(29 * 60)  # 29 minutes idle: still signed in
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(31 * 60)  # 31 minutes since the last request
        response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    entry = AuditEntry.objects.filter(action="accounts.session_expired").get()
    assert entry.user == user and entry.data == {"reason": "idle"}


def test_an_active_session_ends_after_its_absolute_lifetime(client, users, settings):
    assert settings.SESSION_ABSOLUTE_LIFETIME == 10 * 3600
    with time_machine.travel(time.time(), tick=False) as traveller:
        client.force_login(users["workforce_planner"])
        # A request every 20 minutes for 10 hours keeps the session alive...
        for _ in range(30):
            traveller.shift(20 * 60)
            assert client.get(reverse("home")).status_code == 200
        started, seen = _session_times(client)
        assert seen - started == 10 * 3600
        traveller.shift(20 * 60)  # ...but not beyond 10 hours
        response = client.get(reverse("home"))
    assert response.status_code == 302
    assert AuditEntry.objects.get(action="accounts.session_expired").data == {"reason": "absolute"}


def test_signing_out_invalidates_the_session_on_the_server(client, users):
    client.force_login(users["workforce_planner"])
    key = client.session.session_key
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()


def test_state_changes_need_the_csrf_token(users):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(users["security_officer"])
    assert strict.post(reverse("logout")).status_code == 403


def test_check_deploy_reports_no_issue_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "production-secret-key-for-the-check-0123456789-abcdefgh",
        "DECROCHE_DATA_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "decroche.cli", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
