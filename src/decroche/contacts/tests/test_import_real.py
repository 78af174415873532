"""The real Technion bank file imports through its mapping, every row accounted for."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from decroche.contacts.models import Call
from decroche.contacts.services import contacts_import

REPOSITORY = Path(__file__).resolve().parents[4]
REAL_FILE = REPOSITORY.parent / "shared" / "data" / "real" / "technion_bank_calls_one_day.csv"
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
