"""Calls that ended in the IVR (outcome `ended_in_ivr`) and the flag combinations that
cannot happen (docs/formats.md, "calls"; SPEC §3)."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from decroche.contacts.choices import CallOutcome
from decroche.contacts.importing.records import CALL_OUTCOMES
from decroche.contacts.models import Call
from decroche.contacts.services import contacts_import

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _rejects(summary) -> dict[int, dict]:
    with open(summary.rejects_path, encoding="utf-8") as handle:
        return {int(row["line"]): row for row in csv.DictReader(handle)}


def test_a_mapping_says_a_hang_up_never_queued_ended_in_the_ivr(tmp_path):
    source = tmp_path / "bank.csv"
    source.write_text(
        "id,vru_entry,vru_exit,q_start,q_exit,ser_start,ser_exit,outcome\n"
        "1,9:00:00,9:00:20,0:00:00,0:00:00,0:00:00,0:00:00,HANG\n"  # hung up in the IVR
        "2,9:01:00,9:01:30,9:01:30,9:03:30,0:00:00,0:00:00,HANG\n"  # abandoned in the queue
        "3,9:02:00,9:02:10,0:00:00,0:00:00,9:02:10,9:06:10,AGENT\n"  # straight to an agent
        "4,9:03:00,9:03:10,9:03:10,9:03:40,9:03:40,9:07:40,AGENT\n"  # queued, answered
        "5,9:04:00,9:04:05,0:00:00,0:00:00,0:00:00,0:00:00,PHANTOM\n",  # rejected by the source
        encoding="utf-8",
    )
    mapping = tmp_path / "bank.toml"
    mapping.write_text(
        """kind = "calls"
source_system = "bank"
date = 2026-03-02
empty = ["0:00:00"]
[fields]
source_id = "id"
arrived_at = "vru_entry"
queued_at = "q_start"
answered_at = "ser_start"
ended_at = { first_of = ["ser_exit", "q_exit", "vru_exit"] }
[fields.outcome]
column = "outcome"
values = { AGENT = "answered", HANG = "abandoned" }
reject = { PHANTOM = "phantom record" }
when_empty = { queued_at = { HANG = "ended_in_ivr" } }
""",
        encoding="utf-8",
    )

    summary = contacts_import(kind="calls", path=source, mapping_path=mapping)

    assert (summary.rows, summary.accepted, summary.rejected) == (5, 4, 1)
    outcomes = dict(Call.objects.values_list("source_id", "outcome"))
    assert outcomes == {"1": "ended_in_ivr", "2": "abandoned", "3": "answered", "4": "answered"}
    ivr = Call.objects.get(source_id="1")
    # Ended with the IVR exit (first_of falls through to vru_exit); never queued: no wait.
    assert (ivr.queued_at, ivr.wait_seconds, ivr.origin) == (None, 0, "direct")
    assert ivr.ended_at - ivr.arrived_at == dt.timedelta(seconds=20)  # 9:00:20 − 9:00:00
    # Abandoned in the queue: wait = q_exit − q_start = 9:03:30 − 9:01:30 = 120 s.
    assert Call.objects.get(source_id="2").wait_seconds == 120
    assert _rejects(summary)[6]["reason"] == "phantom record"


HEADER = "source_system,source_id,arrived_at,queued_at,answered_at,ended_at,outcome,origin,widening,on_closure_calendar,during_exceptional_closure"


def test_impossible_combinations_are_rejected_with_their_field(tmp_path):
    path = tmp_path / "calls.csv"
    t = "2026-03-02T10:00:00"
    q = "2026-03-02T10:00:20"
    a = "2026-03-02T10:01:00"
    e = "2026-03-02T10:05:00"
    path.write_text(
        "\n".join(
            [
                HEADER,
                f"x,ivr,{t},,,{q},ended_in_ivr,,,,",  # line 2: kept
                f"x,ivr-queued,{t},{q},,{e},ended_in_ivr,,,,",  # 3: queued_at
                f"x,ivr-transfer,{t},,,{q},ended_in_ivr,transfer_in,,,",  # 4: origin
                f"x,ivr-widening,{t},,,{q},ended_in_ivr,,on_other_group,,",  # 5: widening
                f"x,ivr-answered,{t},,{a},{e},ended_in_ivr,,,,",  # 6: answered_at
                f"x,closed-answered,{t},{q},{a},{e},answered,,,yes,yes",  # 7: on_closure_calendar
                f"x,closed-abandoned,{t},{q},,{e},abandoned,,,yes,",  # 8: on_closure_calendar
                f"x,closed,{t},,,{q},dissuaded_closure,,,yes,yes",  # 9: kept
                f"x,closed-ivr,{t},,,{q},ended_in_ivr,,,yes,",  # 10: kept (hung up on the message)
                f"x,misrouted,{t},{q},,{e},abandoned,,,,yes",  # 11: kept (counts against accessibility)
            ]
        )
        + "\n",
        encoding="utf-8",
    )

    summary = contacts_import(kind="calls", path=path)

    assert (summary.rows, summary.accepted, summary.rejected) == (10, 4, 6)
    rejects = _rejects(summary)
    assert {line: row["field"] for line, row in rejects.items()} == {
        3: "queued_at",
        4: "origin",
        5: "widening",
        6: "answered_at",
        7: "on_closure_calendar",
        8: "on_closure_calendar",
    }
    assert rejects[3]["reason"] == "given for a call that ended in the IVR (never queued)"
    assert "transfers and overflows arrive in a queue" in rejects[4]["reason"]
    assert rejects[7]["reason"] == (
        "a call presented on a closure calendar is not put through to the group: "
        "its outcome is dissuaded_closure or ended_in_ivr, not 'answered'"
    )
    assert set(Call.objects.values_list("source_id", flat=True)) == {
        "ivr",
        "closed",
        "closed-ivr",
        "misrouted",
    }


def test_unknown_outcome_lists_ended_in_ivr_among_the_expected(tmp_path):
    path = tmp_path / "calls.csv"
    path.write_text(
        "source_system,source_id,arrived_at,outcome\nx,1,2026-03-02T10:00:00,ivr\n",
        encoding="utf-8",
    )
    summary = contacts_import(kind="calls", path=path)
    assert "ended_in_ivr" in _rejects(summary)[2]["reason"]


def test_the_importer_knows_every_outcome_of_the_model():
    assert set(CallOutcome.values) == CALL_OUTCOMES
