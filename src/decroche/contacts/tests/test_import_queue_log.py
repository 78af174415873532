"""Asterisk queue_log imports: calls and advisor states rebuilt from events (docs/formats.md)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from decroche.contacts.importing.queue_log import QueueLogParser
from decroche.contacts.models import AdvisorState, Call
from decroche.contacts.services import contacts_import
from decroche.core.tabular.source import Row
from decroche.organisation.models import Advisor

DATA = Path(__file__).parent / "data"
T0 = dt.datetime(2024, 3, 1, 8, 0, tzinfo=dt.UTC)  # 1709280000, the first line of the file
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def agent_1001(site):
    return Advisor.objects.create(
        login="1001", first_name="Léa", last_name="Roux", site=site, joined_on=dt.date(2024, 1, 1)
    )


def _import():
    return contacts_import(
        kind="queue-log",
        path=DATA / "queue_log_day.txt",
        mapping_path=DATA / "queue_log_mapping.toml",
    )


def test_calls_are_rebuilt_with_contract_outcomes(agent_1001):
    summary = _import()

    # 16 lines: 15 used in 4 calls and 7 states, 1 ENTERQUEUE never finished.
    assert (summary.rows, summary.accepted, summary.rejected, summary.duplicates) == (16, 15, 1, 0)
    calls = {call.source_id: call for call in Call.objects.all()}
    answered = calls["1709280060.1@support"]
    # ENTERQUEUE 08:01:00, CONNECT 08:01:30, COMPLETECALLER 08:05:30 → wait 30 s, talk 240 s.
    assert (answered.outcome, answered.wait_seconds, answered.talk_seconds) == ("answered", 30, 240)
    assert answered.advisor == agent_1001 and answered.site.code == "grenoble"
    assert answered.caller_hash and answered.caller_hash != "0612345678"
    abandon = calls["1709280400.3@support"]
    assert (abandon.outcome, abandon.wait_seconds, abandon.advisor) == ("abandoned", 45, None)
    # EXITWITHTIMEOUT: an overflow out of `support`, then an overflow into `overflow`.
    assert calls["1709282400.4@support"].outcome == "overflowed_out"
    overflow = calls["1709282400.4@overflow"]
    assert (overflow.origin, overflow.outcome, overflow.transferred_n1plus) == (
        "overflow_in",
        "answered",
        True,
    )
    assert (overflow.wait_seconds, overflow.talk_seconds) == (10, 60)
    assert calls["1709280060.1@support"].source_system == "asterisk-test"


def test_advisor_states_cover_the_session_without_overlap(agent_1001):
    _import()

    states = list(
        AdvisorState.objects.order_by("started_at").values_list(
            "state", "started_at", "duration_seconds"
        )
    )
    minutes = [
        (state, int((start - T0).total_seconds()), seconds) for state, start, seconds in states
    ]
    assert minutes == [
        ("available", 0, 90),  # ADDMEMBER 08:00:00 → CONNECT 08:01:30
        ("talking", 90, 240),  # → COMPLETECALLER 08:05:30
        ("available", 330, 170),  # → PAUSE 08:08:20
        ("pause", 500, 1800),  # → UNPAUSE 08:38:20
        ("available", 2300, 170),  # → CONNECT 08:41:10
        ("talking", 2470, 60),  # → TRANSFER 08:42:10
        ("available", 2530, 1070),  # → REMOVEMEMBER 09:00:00
    ]
    # Logged in 08:00–09:00: the spans add up to the whole hour.
    assert sum(seconds for *_, seconds in minutes) == 3600


def test_reimport_adds_nothing_and_accounts_every_line(agent_1001):
    _import()
    again = _import()
    assert (again.rows, again.accepted, again.rejected, again.duplicates) == (16, 0, 1, 15)
    assert (Call.objects.count(), AdvisorState.objects.count()) == (4, 7)


def test_unknown_agent_rejects_its_call_and_unfinished_call_is_reported(site):
    summary = _import()
    with open(summary.rejects_path, encoding="utf-8") as handle:
        rejects = list(csv.DictReader(handle))
    reasons = {(row["line"], row["field"]): row["reason"] for row in rejects}
    assert reasons[("16", "callid")] == "call still in progress at the end of the file"
    assert "unknown advisor '1001'" in reasons[("5", "advisor")]
    assert summary.rows == summary.accepted + summary.rejected + summary.duplicates == 16
    assert (
        Call.objects.filter(advisor__isnull=True).count() == 2
    )  # the abandon and the overflow out


def test_parser_rejects_malformed_lines_and_events_without_enterqueue():
    rows = [
        Row(1, ["garbage"], "garbage"),
        Row(2, ["abc", "1.1", "q", "NONE", "ABANDON"], "abc|1.1|q|NONE|ABANDON"),
        Row(
            3,
            ["1709280000", "9.9", "q", "SIP/1", "CONNECT", "3"],
            "1709280000|9.9|q|SIP/1|CONNECT|3",
        ),
        Row(4, ["1709280000", "NONE", "q", "NONE", "WHATEVER"], "1709280000|NONE|q|NONE|WHATEVER"),
        Row(
            5,
            ["1709280000", "NONE", "NONE", "NONE", "QUEUESTART"],
            "1709280000|NONE|NONE|NONE|QUEUESTART",
        ),
    ]
    built = list(QueueLogParser(queues={"q": "s"}).parse(rows))
    errors = {unit.lines[0][0]: unit.error.reason if unit.error else None for unit in built}
    assert "at least 5 expected" in errors[1]
    assert errors[2] == "not a Unix time: 'abc'"
    assert "CONNECT without an ENTERQUEUE" in errors[3]
    assert errors[4] == "unknown queue_log event 'WHATEVER'"
    assert errors[5] is None  # read, nothing to store


def test_agent_channel_becomes_login_unless_mapped():
    parser = QueueLogParser(agents={"Agent/7": "A1001"})
    assert parser.login("SIP/1001") == "1001"
    assert parser.login("Local/2002@agents/n") == "2002"
    assert parser.login("Agent/7") == "A1001"
