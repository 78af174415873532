"""queue_log events beyond the call's own (issue 17, points 20–21): the calls Wazo writes as
one line (CLOSED, FULL, JOINEMPTY, DIVERT_*), withdrawals, ring attempts, penalties and
wrap-ups, and `[outcomes]` entries that could not take effect."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from decroche.contacts.importing.mapping import load_mapping
from decroche.contacts.importing.queue_log import QueueLogParser
from decroche.contacts.models import Call
from decroche.contacts.services import contacts_import
from decroche.core.tabular.errors import ImportFileError
from decroche.core.tabular.source import Row
from decroche.organisation.models import Advisor

DATA = Path(__file__).parent / "data"
T0 = 1709280000  # Friday 1 March 2024, 08:00 UTC


def _rows(lines: list[str]) -> list[Row]:
    return [Row(number, [], line) for number, line in enumerate(lines, start=1)]


def _calls(units) -> dict[str, dict]:
    return {u.row["source_id"]: u.row for u in units if u.kind == "calls" and u.row is not None}


def test_single_line_calls_are_imported_with_their_outcome():
    """Point 20: no ENTERQUEUE before them; they used to be rejected as "call started
    before it"."""
    lines = [
        f"{T0}|1.1|q1|NONE|CLOSED|",
        f"{T0 + 1}|2.1|q1|NONE|FULL|",
        f"{T0 + 2}|3.1|q1|NONE|JOINEMPTY|",
        f"{T0 + 3}|4.1|q1|NONE|DIVERT_CA_RATIO|",
        f"{T0 + 4}|5.1|q1|NONE|DIVERT_HOLDTIME|",
        f"{T0 + 5}|5.1|q2|NONE|ENTERQUEUE||0612345678|1",  # diverted to q2: an overflow in
        f"{T0 + 35}|5.1|q2|NONE|ABANDON|1|1|30",
    ]
    units = list(QueueLogParser(queues={"q1": "s", "q2": "s"}).parse(_rows(lines)))
    assert not any(unit.error for unit in units)
    calls = _calls(units)
    assert {key: row["outcome"] for key, row in calls.items()} == {
        "1.1@q1": "dissuaded_closure",
        "2.1@q1": "overflowed_out",
        "3.1@q1": "overflowed_out",
        "4.1@q1": "overflowed_out",
        "5.1@q1": "overflowed_out",
        "5.1@q2": "abandoned",
    }
    closed = calls["1.1@q1"]
    # Refused as it arrived: it never waited (no queued_at, so a wait of 0 s).
    assert closed["queued_at"] is None and closed["arrived_at"] == closed["ended_at"]
    assert calls["5.1@q2"]["origin"] == "overflow_in"


def test_a_mapping_changes_a_single_line_outcome_and_it_takes_effect():
    parser = QueueLogParser(queues={"q1": "s"}, outcomes={"FULL": "dissuaded_telecom"})
    units = list(parser.parse(_rows([f"{T0}|2.1|q1|NONE|FULL|"])))
    assert _calls(units)["2.1@q1"]["outcome"] == "dissuaded_telecom"


def test_withdraw_ends_the_call_unserved_ring_attempts_and_penalties_are_read_only():
    """Point 21: these used to be rejected as unknown events."""
    lines = [
        f"{T0}|1.1|q1|NONE|ENTERQUEUE||0612345678|1",
        f"{T0 + 5}|1.1|q1|SIP/1001|RINGNOANSWER|5000",
        f"{T0 + 9}|1.1|q1|SIP/1002|RINGCANCELED|4000",
        f"{T0 + 9}|1.1|q1|NONE|WITHDRAW|1|1|9|",
        f"{T0 + 20}|9.9|q1|SIP/1001|RINGNOANSWER|5000",  # its call began in an earlier file
        f"{T0 + 30}|NONE|q1|SIP/1001|PENALTY|2",
    ]
    parser = QueueLogParser(queues={"q1": "s"})
    units = list(parser.parse(_rows(lines)))
    assert not any(unit.error for unit in units)
    (call,) = _calls(units).values()
    assert (call["outcome"], call["answered_at"], call["advisor"]) == ("abandoned", None, "")
    # The ring attempts are part of their call, or read alone: never a call of their own.
    call_unit = next(unit for unit in units if unit.kind == "calls")
    assert [number for number, _ in call_unit.lines] == [1, 2, 3, 4]
    assert sorted(n for unit in units for n, _ in unit.lines) == [1, 2, 3, 4, 5, 6]
    assert parser.ignored == {"RINGNOANSWER": 2, "RINGCANCELED": 1, "PENALTY": 1}


def test_wrap_up_sets_the_after_call_work_of_the_call_just_ended():
    lines = [
        f"{T0}|NONE|NONE|Agent/1|AGENTCALLBACKLOGIN|1001@default",
        f"{T0 + 10}|1.1|q1|NONE|ENTERQUEUE||0612345678|1",
        f"{T0 + 20}|1.1|q1|Agent/1|CONNECT|10|1.2|1",
        f"{T0 + 80}|1.1|q1|Agent/1|COMPLETECALLER|10|60|1",
        f"{T0 + 80}|NONE|NONE|Agent/1|WRAPUPSTART|45",
        f"{T0 + 100}|NONE|NONE|Agent/1|PAUSEALL|",  # during the wrap-up: after it
        f"{T0 + 300}|NONE|NONE|Agent/1|AGENTCALLBACKLOGOFF|1001@default|300",
        f"{T0 + 400}|NONE|NONE|Agent/1|WRAPUPSTART|abc",
    ]
    units = list(QueueLogParser(queues={"q1": "s"}).parse(_rows(lines)))
    call = _calls(units)["1.1@q1"]
    assert call["wrap_up_seconds"] == "45"
    states = [
        (u.row["state"], int(u.row["started_at"].timestamp()) - T0, u.row["ended_at"])
        for u in units
        if u.kind == "agent-states" and u.row
    ]
    at = lambda seconds: dt.datetime.fromtimestamp(T0 + seconds, dt.UTC)  # noqa: E731
    assert states == [
        ("available", 0, at(20)),
        ("talking", 20, at(80)),
        ("wrap_up", 80, at(125)),  # 45 s of wrap-up
        ("pause", 125, at(300)),  # the pause asked during the wrap-up, until the log-off
    ]
    rejected = [unit.error.reason for unit in units if unit.error]
    assert rejected == ["WRAPUPSTART needs its wrap-up seconds, not 'abc'"]


@pytest.mark.django_db
def test_a_wazo_day_imports_every_call_with_its_outcome(settings, tmp_path, site):
    settings.MEDIA_ROOT = tmp_path
    Advisor.objects.create(
        login="3001", first_name="Ana", last_name="Lima", site=site, joined_on=dt.date(2024, 1, 1)
    )
    summary = contacts_import(
        kind="queue-log", path=DATA / "wazo_agent_day.txt", mapping_path=DATA / "wazo_mapping.toml"
    )
    assert summary.rejected == 0
    outcomes = dict(Call.objects.values_list("source_id", "outcome"))
    assert outcomes == {
        "1709538600.1@q1": "dissuaded_closure",  # CLOSED
        "1709538900.2@q1": "overflowed_out",  # JOINEMPTY
        "1709539800.4@q1": "answered",
        "1709541000.6@q1": "overflowed_out",  # FULL
        "1709544600.7@q1": "abandoned",  # WITHDRAW after 40 s
        "1709547900.8@q1": "overflowed_out",  # DIVERT_HOLDTIME
    }
    assert Call.objects.get(source_id="1709544600.7@q1").wait_seconds == 40


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('CONNECT = "abandoned"', "[outcomes] CONNECT: not a queue_log event that ends a call"),
        ('HANGUP = "abandoned"', "[outcomes] HANGUP: not a queue_log event that ends a call"),
        ('FULL = "answered"', "[outcomes] FULL = 'answered': not an outcome of a call ending"),
        ('ABANDON = "ended_in_ivr"', "[outcomes] ABANDON = 'ended_in_ivr': not an outcome"),
        ('CLOSED = "closure"', "[outcomes] CLOSED = 'closure': not an outcome"),
    ],
)
def test_an_outcome_entry_that_cannot_take_effect_is_refused(tmp_path, entry, message):
    path = tmp_path / "m.toml"
    path.write_text(f'kind = "queue-log"\n[outcomes]\n{entry}\n', encoding="utf-8")
    with pytest.raises(ImportFileError) as caught:
        load_mapping(path, kind="queue-log")
    assert f"m.toml: {message}" in str(caught.value)


def test_outcome_entries_that_take_effect_are_kept(tmp_path):
    path = tmp_path / "m.toml"
    path.write_text(
        'kind = "queue-log"\n[outcomes]\nCLOSED = "dissuaded_closure"\n'
        'EXITEMPTY = "dissuaded_closure"\nJOINEMPTY = "ended_in_ivr"\n',
        encoding="utf-8",
    )
    assert load_mapping(path, kind="queue-log").outcomes == {
        "CLOSED": "dissuaded_closure",
        "EXITEMPTY": "dissuaded_closure",
        "JOINEMPTY": "ended_in_ivr",
    }
