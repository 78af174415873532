"""Issue 17, points 1 and 11: unbounded value sets, a batch complete only with its derived
data, interrupted imports detected, resumed or discarded."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command

from decroche.contacts.bulk import IN_CHUNK, in_chunks
from decroche.contacts.importing import batches
from decroche.contacts.importing.runner import _advisor_ids
from decroche.contacts.models import Call, ImportBatch
from decroche.contacts.repeats import repeat_delays_refresh
from decroche.contacts.services import contacts_import
from decroche.contacts.signals import contacts_imported
from decroche.core.models import AuditEntry

pytestmark = pytest.mark.django_db

HEADER = "source_system,source_id,arrived_at,ended_at,outcome,caller"


def _calls_file(tmp_path, count: int, *, callers: int | None = None, name="calls.csv"):
    """`count` abandoned calls one minute apart; caller n % callers (all distinct when None)."""
    start = dt.datetime(2026, 3, 2, 8, 0)
    lines = [HEADER]
    for n in range(count):
        arrived = start + dt.timedelta(minutes=n)
        caller = n % callers if callers else n
        lines.append(
            f"odigo,s{n},{arrived:%Y-%m-%dT%H:%M:%S},{arrived + dt.timedelta(seconds=30):%Y-%m-%dT%H:%M:%S},"
            f"abandoned,06{caller:08d}"
        )
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_in_chunks_never_exceeds_the_bound_and_keeps_every_value():
    values = {f"v{n:05d}" for n in range(2 * IN_CHUNK + 7)}
    chunks = list(in_chunks(values))
    assert [len(chunk) for chunk in chunks] == [IN_CHUNK, IN_CHUNK, 7]
    assert set().union(*chunks) == values


def test_advisor_lookup_of_more_logins_than_sqlite_binds(advisor):
    # 40,000 logins exceed SQLite's 32,766 bound parameters in one IN list.
    logins = {f"X{n}" for n in range(40_000)} | {advisor.login}
    assert dict(_advisor_ids(logins)) == {advisor.login: advisor.pk}


def test_repeat_refresh_for_more_callers_than_sqlite_binds():
    arrived = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    for n, day in enumerate((0, 4)):
        Call.objects.create(
            source_system="t",
            source_id=f"r{n}",
            outcome="answered",
            caller_hash="alice",
            arrived_at=arrived + dt.timedelta(days=day),
        )
    callers = {f"h{n}" for n in range(40_000)} | {"alice"}
    changed: set[dt.date] = set()
    assert repeat_delays_refresh(caller_hashes=callers, changed_days=changed) == 1
    assert Call.objects.get(source_id="r0").days_to_repeat == 4  # 2 → 6 March
    assert changed == {dt.date(2026, 3, 2)}


def test_an_import_of_more_distinct_callers_than_sqlite_binds_completes(tmp_path):
    # 66,000 calls from 33,000 callers (more than SQLite's 32,766 bound parameters), each
    # calling twice: the first call of each caller gets a delay, 33,000 delays in all.
    path = _calls_file(tmp_path, 66_000, callers=33_000)
    summary = contacts_import(kind="calls", path=path, batch_size=20_000)
    assert (summary.rows, summary.accepted) == (66_000, 66_000)
    assert ImportBatch.objects.get().status == "completed"
    assert Call.objects.filter(days_to_repeat__isnull=False).count() == 33_000


def test_a_failing_post_step_fails_the_batch_and_a_rerun_completes_it(tmp_path, monkeypatch):
    path = _calls_file(tmp_path, 30, callers=10)  # each caller three times
    real = batches.repeat_delays_refresh

    def broken(**kwargs):
        raise RuntimeError("disk full while refreshing repeats")

    monkeypatch.setattr(batches, "repeat_delays_refresh", broken)
    with pytest.raises(RuntimeError):
        contacts_import(kind="calls", path=path)
    first = ImportBatch.objects.get()
    assert first.status == "failed" and "disk full while refreshing repeats" in first.error
    assert Call.objects.count() == 30  # rows committed, derived data not: never "completed"
    assert not Call.objects.filter(days_to_repeat__isnull=False).exists()

    monkeypatch.setattr(batches, "repeat_delays_refresh", real)
    again = contacts_import(kind="calls", path=path)
    assert (again.accepted, again.duplicates) == (0, 30)  # nothing doubled
    assert Call.objects.count() == 30
    # Same day: the first two calls of each caller repeat after 0 days, the third is last.
    assert Call.objects.filter(days_to_repeat=0).count() == 20
    first.refresh_from_db()
    assert first.resumed_by_id == again.batch_id and first.status == "failed"
    assert set(Call.objects.values_list("import_batch_id", flat=True)) == {again.batch_id}
    assert ImportBatch.objects.get(pk=again.batch_id).status == "completed"


def test_a_failing_summary_listener_fails_the_batch(tmp_path):
    def listener(sender, **kwargs):
        raise RuntimeError("summary refresh failed")

    contacts_imported.connect(listener, dispatch_uid="test-failing-listener")
    try:
        with pytest.raises(RuntimeError):
            contacts_import(kind="calls", path=_calls_file(tmp_path, 3))
    finally:
        contacts_imported.disconnect(dispatch_uid="test-failing-listener")
    batch = ImportBatch.objects.get()
    assert batch.status == "failed" and "summary refresh failed" in batch.error


def test_a_running_batch_whose_process_is_gone_is_reported_interrupted(capsys):
    gone = ImportBatch.objects.create(
        kind="calls",
        file_name="a.csv",
        runner_host=batches.socket.gethostname(),
        runner_pid=2**22 + 1,
    )  # above the kernel's pid_max: no such process
    alive = ImportBatch.objects.create(kind="calls", file_name="b.csv", **batches.runner_identity())
    call_command("imports", "--json")
    listed = {item["id"]: item for item in json.loads(capsys.readouterr().out)}
    assert listed[gone.pk]["status"] == "interrupted"
    assert listed[alive.pk]["status"] == "running"  # this very process
    assert list(listed) == [alive.pk, gone.pk]  # newest first
    assert AuditEntry.objects.filter(action="contacts.import.interrupted").count() == 1


def test_a_stale_heartbeat_is_interrupted_even_on_another_host():
    stale = ImportBatch.objects.create(
        kind="calls", file_name="a.csv", runner_host="elsewhere", runner_pid=1
    )
    ImportBatch.objects.filter(pk=stale.pk).update(
        heartbeat_at=dt.datetime.now(dt.UTC) - batches.HEARTBEAT_STALE - dt.timedelta(seconds=1)
    )
    fresh = ImportBatch.objects.create(
        kind="calls", file_name="b.csv", runner_host="elsewhere", runner_pid=1
    )
    ImportBatch.objects.filter(pk=fresh.pk).update(heartbeat_at=dt.datetime.now(dt.UTC))
    assert batches.import_batches_reap() == [stale.pk]


def test_a_completed_batch_cannot_be_discarded(tmp_path):
    summary = contacts_import(kind="calls", path=_calls_file(tmp_path, 3))
    with pytest.raises(batches.BatchNotDiscardable, match="completed"):
        batches.import_batch_discard(batch=ImportBatch.objects.get(pk=summary.batch_id))
    assert Call.objects.count() == 3
