"""The real Technion bank file imports through its mapping, every row accounted for."""

from __future__ import annotations

import csv
import os
from collections import Counter
from pathlib import Path

import pytest

from decroche.contacts.models import Call
from decroche.contacts.services import contacts_import

REPOSITORY = Path(__file__).resolve().parents[4]
# Beside the repository (../shared/data/real), or where DECROCHE_REAL_DATA says (worktrees).
REAL_DIR = Path(
    os.environ.get("DECROCHE_REAL_DATA", REPOSITORY.parent / "shared" / "data" / "real")
)
REAL_FILE = REAL_DIR / "technion_bank_calls_one_day.csv"
MAPPING = REPOSITORY / "examples" / "mappings" / "technion-bank.toml"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.skipif(
    not REAL_FILE.exists(),
    reason=f"real data absent ({REAL_FILE}): it lives outside the repository",
)
def test_technion_file_imports_every_row_and_reimport_adds_nothing():
    with REAL_FILE.open(encoding="utf-8") as handle:
        source = list(csv.DictReader(handle))

    first = contacts_import(kind="calls", path=REAL_FILE, mapping_path=MAPPING)

    assert first.rows == len(source) == 2375
    assert first.rows == first.accepted + first.rejected + first.duplicates
    assert first.duplicates == 0
    with open(first.rejects_path, encoding="utf-8") as handle:
        reasons = Counter(row["reason"] for row in csv.DictReader(handle))
    # Every PHANTOM record is rejected with the source's own meaning.
    phantoms = sum(1 for row in source if row["outcome"] == "PHANTOM")
    assert reasons["record marked PHANTOM (to ignore) by the source"] == phantoms == 18
    assert Call.objects.count() == first.accepted
    served = sum(1 for row in source if row["outcome"] == "AGENT")
    assert Call.objects.filter(outcome="answered").count() <= served
    # A HANG never queued (q_start 0:00:00) hung up in the IVR: ended_in_ivr, not abandoned;
    # none of them has a service start, so none is rejected (counted from the CSV itself).
    in_ivr = [row for row in source if row["outcome"] == "HANG" and row["q_start"] == "0:00:00"]
    assert all(row["ser_start"] == "0:00:00" for row in in_ivr)
    assert Call.objects.filter(outcome="ended_in_ivr").count() == len(in_ivr) == 118
    assert not Call.objects.filter(outcome="ended_in_ivr", queued_at__isnull=False).exists()
    # The other HANG rows are abandons in the queue, but those carrying a service start
    # (contradictory, an abandoned call that was answered: rejected, docs/formats.md).
    queued_hangs = [
        row for row in source if row["outcome"] == "HANG" and row["q_start"] != "0:00:00"
    ]
    served_hangs = [row for row in queued_hangs if row["ser_start"] != "0:00:00"]
    assert (len(queued_hangs), len(served_hangs)) == (728, 5)
    assert Call.objects.filter(outcome="abandoned").count() == 728 - 5
    # AGENT rows never queued were put straight through: they stay answered.
    assert Call.objects.filter(outcome="answered", queued_at__isnull=True).exists()
    # Agents are created on the mapping's site (opt-in): one advisor per `server` name but NO_SERVER.
    agents = {row["server"] for row in source} - {"NO_SERVER"}
    assert (
        Call.objects.filter(advisor__isnull=False).values("advisor").distinct().count()
        == len(agents)
        == 18
    )

    second = contacts_import(kind="calls", path=REAL_FILE, mapping_path=MAPPING)
    assert (second.rows, second.accepted, second.duplicates, second.rejected) == (
        2375,
        0,
        first.accepted,
        first.rejected,
    )
    assert Call.objects.count() == first.accepted
