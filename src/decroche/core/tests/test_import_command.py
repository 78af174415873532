"""`decroche import`: who is named in the audit trail (issue 17 point 16)."""

from __future__ import annotations

import getpass
from pathlib import Path

import pytest
from django.core import management
from django.core.management import call_command
from django.core.management.base import CommandError

from decroche import cli
from decroche.core.models import AuditEntry

CALLS = Path(__file__).resolve().parents[2] / "contacts" / "tests" / "data" / "calls_valid.csv"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _last_import_entry() -> AuditEntry:
    return AuditEntry.objects.filter(action="contacts.import.completed").latest("pk")


def test_command_line_import_names_the_system_account_that_ran_it(advisor, monkeypatch):
    # Django's own runner closes the database connections after a command, which the test
    # database cannot take: run the command through call_command inside cli.main instead.
    monkeypatch.setattr(
        management, "execute_from_command_line", lambda args: call_command(*args[1:])
    )
    cli.main(["decroche", "import", "calls", str(CALLS), "--json"])

    entry = _last_import_entry()
    assert entry.user is None
    assert entry.username == f"system:{getpass.getuser()}"


def test_audit_entries_outside_the_command_line_name_no_system_account(advisor):
    call_command("import", "calls", str(CALLS), "--json")

    assert _last_import_entry().username == ""


def test_import_as_a_login_names_that_account(advisor, make_user, monkeypatch):
    planner = make_user("workforce_planner", username="m.durand")
    monkeypatch.setattr(
        management, "execute_from_command_line", lambda args: call_command(*args[1:])
    )

    cli.main(["decroche", "import", "calls", str(CALLS), "--json", "--as", "m.durand"])

    entry = _last_import_entry()
    assert (entry.user, entry.username) == (planner, "m.durand")


def test_import_as_an_unknown_or_inactive_login_is_refused_before_anything_is_read(
    advisor, make_user
):
    make_user("workforce_planner", username="gone", is_active=False)
    for login in ("nobody", "gone"):
        with pytest.raises(CommandError, match=f"--as {login}: no active account"):
            call_command("import", "calls", str(CALLS), "--as", login)
    assert not AuditEntry.objects.filter(action__startswith="contacts.import").exists()
