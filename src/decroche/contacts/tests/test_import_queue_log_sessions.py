"""queue_log advisor sessions (issue 17, points 17–19): states live inside a session from
login to log-off or removal, logged-in time is stored, a state crossing midnight counts on
each day, and a state open at the end of a file is kept until a later file closes it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from decroche.contacts.importing.queue_log import OpenState, QueueLogParser
from decroche.contacts.models import AdvisorState, Call, OpenAdvisorState
from decroche.contacts.services import contacts_import
from decroche.core.tabular.source import Row
from decroche.organisation.models import Advisor

DATA = Path(__file__).parent / "data"
T0 = 1709280000  # Friday 1 March 2024, 08:00 UTC (09:00 in Paris)


def _rows(lines: list[str]) -> list[Row]:
    return [Row(number, [], line) for number, line in enumerate(lines, start=1)]


def _states(units) -> list[tuple[str, int, int]]:
    """(state, start − T0, seconds) of the states the parser built."""
    found = []
    for unit in units:
        if unit.kind == "agent-states" and unit.row is not None:
            start, end = unit.row["started_at"], unit.row["ended_at"]
            found.append(
                (
                    unit.row["state"],
                    int(start.timestamp()) - T0,
                    int((end - start).total_seconds()),
                )
            )
    return found


def _accounted(units) -> list[int]:
    return sorted(number for unit in units for number, _raw in unit.lines)


def test_no_state_outlives_the_removal_an_unpause_after_it_opens_nothing():
    """Point 17: UNPAUSEALL after REMOVEMEMBER used to open an "available" state that ran
    all night (85,789 s in one log) and that the next ADDMEMBER did not reset."""
    lines = [
        f"{T0}|NONE|support|SIP/1001|ADDMEMBER|",
        f"{T0 + 600}|NONE|support|SIP/1001|PAUSE|lunch",
        f"{T0 + 1200}|NONE|support|SIP/1001|REMOVEMEMBER|",
        f"{T0 + 1201}|NONE|NONE|SIP/1001|UNPAUSEALL|",  # the order real logs show
        f"{T0 + 86000}|NONE|support|SIP/1001|ADDMEMBER|",  # the next morning
        f"{T0 + 86600}|NONE|support|SIP/1001|REMOVEMEMBER|",
    ]
    units = list(QueueLogParser().parse(_rows(lines)))
    assert _states(units) == [
        ("available", 0, 600),
        ("pause", 600, 600),  # ends at the removal
        ("available", 86000, 600),  # a fresh session, not paused
    ]
    assert _accounted(units) == [1, 2, 3, 4, 5, 6]
    assert not any(unit.error for unit in units)
    assert not [unit for unit in units if unit.kind == "open-state"]  # nothing left open


def test_a_removal_from_one_queue_of_two_keeps_the_session():
    lines = [
        f"{T0}|NONE|q1|SIP/1001|ADDMEMBER|",
        f"{T0 + 10}|NONE|q2|SIP/1001|ADDMEMBER|",
        f"{T0 + 100}|NONE|q1|SIP/1001|REMOVEMEMBER|",
        f"{T0 + 200}|NONE|q2|SIP/1001|PAUSE|",
        f"{T0 + 300}|NONE|q2|SIP/1001|REMOVEMEMBER|",
    ]
    units = list(QueueLogParser().parse(_rows(lines)))
    assert _states(units) == [("available", 0, 200), ("pause", 200, 100)]
    assert _accounted(units) == [1, 2, 3, 4, 5]


def test_agentlogin_and_agentlogoff_make_a_session_without_addmember():
    """Point 18: chan_agent's AGENTLOGIN/AGENTLOGOFF (static members, no ADDMEMBER)."""
    lines = [
        f"{T0}|NONE|NONE|Agent/7|AGENTLOGIN|SIP/1001-0001",
        f"{T0 + 60}|1.1|support|NONE|ENTERQUEUE||0612345678|1",
        f"{T0 + 70}|1.1|support|Agent/7|CONNECT|10|1.2|3",
        f"{T0 + 370}|1.1|support|Agent/7|COMPLETECALLER|10|300|1",
        f"{T0 + 3600}|NONE|NONE|Agent/7|AGENTLOGOFF|SIP/1001-0001|3600",
        f"{T0 + 3601}|NONE|NONE|Agent/7|UNPAUSEALL|",
    ]
    units = list(QueueLogParser(queues={"support": "s"}).parse(_rows(lines)))
    assert _states(units) == [("available", 0, 70), ("talking", 70, 300), ("available", 370, 3230)]
    # 70 + 300 + 3230 = 3600 s: the log-off's own login time (data2).
    assert sum(seconds for *_, seconds in _states(units)) == 3600
    assert _accounted(units) == [1, 2, 3, 4, 5, 6]


def test_a_call_taken_outside_any_known_session_records_its_talk_only():
    lines = [
        f"{T0}|1.1|support|NONE|ENTERQUEUE||0612345678|1",
        f"{T0 + 10}|1.1|support|SIP/1001|CONNECT|10|1.2|3",
        f"{T0 + 310}|1.1|support|SIP/1001|COMPLETEAGENT|10|300|1",
    ]
    units = list(QueueLogParser(queues={"support": "s"}).parse(_rows(lines)))
    # No login seen: the advisor's availability after the call is unknown, not invented.
    assert _states(units) == [("talking", 10, 300)]
    assert not [unit for unit in units if unit.kind == "open-state"]


@pytest.fixture
def wazo_agent(site):
    return Advisor.objects.create(
        login="3001", first_name="Ana", last_name="Lima", site=site, joined_on=dt.date(2024, 1, 1)
    )


@pytest.mark.django_db
def test_a_wazo_day_stores_the_whole_logged_in_time(settings, tmp_path, wazo_agent):
    """Point 18 on a Wazo day (AGENTCALLBACKLOGIN … AGENTCALLBACKLOGOFF, Wazo's time format,
    its unpauses after the log-off): the states cover the session exactly."""
    settings.MEDIA_ROOT = tmp_path
    summary = contacts_import(
        kind="queue-log", path=DATA / "wazo_agent_day.txt", mapping_path=DATA / "wazo_mapping.toml"
    )
    assert (summary.rows, summary.accepted, summary.rejected, summary.duplicates) == (20, 20, 0, 0)
    login = dt.datetime(2024, 3, 4, 8, 0, tzinfo=dt.UTC)
    states = [
        (state, int((start - login).total_seconds()), seconds)
        for state, start, seconds in AdvisorState.objects.order_by("started_at").values_list(
            "state", "started_at", "duration_seconds"
        )
    ]
    assert states == [
        ("available", 0, 612),  # login 08:00:00 → CONNECT 08:10:12
        ("talking", 612, 240),  # → COMPLETEAGENT 08:14:12
        ("wrap_up", 852, 30),  # WRAPUPSTART 30 s → 08:14:42
        ("available", 882, 2718),  # → PAUSEALL 09:00:00
        ("pause", 3600, 900),  # → UNPAUSEALL 09:15:00
        ("available", 4500, 2700),  # → AGENTCALLBACKLOGOFF 10:00:00
    ]
    # Logged-in time (available + talking + wrap-up + pause, the availability rate's
    # denominator) = 612 + 240 + 30 + 2718 + 900 + 2700 = 7200 s, the log-off's data2.
    assert sum(seconds for *_, seconds in states) == 7200
    # Availability's numerator: 612 + 2718 + 2700 = 6030 s.
    assert sum(seconds for state, _, seconds in states if state == "available") == 6030
    assert not OpenAdvisorState.objects.exists()  # logged off: nothing left open
    answered = Call.objects.get(outcome="answered")
    assert (answered.wait_seconds, answered.talk_seconds, answered.wrap_up_seconds) == (12, 240, 30)


DAY_1 = [
    "2024-03-04 08:00:00|NONE|q1|SIP/1001|ADDMEMBER|",
    "2024-03-04 16:00:00|NONE|q1|SIP/1001|PAUSE|end of day",  # 17:00 in Paris; the file ends
]
DAY_2 = [
    "2024-03-05 07:00:00|NONE|q1|SIP/1001|UNPAUSE|",  # 08:00 in Paris
    "2024-03-05 08:00:00|NONE|q1|SIP/1001|REMOVEMEMBER|",
]


@pytest.mark.django_db
def test_an_open_state_waits_for_the_next_file_and_counts_on_each_day(settings, tmp_path, site):
    """Point 19: a pause open at the end of a file is kept, not rejected; the next file
    closes it, and it is stored as one piece per Paris day. Re-imports change nothing."""
    settings.MEDIA_ROOT = tmp_path / "media"
    Advisor.objects.create(
        login="1001", first_name="Léa", last_name="Roux", site=site, joined_on=dt.date(2024, 1, 1)
    )
    mapping = DATA / "queue_log_mapping.toml"
    files = {}
    for name, lines in (("day1", DAY_1), ("day2", DAY_2)):
        files[name] = tmp_path / f"{name}.log"
        files[name].write_text("\n".join(lines) + "\n", encoding="utf-8")

    def load(name):
        summary = contacts_import(kind="queue-log", path=files[name], mapping_path=mapping)
        return summary.rows, summary.accepted, summary.rejected, summary.duplicates

    def stored():
        return list(
            AdvisorState.objects.order_by("started_at").values_list(
                "state", "day", "duration_seconds"
            )
        )

    assert load("day1") == (2, 2, 0, 0)  # the PAUSE line is kept open, not rejected
    assert stored() == [("available", dt.date(2024, 3, 4), 8 * 3600)]
    kept = OpenAdvisorState.objects.get()
    assert (kept.state, kept.started_at, kept.queues) == (
        "pause",
        dt.datetime(2024, 3, 4, 16, tzinfo=dt.UTC),
        ["q1"],
    )
    assert load("day1") == (2, 0, 0, 2)  # again: both lines known
    assert OpenAdvisorState.objects.count() == 1

    assert load("day2") == (2, 2, 0, 0)
    assert stored() == [
        ("available", dt.date(2024, 3, 4), 8 * 3600),
        ("pause", dt.date(2024, 3, 4), 7 * 3600),  # 17:00 → midnight in Paris
        ("pause", dt.date(2024, 3, 5), 8 * 3600),  # midnight → 08:00
        ("available", dt.date(2024, 3, 5), 3600),  # UNPAUSE → REMOVEMEMBER
    ]
    assert not OpenAdvisorState.objects.exists()
    before = stored()
    # Again: without the carried pause, its two lines are read as outside a session (lines
    # read with nothing to store count as accepted, as a QUEUESTART does); nothing is added.
    assert load("day2") == (2, 2, 0, 0)
    assert load("day1") == (2, 0, 0, 2)  # its pause was closed by day 2: not reopened
    assert stored() == before and not OpenAdvisorState.objects.exists()


def test_a_carried_state_applies_only_to_a_later_file():
    carried = {
        "SIP/1001": OpenState(
            agent="SIP/1001",
            state="pause",
            started_at=dt.datetime.fromtimestamp(T0, dt.UTC),
            as_of=dt.datetime.fromtimestamp(T0 + 100, dt.UTC),
            queues=("support",),
        )
    }
    later = [f"{T0 + 3600}|NONE|support|SIP/1001|UNPAUSE|"]
    units = list(QueueLogParser(carried=carried).parse(_rows(later)))
    assert _states(units) == [("pause", 0, 3600)]  # closed here, from its real start
    open_state = next(unit for unit in units if unit.kind == "open-state")
    assert (open_state.row["state"], open_state.row["adopted"]) == ("available", True)
    earlier = [f"{T0 + 50}|NONE|support|SIP/1001|UNPAUSE|"]  # before the carried file's end
    units = list(QueueLogParser(carried=carried).parse(_rows(earlier)))
    assert _states(units) == [] and not [u for u in units if u.kind == "open-state"]
