"""Issue 17 point 11: an import process really killed (SIGKILL) mid-file is reported
`interrupted`, never `running`; re-importing the same file resumes it with nothing
doubled, or `decroche imports --discard` deletes what it wrote."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from .test_import_scale import _calls_file

ROWS = 60_000


def _decroche(env, *args, check=True):
    done = subprocess.run(
        [sys.executable, "-m", "decroche.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if check and done.returncode:
        raise AssertionError(done.stderr)
    return done


def _killed_import(tmp_path, name):
    """A fresh database, one calls import killed with SIGKILL once some batches are in."""
    var = tmp_path / name
    env = {
        "DJANGO_SETTINGS_MODULE": "decroche.settings",
        "DECROCHE_DATA_DIR": str(var),
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
    }
    _decroche(env, "migrate", "-v0")
    path = _calls_file(tmp_path, ROWS, callers=5_000, name=f"{name}.csv")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "decroche.cli",
            "import",
            "calls",
            str(path),
            "--json",
            "--batch-size",
            "500",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    database = var / "decroche.sqlite3"
    deadline = time.monotonic() + 120
    written = 0
    while written < 1_000 and time.monotonic() < deadline:
        time.sleep(0.1)
        try:
            with sqlite3.connect(database, timeout=5) as db:
                row = db.execute("SELECT MAX(rows) FROM contacts_importbatch").fetchone()
        except sqlite3.OperationalError:  # tables not visible yet
            continue
        written = row[0] or 0
        assert process.poll() is None, "the import ended before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()  # reaped: the pid no longer exists
    return env, path, database


def _batches(env):
    return json.loads(_decroche(env, "imports", "--json").stdout)


def _count(database, sql):
    with sqlite3.connect(database) as db:
        return db.execute(sql).fetchone()[0]


@pytest.mark.slow
def test_killed_import_is_interrupted_then_resumed_by_a_reimport(tmp_path):
    env, path, database = _killed_import(tmp_path, "resume")
    (batch,) = _batches(env)
    assert batch["status"] == "interrupted"
    stored = _count(database, "SELECT COUNT(*) FROM contacts_call")
    # What it wrote is exactly its committed batches, and the batch says so.
    assert 0 < stored < ROWS and batch["accepted"] == stored == batch["rows"]

    done = _decroche(env, "import", "calls", str(path), "--json")
    summary = json.loads(done.stdout)
    assert (summary["accepted"], summary["duplicates"]) == (ROWS - stored, stored)
    assert _count(database, "SELECT COUNT(*) FROM contacts_call") == ROWS  # nothing doubled
    # Repeat delays cover the rows of the killed run too: 5,000 callers → 55,000 delays.
    assert _count(database, "SELECT COUNT(days_to_repeat) FROM contacts_call") == ROWS - 5_000
    resumed, killed = _batches(env)
    assert (resumed["status"], killed["status"]) == ("completed", "interrupted")
    assert killed["resumed_by"] == resumed["id"]


@pytest.mark.slow
def test_killed_import_can_be_discarded(tmp_path):
    env, _path, database = _killed_import(tmp_path, "discard")
    (batch,) = _batches(env)
    assert batch["status"] == "interrupted" and batch["accepted"] > 0
    done = _decroche(env, "imports", "--discard", str(batch["id"]))
    assert f"{batch['accepted']} rows deleted" in done.stdout
    assert _count(database, "SELECT COUNT(*) FROM contacts_call") == 0
    assert (
        _count(
            database,
            "SELECT COUNT(*) FROM core_auditentry WHERE action = 'contacts.import.discarded'",
        )
        == 1
    )
    again = _decroche(env, "imports", "--discard", str(batch["id"]), check=False)
    assert again.returncode != 0 and "already discarded" in again.stderr
