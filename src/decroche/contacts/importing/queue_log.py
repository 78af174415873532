"""Asterisk `queue_log` → calls and advisor states (docs/formats.md, "queue_log").

Each line is `time|callid|queue|agent|EVENT|data1|data2|...`. Calls are rebuilt from
their events (ENTERQUEUE ... CONNECT ... COMPLETECALLER), advisor states from the
member events (ADDMEMBER, PAUSE, UNPAUSE, REMOVEMEMBER) and from the calls they take.
Every line ends up in exactly one `Built` unit, so that the import can account for
every line: stored, duplicate or rejected. Pure module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from decroche.core.tabular.errors import RowRejected
from decroche.core.tabular.source import Row

# Contract outcome of each way of leaving the queue unanswered (SPEC §3 answer rate).
DEFAULT_OUTCOMES = {
    "ABANDON": "abandoned",  # the caller hung up while waiting
    "EXITWITHKEY": "abandoned",  # the caller chose to leave the queue: not served
    "EXITWITHTIMEOUT": "overflowed_out",  # routed on after the maximum wait: an overflow
    "EXITEMPTY": "overflowed_out",  # no member in the queue: routed on, an overflow
}
CALL_END_ANSWERED = {
    "COMPLETECALLER",
    "COMPLETEAGENT",
    "TRANSFER",
    "BLINDTRANSFER",
    "ATTENDEDTRANSFER",
}
TRANSFERS = {"TRANSFER", "BLINDTRANSFER", "ATTENDEDTRANSFER"}
MEMBER_EVENTS = {"ADDMEMBER", "REMOVEMEMBER", "PAUSE", "UNPAUSE", "PAUSEALL", "UNPAUSEALL"}
INFORMATIONAL = {
    "QUEUESTART",
    "CONFIGRELOAD",
    "SYSCOMPAT",
    "AGENTLOGIN",
    "AGENTLOGOFF",
    "AGENTCALLBACKLOGIN",
    "AGENTCALLBACKLOGOFF",
}


@dataclass
class Built:
    """A record rebuilt from some lines, or the rejection of those lines."""

    kind: str  # "calls" | "agent-states" | "" (lines read, nothing to store)
    lines: list[tuple[int, str]]  # (line number, raw line) of every line it accounts for
    raw: str
    row: dict | None = None
    error: RowRejected | None = None


@dataclass
class _Call:
    callid: str
    queue: str
    entered: dt.datetime
    caller: str
    lines: list[tuple[int, str]]
    raw: str
    origin: str = "direct"
    answered: dt.datetime | None = None
    agent: str = ""


@dataclass
class _Agent:
    queues: set[str] = field(default_factory=set)
    paused: bool = False
    state: str = ""
    since: dt.datetime | None = None
    lines: list[tuple[int, str]] = field(default_factory=list)
    raw: str = ""


def _instant(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromtimestamp(float(text), dt.UTC)
    except ValueError:
        parsed = dt.datetime.fromisoformat(text)  # some back-ends log "2024-03-04 09:00:00"
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


class QueueLogParser:
    """Turns queue_log lines into `Built` units, in the order they complete."""

    def __init__(
        self,
        *,
        source_system: str = "asterisk",
        queues: dict[str, str] | None = None,
        default_site: str = "",
        agents: dict[str, str] | None = None,
        outcomes: dict[str, str] | None = None,
    ) -> None:
        self.source_system = source_system
        self.queues = queues or {}
        self.default_site = default_site
        self.agents = agents or {}
        self.outcomes = DEFAULT_OUTCOMES | (outcomes or {})
        self.calls: dict[tuple[str, str], _Call] = {}
        self.overflowed: set[str] = set()
        self.members: dict[str, _Agent] = {}

    def login(self, agent: str) -> str:
        """Advisor login of a queue member: mapped, else the channel without technology
        and context (`SIP/1001`, `Local/1001@agents` → `1001`)."""
        if agent in self.agents:
            return self.agents[agent]
        return agent.split("/", 1)[-1].split("@", 1)[0]

    def parse(self, rows: Iterable[Row]) -> Iterator[Built]:
        for row in rows:
            yield from self._line(row)
        yield from self._finish()

    def _line(self, row: Row) -> Iterator[Built]:
        parts = row.raw.split("|") if len(row.cells) <= 1 else row.cells
        if len(parts) < 5:
            yield Built(
                "",
                [(row.line, row.raw)],
                row.raw,
                error=RowRejected(
                    "", f"{len(parts)} fields, at least 5 expected (time|callid|queue|agent|event)"
                ),
            )
            return
        try:
            when = _instant(parts[0].strip())
        except (ValueError, OverflowError, OSError):
            yield Built(
                "",
                [(row.line, row.raw)],
                row.raw,
                error=RowRejected("time", f"not a Unix time: {parts[0]!r}"),
            )
            return
        callid, queue, agent, event = (part.strip() for part in parts[1:5])
        data = [part.strip() for part in parts[5:]] + [""] * 5
        if event in INFORMATIONAL:
            yield Built("", [(row.line, row.raw)], row.raw)
        elif event in MEMBER_EVENTS:
            yield from self._member(row, when, queue, agent, event)
        elif event == "ENTERQUEUE":
            yield from self._enter(row, when, callid, queue, data)
        elif event in {"CONNECT", "RINGNOANSWER"} | CALL_END_ANSWERED | set(self.outcomes):
            yield from self._call_event(row, when, callid, queue, agent, event)
        else:
            yield Built(
                "",
                [(row.line, row.raw)],
                row.raw,
                error=RowRejected("event", f"unknown queue_log event {event!r}"),
            )

    def _enter(
        self, row: Row, when: dt.datetime, callid: str, queue: str, data: list[str]
    ) -> Iterator[Built]:
        key = (callid, queue)
        if key in self.calls:  # entered the same queue again: the first passage is left unfinished
            yield self._reject_call(
                self.calls.pop(key), "entered the same queue again before leaving it"
            )
        origin = "overflow_in" if callid in self.overflowed else "direct"
        self.calls[key] = _Call(
            callid, queue, when, data[1], [(row.line, row.raw)], row.raw, origin
        )

    def _call_event(
        self, row: Row, when, callid: str, queue: str, agent: str, event: str
    ) -> Iterator[Built]:
        call = self.calls.get((callid, queue))
        if call is None:
            yield Built(
                "calls",
                [(row.line, row.raw)],
                row.raw,
                error=RowRejected(
                    "callid",
                    f"{event} without an ENTERQUEUE earlier in the file (call started before it)",
                ),
            )
            return
        call.lines.append((row.line, row.raw))
        if event == "RINGNOANSWER":
            return
        if event == "CONNECT":
            call.answered, call.agent = when, agent
            yield from self._agent_state(agent, "talking", when)
            return
        del self.calls[(callid, queue)]
        if event in CALL_END_ANSWERED:
            if call.answered is None:
                yield self._reject_call(call, f"{event} without CONNECT")
                return
            yield self._built_call(call, "answered", when, transferred=event in TRANSFERS)
            member = self.members.get(agent or call.agent)
            yield from self._agent_state(
                agent or call.agent, "pause" if member and member.paused else "available", when
            )
            return
        if self.outcomes[event] == "overflowed_out":
            self.overflowed.add(callid)
        yield self._built_call(call, self.outcomes[event], when, transferred=False)

    def _built_call(
        self, call: _Call, outcome: str, ended: dt.datetime, *, transferred: bool
    ) -> Built:
        site = self.queues.get(call.queue, self.default_site)
        if not site:
            return self._reject_call(
                call,
                f"queue {call.queue!r} has no site: add it under [queues] in the mapping",
                field_name="queue",
            )
        row = {
            "source_system": self.source_system,
            "source_id": f"{call.callid}@{call.queue}",  # the queue makes passages unique
            "queue": call.queue,
            "arrived_at": call.entered,
            "queued_at": call.entered,
            "answered_at": call.answered if outcome == "answered" else None,
            "ended_at": ended,
            "outcome": outcome,
            "origin": call.origin,
            "transferred_n1plus": transferred,
            "caller": call.caller,
            "advisor": self.login(call.agent) if call.agent and outcome == "answered" else "",
            "site": site,
        }
        return Built("calls", call.lines, call.raw, row=row)

    def _reject_call(self, call: _Call, reason: str, field_name: str = "callid") -> Built:
        return Built("calls", call.lines, call.raw, error=RowRejected(field_name, reason))

    def _member(self, row: Row, when, queue: str, agent: str, event: str) -> Iterator[Built]:
        member = self.members.setdefault(agent, _Agent())
        if event == "ADDMEMBER":
            member.queues.add(queue)
            if member.state:
                member.lines.append((row.line, row.raw))  # already logged in on another queue
                return
            yield from self._agent_state(
                agent, "pause" if member.paused else "available", when, row
            )
        elif event == "REMOVEMEMBER":
            member.queues.discard(queue)
            member.lines.append((row.line, row.raw))
            if not member.queues:
                yield from self._close(agent, when)
        else:
            member.paused = event in {"PAUSE", "PAUSEALL"}
            target = "pause" if member.paused else "available"
            if member.state == "talking":  # takes effect when the call ends
                member.lines.append((row.line, row.raw))
                return
            yield from self._agent_state(agent, target, when, row)

    def _agent_state(
        self, agent: str, state: str, when: dt.datetime, row: Row | None = None
    ) -> Iterator[Built]:
        member = self.members.setdefault(agent, _Agent())
        if member.state == state and row is not None:
            member.lines.append((row.line, row.raw))
            return
        if member.state != state:
            yield from self._close(agent, when)
            member.state, member.since = state, when
        if row is not None:
            member.lines.append((row.line, row.raw))
            member.raw = member.raw or row.raw

    def _close(self, agent: str, when: dt.datetime) -> Iterator[Built]:
        member = self.members[agent]
        if member.state and member.since is not None:
            row = {
                "source_system": self.source_system,
                "advisor": self.login(agent),
                "state": member.state,
                "started_at": member.since,
                "ended_at": when,
            }
            yield Built("agent-states", member.lines, member.raw, row=row)
        elif member.lines:
            yield Built("", member.lines, member.raw)
        member.state, member.since, member.lines, member.raw = "", None, [], ""

    def _finish(self) -> Iterator[Built]:
        for call in self.calls.values():
            yield self._reject_call(call, "call still in progress at the end of the file")
        self.calls.clear()
        for member in self.members.values():
            if member.lines:
                yield Built(
                    "agent-states",
                    member.lines,
                    member.raw,
                    error=RowRejected(
                        "",
                        "advisor state still open at the end of the file (no later event for this agent)",
                    ),
                )
            member.lines = []
