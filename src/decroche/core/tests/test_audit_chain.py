"""The audit trail is chained by a keyed hash, append-only, and purged only through a
checkpoint (issue 12 §4; SPEC §9). `decroche audit-verify` is the interface the checks use."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from decroche.core import chain
from decroche.core.models import AppendOnlyError, AuditCheckpoint, AuditEntry
from decroche.core.selectors import verify_chain
from decroche.core.services import audit_purge, log_action

pytestmark = pytest.mark.django_db

TABLE = AuditEntry._meta.db_table


def _entries(count: int) -> list[AuditEntry]:
    return [log_action("test.chain", data={"index": index}) for index in range(count)]


def _verify_output() -> str:
    from io import StringIO

    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def _sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_each_entry_is_chained_to_the_previous_one_by_a_keyed_hash():
    first, second = _entries(2)
    assert second.sequence == first.sequence + 1
    # The chain hash of the second is HMAC-SHA256(key, first's hash + canonical(second)).
    fields = chain.canonical(
        sequence=second.sequence,
        at=second.at,
        action="test.chain",
        user_id=None,
        username="",
        ip_address=None,
        data={"index": 1},
    )
    assert second.chain_hash == chain.link(first.chain_hash, fields)
    assert b'"data":{"index":1}' in fields and b'"action":"test.chain"' in fields


def test_the_key_comes_from_audit_chain_key_else_from_secret_key():
    with override_settings(AUDIT_CHAIN_KEY="a key kept in the environment"):
        assert chain.chain_key() == b"a key kept in the environment"
    with override_settings(AUDIT_CHAIN_KEY="", SECRET_KEY="s1"):
        derived = chain.chain_key()
    with override_settings(AUDIT_CHAIN_KEY="", SECRET_KEY="s2"):
        assert chain.chain_key() != derived
    assert len(derived) == 32


def test_verify_says_intact_with_the_number_of_entries():
    _entries(3)
    total = AuditEntry.objects.count()
    assert f"{total} " in _verify_output()
    assert verify_chain().intact and verify_chain().entries == total


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("action", "test.innocent"),
        ("username", "someone.else"),
        ("ip_address", "10.0.0.9"),
        ("data", '{"index": 99}'),
        ("at", "2026-01-01 00:00:00"),
    ],
)
def test_an_entry_altered_in_the_database_is_named(column, value):
    entries = _entries(4)
    victim = entries[1]
    _sql(f"UPDATE {TABLE} SET {column} = %s WHERE id = %s", [value, victim.pk])

    report = verify_chain()
    assert not report.intact
    assert (report.broken_id, report.broken_sequence) == (victim.pk, victim.sequence)
    with pytest.raises(CommandError) as error:
        call_command("audit_verify")
    assert f"id {victim.pk}" in str(error.value)
    assert f"{victim.sequence}" in str(error.value)


def test_an_entry_deleted_in_the_database_leaves_a_gap_that_is_named():
    entries = _entries(4)
    _sql(f"DELETE FROM {TABLE} WHERE id = %s", [entries[1].pk])

    report = verify_chain()
    # The first broken entry is the one after the gap: sequence n+1 is missing.
    assert (report.broken_id, report.broken_sequence) == (entries[2].pk, entries[2].sequence)
    assert str(entries[1].sequence) in report.problem
    with pytest.raises(CommandError, match=f"id {entries[2].pk}"):
        call_command("audit_verify")


def test_the_last_entries_deleted_are_caught_by_the_head():
    entries = _entries(3)
    _sql(f"DELETE FROM {TABLE} WHERE id = %s", [entries[-1].pk])
    report = verify_chain()
    assert not report.intact
    assert report.broken_sequence == entries[-1].sequence


def test_entries_cannot_be_changed_or_deleted_through_the_orm():
    entry = log_action("test.chain")
    entry.action = "test.rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="test.rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert verify_chain().intact


def test_an_account_with_entries_cannot_be_deleted(users):
    from django.db.models import ProtectedError

    log_action("test.chain", user=users["advisor"])
    with pytest.raises(ProtectedError):
        users["advisor"].delete()


def _day(days: int) -> dt.datetime:
    """`days` after the test database was built: the entries its migrations wrote (the
    indicator catalogue's publications) come first in the chain, at that moment."""
    return BUILT + dt.timedelta(days=days)


BUILT = dt.datetime.now(dt.UTC).replace(microsecond=0)


def test_purge_keeps_at_least_a_year_and_the_chain_still_verifies(time_machine):
    built = AuditEntry.objects.count()
    time_machine.move_to(_day(1))
    old = _entries(3)
    time_machine.move_to(_day(320))
    recent = _entries(2)
    # Day 420 minus 400 days is day 20: the migrations' entries and the three of day 1 go,
    # the two of day 320 stay (100 days back).
    time_machine.move_to(_day(420))

    with pytest.raises(ValueError):
        audit_purge(keep_days=365)
    with pytest.raises(CommandError):
        call_command("audit_purge", "--keep-days", "365")

    preview = audit_purge(dry_run=True)
    assert preview.entries == built + 3
    assert AuditEntry.objects.filter(pk=old[0].pk).exists()

    result = audit_purge()
    assert result.entries == built + 3 and result.through_sequence == old[-1].sequence
    assert not AuditEntry.objects.filter(pk__in=[e.pk for e in old]).exists()
    checkpoint = AuditCheckpoint.objects.get()
    assert (checkpoint.sequence, checkpoint.chain_hash) == (old[-1].sequence, old[-1].chain_hash)
    purge_entry = AuditEntry.objects.get(action="core.audit.purged")
    assert purge_entry.data["entries"] == built + 3
    report = verify_chain()
    assert report.intact and report.entries == len(recent) + 1  # and the purge's own entry

    # Removing the oldest remaining entry by hand is still a gap.
    _sql(f"DELETE FROM {TABLE} WHERE id = %s", [recent[0].pk])
    assert verify_chain().broken_id == recent[1].pk


def test_a_checkpoint_written_by_hand_is_not_vouched_for(time_machine):
    time_machine.move_to(_day(1))
    old = _entries(2)
    time_machine.move_to(_day(420))
    later = _entries(1)
    # Someone with database access removes the oldest entries and forges the checkpoint.
    _sql(f"DELETE FROM {TABLE} WHERE sequence <= %s", [old[-1].sequence])
    AuditCheckpoint.objects.create(
        sequence=old[-1].sequence,
        chain_hash=old[-1].chain_hash,
        entries_purged=2,
        before=later[0].at,
    )
    report = verify_chain()
    assert not report.intact and "purge" in report.problem


def test_purge_command_dry_run_prints_the_count(time_machine):
    from io import StringIO

    built = AuditEntry.objects.count()
    time_machine.move_to(_day(1))
    _entries(2)
    time_machine.move_to(_day(420))
    out = StringIO()
    call_command("audit_purge", "--dry-run", stdout=out)
    assert out.getvalue().startswith(f"{built + 2} audit entries")
    assert AuditEntry.objects.count() == built + 2


def test_not_even_the_administrator_edits_or_deletes_entries_in_the_admin(client, users):
    entry = log_action("test.chain", data={"index": 1})
    client.force_login(users["administrator"])
    base = f"/admin/core/auditentry/{entry.pk}"
    assert client.get("/admin/core/auditentry/").status_code == 200  # read-only list
    assert client.get("/admin/core/auditentry/add/").status_code == 403
    assert client.post(f"{base}/delete/", {"post": "yes"}).status_code == 403
    client.post(f"{base}/change/", {"action": "test.rewritten"})
    bulk = {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    client.post("/admin/core/auditentry/", bulk)
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.chain"
    assert verify_chain().intact


def test_addresses_are_stored_as_the_database_gives_them_back():
    mapped = log_action("test.chain", ip_address="::FFFF:192.0.2.1")
    unreadable = log_action("test.chain", ip_address="unknown")
    assert AuditEntry.objects.get(pk=mapped.pk).ip_address == "::ffff:192.0.2.1"
    assert AuditEntry.objects.get(pk=unreadable.pk).ip_address is None
    assert verify_chain().intact


def test_log_read_names_the_record_the_reader_and_the_reason(rf, users):
    from decroche.core.services import log_read

    reader = users["team_leader"]
    request = rf.get("/", REMOTE_ADDR="192.0.2.5")
    request.user = reader
    by_request = log_read(request, users["advisor"], "detail")
    by_user = log_read(reader, users["advisor"], "search", action="accounts.user.looked_up")
    assert (by_request.action, by_request.user, by_request.ip_address) == (
        "accounts.user.read",
        reader,
        "192.0.2.5",
    )
    assert by_request.data == {
        "model": "accounts.user",
        "id": users["advisor"].pk,
        "reason": "detail",
    }
    assert (by_user.action, by_user.ip_address, by_user.data["reason"]) == (
        "accounts.user.looked_up",
        None,
        "search",
    )


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writers need a server database (SQLite tests use one in-memory file)",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain():
    import threading

    from django.db import connections

    def write(worker: int) -> None:
        try:
            for index in range(25):
                log_action("test.concurrent", data={"worker": worker, "index": index})
        finally:
            connections.close_all()

    before = AuditEntry.objects.count()
    threads = [threading.Thread(target=write, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # 4 writers × 25 entries = 100 more entries, one unbroken chain.
    assert AuditEntry.objects.count() == before + 100
    report = verify_chain()
    assert report.intact and report.entries == before + 100
