"""Imports of calls in the documented format (docs/formats.md): conversions, accounting,
idempotence, audit and the rejects file."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from decroche.contacts.models import Call, ImportBatch
from decroche.contacts.services import contacts_import
from decroche.core.models import AuditEntry
from decroche.core.pseudonymise import pseudonymise

DATA = Path(__file__).parent / "data"
PARIS = ZoneInfo("Europe/Paris")
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_valid_file_imports_every_row_with_durations_from_the_instants(advisor):
    summary = contacts_import(kind="calls", path=DATA / "calls_valid.csv")

    assert (summary.rows, summary.accepted, summary.rejected, summary.duplicates) == (3, 3, 0, 0)
    assert summary.rejects_path is None
    first = Call.objects.get(source_id="C1")
    # Naive times are Paris time: 08:31:05 Paris in March (UTC+1) is 07:31:05 UTC.
    assert first.arrived_at == dt.datetime(2026, 3, 2, 7, 31, 5, tzinfo=dt.UTC)
    # wait = 08:33:05 − 08:31:35 = 90 s; talk = 08:37:15 − 08:33:05 = 250 s; wrap-up = 08:38:00 − 08:37:15 = 45 s.
    assert (first.wait_seconds, first.talk_seconds, first.wrap_up_seconds) == (90, 250, 45)
    assert (first.day, first.half_hour) == (dt.date(2026, 3, 2), 17)  # 08:31 → half-hour 8×2 + 1
    assert first.advisor == advisor and first.site.code == "grenoble"
    assert first.reason.code == "cv-serial-unreadable"
    # The number is stored only as its keyed hash.
    assert first.caller_hash == pseudonymise("0612345678", key=django_settings.PSEUDONYMISATION_KEY)
    assert "0612345678" not in first.caller_hash

    abandoned = Call.objects.get(source_id="C2")
    # Abandon: wait = end − queued = 09:02:20 − 09:00:20 = 120 s, no talk; aware time kept.
    assert (abandoned.outcome, abandoned.wait_seconds, abandoned.talk_seconds) == (
        "abandoned",
        120,
        0,
    )
    assert abandoned.arrived_at == dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
    assert abandoned.caller_hash == first.caller_hash

    late = Call.objects.get(source_id="C3")
    # Answered 1 s before the queue time: within the 2 s tolerance, moved up to 23:45:10
    # → wait 0, talk = 23:50:09 − 23:45:10 = 299 s.
    assert late.answered_at == late.queued_at
    assert (late.wait_seconds, late.talk_seconds) == (0, 299)
    assert late.reason.code == "out-of-scope"  # resolved by its label
    assert late.transferred_n1plus is True and late.origin == "transfer_in"
    assert late.half_hour == 47


def test_reimporting_the_same_file_adds_nothing(advisor):
    contacts_import(kind="calls", path=DATA / "calls_valid.csv")
    again = contacts_import(kind="calls", path=DATA / "calls_valid.csv")

    assert (again.rows, again.accepted, again.rejected, again.duplicates) == (3, 0, 0, 3)
    assert Call.objects.count() == 3


def _write(tmp_path: Path, name: str, lines: list[str], encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


HEADER = "source_system,source_id,arrived_at,queued_at,answered_at,ended_at,outcome,advisor,reason,wrap_up_seconds"


def _rejects(summary) -> list[dict]:
    with open(summary.rejects_path, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_bad_rows_are_rejected_with_line_field_and_reason_and_good_rows_kept(tmp_path, advisor):
    path = _write(
        tmp_path,
        "calls.csv",
        [
            HEADER,
            "odigo,ok,2026-03-02T10:00:00,2026-03-02T10:00:10,2026-03-02T10:01:00,2026-03-02T10:05:00,answered,A1001,,",
            "odigo,order,2026-03-02T10:00:00,2026-03-02T10:00:10,2026-03-02T10:01:00,2026-03-02T10:00:30,answered,A1001,,",
            "odigo,negative,2026-03-02T10:00:00,,,2026-03-02T10:01:00,abandoned,,,-30",
            "odigo,reason,2026-03-02T10:00:00,,2026-03-02T10:01:00,2026-03-02T10:02:00,answered,A1001,Météo,",
            "odigo,who,2026-03-02T10:00:00,,2026-03-02T10:01:00,2026-03-02T10:02:00,answered,Z9999,,",
            "odigo,ok,2026-03-02T10:00:00,2026-03-02T10:00:10,2026-03-02T10:01:00,2026-03-02T10:05:00,answered,A1001,,",
            "odigo,baddate,02/03/2026 10:00,,,,abandoned,,,",
            "odigo,truncated,2026-03-02T10:00:00,2026-03-02T10",
        ],
    )
    summary = contacts_import(kind="calls", path=path)

    assert (summary.rows, summary.accepted, summary.rejected, summary.duplicates) == (8, 1, 6, 1)
    assert summary.rows == summary.accepted + summary.rejected + summary.duplicates
    by_line = {int(row["line"]): row for row in _rejects(summary)}
    assert by_line[3]["field"] == "ended_at" and "wrong order" in by_line[3]["reason"]
    assert by_line[4]["field"] == "wrap_up_seconds" and "negative duration" in by_line[4]["reason"]
    assert by_line[5]["field"] == "reason" and "unknown reason 'Météo'" in by_line[5]["reason"]
    assert by_line[6]["field"] == "advisor" and "unknown advisor 'Z9999'" in by_line[6]["reason"]
    assert by_line[8]["field"] == "arrived_at" and "ISO 8601" in by_line[8]["reason"]
    assert "4 values for 10 columns (truncated line?)" in by_line[9]["reason"]
    assert by_line[9]["raw"].startswith("odigo,truncated")
    assert list(Call.objects.values_list("source_id", flat=True)) == ["ok"]
    batch = ImportBatch.objects.get(pk=summary.batch_id)
    assert (batch.status, batch.rows, batch.rejected, batch.rejects_path) == (
        "completed",
        8,
        6,
        summary.rejects_path,
    )


def test_a_reject_of_a_tolerance_edge_is_exactly_beyond_two_seconds(tmp_path):
    path = _write(
        tmp_path,
        "calls.csv",
        [
            "source_system,source_id,arrived_at,queued_at,outcome",
            "x,two,2026-03-02T10:00:02,2026-03-02T10:00:00,abandoned",  # 2 s early: tolerated
            "x,three,2026-03-02T10:00:03,2026-03-02T10:00:00,abandoned",  # 3 s early: rejected
        ],
    )
    summary = contacts_import(kind="calls", path=path)
    assert (summary.accepted, summary.rejected) == (1, 1)
    assert _rejects(summary)[0]["line"] == "3"


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["source_system,source_id,arrived_at"], "line 1: missing required column(s): outcome"),
        ([HEADER + ",advisr"], "line 1: unknown column(s): advisr"),
        (
            ["source_id,source_id,arrived_at,outcome,source_system"],
            "column(s) named twice: source_id",
        ),
    ],
)
def test_missing_extra_or_doubled_columns_stop_the_file(tmp_path, lines, message):
    path = _write(tmp_path, "cols.csv", lines)
    with pytest.raises(Exception, match="cols.csv: ") as caught:
        contacts_import(kind="calls", path=path)
    assert message in str(caught.value)
    batch = ImportBatch.objects.get()
    assert batch.status == "failed" and message in batch.error
    assert (
        AuditEntry.objects.get(action__startswith="contacts.import").action
        == "contacts.import.failed"
    )


def test_empty_file_is_a_clear_error(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(Exception, match=r"empty.csv: the file is empty"):
        contacts_import(kind="calls", path=path)


def test_wrong_encoding_names_the_line_and_writes_nothing(tmp_path):
    lines = [HEADER] + [f"odigo,r{n},2026-03-02T10:00:00,,,,abandoned,,," for n in range(5)]
    lines.append("odigo,r9,2026-03-02T10:00:00,,,,abandoned,,Hors périmètre,")
    path = _write(tmp_path, "latin.csv", lines, encoding="cp1252")
    # é (0xe9 in cp1252) is at byte 379: header 104 + 1, five rows of 44 + 1, then 49 bytes
    # of "odigo,r9,2026-03-02T10:00:00,,,,abandoned,,Hors p": 105 + 225 + 49 = 379.
    with pytest.raises(
        Exception, match=r"latin.csv: line 7: not valid utf-8 text \(byte 0xe9 at byte offset 379\)"
    ):
        contacts_import(kind="calls", path=path)
    assert Call.objects.count() == 0


def test_a_mapping_naming_the_encoding_reads_a_windows_file(tmp_path):
    path = _write(
        tmp_path,
        "latin.csv",
        [HEADER, "odigo,r1,2026-03-02T10:00:00,,,,abandoned,,Hors périmètre Mon espace santé,"],
        encoding="cp1252",
    )
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        'kind = "calls"\nencoding = "cp1252"\n[fields]\n'
        + "\n".join(f'{c} = "{c}"' for c in HEADER.split(","))
        + "\n"
    )
    summary = contacts_import(kind="calls", path=path, mapping_path=mapping)
    assert summary.accepted == 1
    assert Call.objects.get().reason.code == "out-of-scope"


def test_ten_megabytes_of_garbage_is_refused_without_writing(tmp_path):
    import random

    path = tmp_path / "garbage.csv"
    path.write_bytes(random.Random(42).randbytes(10 * 1024 * 1024))
    with pytest.raises(
        Exception, match=r"garbage.csv: line \d+: (not valid utf-8 text|binary content)"
    ):
        contacts_import(kind="calls", path=path)
    assert Call.objects.count() == 0


def test_ten_megabytes_of_printable_garbage_is_refused_on_its_header(tmp_path):
    import random

    rng = random.Random(7)
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 ,;:\n"
    path = tmp_path / "noise.csv"
    path.write_text("".join(rng.choices(alphabet, k=10 * 1024 * 1024)), encoding="utf-8")
    with pytest.raises(Exception, match=r"noise.csv: line 1: missing required column"):
        contacts_import(kind="calls", path=path)


def test_header_only_file_imports_zero_rows(tmp_path):
    summary = contacts_import(kind="calls", path=_write(tmp_path, "h.csv", [HEADER]))
    assert (summary.rows, summary.accepted) == (0, 0)


def test_semicolon_separated_file_with_bom_is_read(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_text(
        "\ufeffsource_system;source_id;arrived_at;outcome\nx;1;2026-03-02T10:00:00;abandoned\n",
        encoding="utf-8",
    )
    assert contacts_import(kind="calls", path=path).accepted == 1


def test_xlsx_file_imports_like_csv(tmp_path, advisor):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "source_system",
            "source_id",
            "arrived_at",
            "answered_at",
            "ended_at",
            "outcome",
            "advisor",
        ]
    )
    sheet.append(
        [
            "odigo",
            42,
            dt.datetime(2026, 3, 2, 9, 0),
            dt.datetime(2026, 3, 2, 9, 1),
            dt.datetime(2026, 3, 2, 9, 4),
            "answered",
            "A1001",
        ]
    )
    sheet.append(["odigo", 43, "yesterday", None, None, "abandoned", None])
    path = tmp_path / "calls.xlsx"
    workbook.save(path)

    summary = contacts_import(kind="calls", path=path)

    assert (summary.accepted, summary.rejected) == (1, 1)
    call = Call.objects.get()
    assert call.source_id == "42" and call.talk_seconds == 180  # 09:04 − 09:01
    assert _rejects(summary)[0]["line"] == "3"


def test_garbage_named_xlsx_is_a_clear_error(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00garbage" * 100)
    with pytest.raises(Exception, match="broken.xlsx: not a readable XLSX workbook"):
        contacts_import(kind="calls", path=path)


def test_interrupted_import_keeps_exactly_the_committed_batches(tmp_path, monkeypatch):
    from decroche.contacts.importing import runner

    lines = [HEADER] + [f"odigo,r{n},2026-03-02T10:00:00,,,,abandoned,,," for n in range(25)]
    path = _write(tmp_path, "calls.csv", lines)
    real_insert = runner.insert_ignoring_duplicates
    calls = {"n": 0}

    def failing_third_batch(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real_insert(*args, **kwargs)

    monkeypatch.setattr(runner, "insert_ignoring_duplicates", failing_third_batch)
    with pytest.raises(KeyboardInterrupt):
        contacts_import(kind="calls", path=path, batch_size=10)

    # Two batches of 10 were committed; the third (rows 21–25) left nothing behind.
    assert Call.objects.count() == 20
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.rows, batch.accepted) == ("interrupted", 20, 20)
    assert AuditEntry.objects.filter(action="contacts.import.failed").count() == 1

    monkeypatch.setattr(runner, "insert_ignoring_duplicates", real_insert)
    resumed = contacts_import(kind="calls", path=path, batch_size=10)
    assert (resumed.accepted, resumed.duplicates) == (5, 20)
    assert Call.objects.count() == 25


def test_completed_import_writes_one_audit_entry_with_the_counts(users, advisor):
    user = next(iter(users.values()))
    summary = contacts_import(kind="calls", path=DATA / "calls_valid.csv", user=user)
    entry = AuditEntry.objects.get(action__startswith="contacts.import")
    assert entry.action == "contacts.import.completed" and entry.user == user
    assert entry.data["accepted"] == 3 and entry.data["batch_id"] == summary.batch_id
    assert ImportBatch.objects.get().user == entry.user


def test_command_prints_json_summary_whose_rows_add_up(capsys, advisor):
    call_command("import", "calls", str(DATA / "calls_valid.csv"), "--json")
    summary = json.loads(capsys.readouterr().out)
    assert summary["rows"] == summary["accepted"] + summary["rejected"] + summary["duplicates"] == 3


def test_command_fails_non_zero_with_the_reason_on_stderr(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "empty.csv"
    path.write_text("")
    env = {
        "DJANGO_SETTINGS_MODULE": "decroche.settings",
        "DECROCHE_DATA_DIR": str(tmp_path / "var"),
        "PATH": "/usr/bin:/bin",
    }
    subprocess.run([sys.executable, "-m", "decroche.cli", "migrate", "-v0"], env=env, check=True)
    done = subprocess.run(
        [sys.executable, "-m", "decroche.cli", "import", "calls", str(path)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "empty.csv: the file is empty" in done.stderr


def test_converters_write_every_required_database_column():
    """A NOT NULL column without database default that the raw writer omits would make
    every import fail: this guards DB_COLUMNS against model changes."""
    from decroche.contacts.importing.records import DB_COLUMNS
    from decroche.contacts.importing.runner import MODELS

    for key, model in MODELS.items():
        required = {
            f.column
            for f in model._meta.concrete_fields
            if not f.null and not f.primary_key and not f.has_db_default()
        }
        assert required <= set(DB_COLUMNS[key]), (key, required - set(DB_COLUMNS[key]))
