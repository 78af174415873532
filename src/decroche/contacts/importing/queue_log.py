"""Asterisk and Wazo `queue_log` → calls and advisor states (docs/formats.md, "queue_log").

Each line is `time|callid|queue|agent|EVENT|data1|data2|...`. Calls are rebuilt from
their events (ENTERQUEUE ... CONNECT ... COMPLETECALLER), or from the single line Wazo
writes for a call the queue refused (CLOSED, FULL, JOINEMPTY, DIVERT_*). Advisor states
are rebuilt inside the agent's session, from its login (AGENTLOGIN, AGENTCALLBACKLOGIN,
ADDMEMBER) to its log-off or its removal from its last queue (AGENTLOGOFF,
AGENTCALLBACKLOGOFF, REMOVEMEMBER): pauses, calls taken and wrap-ups (WRAPUPSTART) switch
the state; no state outlives the session. A state still open at the end of the file is
handed over (`OpenState`) to be kept until a later file closes it.

Every line ends up in exactly one `Built` unit, so that the import can account for
every line: stored, duplicate or rejected. Pure module.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from decroche.core.tabular.errors import RowRejected
from decroche.core.tabular.source import Row

from .queue_log_events import (
    BUSY,
    CALL_END_ANSWERED,
    DEFAULT_OUTCOMES,
    INFORMATIONAL,
    LOGINS,
    LOGOFFS,
    MEMBER_EVENTS,
    RING_ATTEMPTS,
    SINGLE_LINE_OUTCOMES,
    TRANSFERS,
)

_ONE_SECOND = dt.timedelta(seconds=1)


@dataclass
class Built:
    """A record rebuilt from some lines, or the rejection of those lines.

    `kind` is "calls" or "agent-states" (a record), "open-state" (an advisor state still
    open at the end of the file, `row` as `OpenState` fields; `state` empty when a carried
    state was closed and nothing stays open) or "" (lines read, nothing to store)."""

    kind: str
    lines: list[tuple[int, str]]  # (line number, raw line) of every line it accounts for
    raw: str
    row: dict | None = None
    error: RowRejected | None = None


@dataclass(frozen=True)
class OpenState:
    """An agent's session and state at the end of an imported file (`as_of`, its last
    instant), carried into the next file of the same source."""

    agent: str
    state: str
    started_at: dt.datetime
    as_of: dt.datetime
    queues: tuple[str, ...] = ()
    logged_in: bool = False
    paused: bool = False


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
    queued: bool = True
    outcome: str = ""
    ended: dt.datetime | None = None
    transferred: bool = False
    wrap_up_seconds: int = 0


@dataclass
class _Agent:
    queues: set[str] = field(default_factory=set)
    logged_in: bool = False
    paused: bool = False
    state: str = ""
    since: dt.datetime | None = None
    wrap_until: dt.datetime | None = None  # end of the wrap-up in progress
    done_call: _Call | None = None  # answered call just ended: its wrap-up may follow
    adopted: bool = False  # the session came from an earlier file (`OpenState`)
    lines: list[tuple[int, str]] = field(default_factory=list)
    raw: str = ""

    @property
    def in_session(self) -> bool:
        return self.logged_in or bool(self.queues)

    def after_work(self) -> str:
        """The state once a call or a wrap-up is over: none outside a session."""
        if not self.in_session:
            return ""
        return "pause" if self.paused else "available"


def _instant(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromtimestamp(float(text), dt.UTC)
    except ValueError:
        parsed = dt.datetime.fromisoformat(text)  # Wazo logs "2012-07-04 07:33:21.165823"
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


class QueueLogParser:
    """Turns queue_log lines into `Built` units, in the order they complete.

    `carried` holds the states an earlier file left open, by agent: one applies when the
    agent's first event here is not earlier than the end of that file (re-importing an
    earlier file leaves them alone). `ignored` counts the lines read and not stored
    (ring attempts, penalties), by event.
    """

    def __init__(
        self,
        *,
        source_system: str = "asterisk",
        queues: dict[str, str] | None = None,
        default_site: str = "",
        agents: dict[str, str] | None = None,
        outcomes: dict[str, str] | None = None,
        carried: dict[str, OpenState] | None = None,
    ) -> None:
        self.source_system = source_system
        self.queues = queues or {}
        self.default_site = default_site
        self.agents = agents or {}
        self.outcomes = DEFAULT_OUTCOMES | SINGLE_LINE_OUTCOMES | (outcomes or {})
        self.carried = carried or {}
        self.calls: dict[tuple[str, str], _Call] = {}
        self.overflowed: set[str] = set()
        self.members: dict[str, _Agent] = {}
        self.ignored: Counter[str] = Counter()
        self.last_instant: dt.datetime | None = None

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
            yield _nothing(
                row,
                RowRejected(
                    "", f"{len(parts)} fields, at least 5 expected (time|callid|queue|agent|event)"
                ),
            )
            return
        try:
            when = _instant(parts[0].strip())
        except (ValueError, OverflowError, OSError):
            yield _nothing(row, RowRejected("time", f"not a Unix time: {parts[0]!r}"))
            return
        if self.last_instant is None or when > self.last_instant:
            self.last_instant = when
        callid, queue, agent, event = (part.strip() for part in parts[1:5])
        data = [part.strip() for part in parts[5:]] + [""] * 5
        if event in INFORMATIONAL:
            self.ignored[event] += 1
            yield _nothing(row)
        elif event in MEMBER_EVENTS:
            yield from self._member(row, when, queue, agent, event)
        elif event == "WRAPUPSTART":
            yield from self._wrap_up(row, when, agent, data[0])
        elif event == "ENTERQUEUE":
            yield from self._enter(row, when, callid, queue, data)
        elif event in RING_ATTEMPTS:
            self.ignored[event] += 1
            call = self.calls.get((callid, queue))
            if call is not None:
                call.lines.append((row.line, row.raw))
            else:
                yield _nothing(row)
        elif event in {"CONNECT"} | CALL_END_ANSWERED | set(self.outcomes):
            yield from self._call_event(row, when, callid, queue, agent, event)
        else:
            yield _nothing(row, RowRejected("event", f"unknown queue_log event {event!r}"))

    # --- calls ------------------------------------------------------------------------

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
        self, row: Row, when: dt.datetime, callid: str, queue: str, agent: str, event: str
    ) -> Iterator[Built]:
        call = self.calls.get((callid, queue))
        if call is None and event in SINGLE_LINE_OUTCOMES:
            # Refused as it arrived: a call that never waited in the queue.
            origin = "overflow_in" if callid in self.overflowed else "direct"
            call = _Call(callid, queue, when, "", [], row.raw, origin, queued=False)
            self.calls[(callid, queue)] = call
        if call is None:
            if event in CALL_END_ANSWERED and agent:
                # Its call began in an earlier file; the agent's talk still ends here.
                yield from self._agent_event(agent, when)
                if self.members[agent].state == "talking":
                    yield from self._end_work(agent, when)
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
        if event == "CONNECT":
            call.answered, call.agent = when, agent
            yield from self._agent_event(agent, when)
            yield from self._switch(agent, "talking", when)
            return
        del self.calls[(callid, queue)]
        call.ended = when
        if event in CALL_END_ANSWERED:
            if call.answered is None:
                yield self._reject_call(call, f"{event} without CONNECT")
                return
            call.outcome, call.transferred = "answered", event in TRANSFERS
            worker = agent or call.agent
            yield from self._agent_event(worker, when)
            # Built once its wrap-up is known: the agent's next event says whether one follows.
            self.members[worker].done_call = call
            yield from self._end_work(worker, when)
            return
        call.outcome = self.outcomes[event]
        if call.outcome == "overflowed_out":
            self.overflowed.add(callid)
        yield self._built_call(call)

    def _built_call(self, call: _Call) -> Built:
        site = self.queues.get(call.queue, self.default_site)
        if not site:
            return self._reject_call(
                call,
                f"queue {call.queue!r} has no site: add it under [queues] in the mapping",
                field_name="queue",
            )
        answered = call.outcome == "answered"
        row = {
            "source_system": self.source_system,
            "source_id": f"{call.callid}@{call.queue}",  # the queue makes passages unique
            "queue": call.queue,
            "arrived_at": call.entered,
            "queued_at": call.entered if call.queued else None,
            "answered_at": call.answered if answered else None,
            "ended_at": call.ended,
            "wrap_up_seconds": str(call.wrap_up_seconds),
            "outcome": call.outcome,
            "origin": call.origin,
            "transferred_n1plus": call.transferred,
            "caller": call.caller,
            "advisor": self.login(call.agent) if call.agent and answered else "",
            "site": site,
        }
        return Built("calls", call.lines, call.raw, row=row)

    def _reject_call(self, call: _Call, reason: str, field_name: str = "callid") -> Built:
        return Built("calls", call.lines, call.raw, error=RowRejected(field_name, reason))

    # --- advisor states -----------------------------------------------------------------

    def _member_of(self, agent: str, when: dt.datetime) -> _Agent:
        """The agent's session; on its first event, the one an earlier file left open."""
        member = self.members.get(agent)
        if member is None:
            member = self.members[agent] = _Agent()
            carried = self.carried.get(agent)
            if carried is not None and carried.as_of <= when:
                member.queues, member.logged_in = set(carried.queues), carried.logged_in
                member.paused, member.adopted = carried.paused, True
                member.state, member.since = carried.state, carried.started_at
        return member

    def _agent_event(
        self, agent: str, when: dt.datetime, *, wrap_up: bool = False
    ) -> Iterator[Built]:
        """What happened before this event of the agent: a wrap-up that ended, a call whose
        wrap-up did not come (an event other than WRAPUPSTART)."""
        member = self._member_of(agent, when)
        if member.done_call is not None and not wrap_up:
            call, member.done_call = member.done_call, None
            yield self._built_call(call)
        if member.state == "wrap_up" and member.wrap_until is not None:
            if member.wrap_until <= when:
                yield from self._end_work(agent, member.wrap_until)

    def _end_work(self, agent: str, when: dt.datetime) -> Iterator[Built]:
        """A call or a wrap-up ends: back to pause or available, or nothing outside a session."""
        member = self.members[agent]
        member.wrap_until = None
        following = member.after_work()
        if following:
            yield from self._switch(agent, following, when)
        else:
            yield from self._close(agent, when)

    def _wrap_up(self, row: Row, when: dt.datetime, agent: str, seconds: str) -> Iterator[Built]:
        if not seconds.isdigit():
            yield _nothing(
                row, RowRejected("data1", f"WRAPUPSTART needs its wrap-up seconds, not {seconds!r}")
            )
            return
        yield from self._agent_event(agent, when, wrap_up=True)
        member = self.members[agent]
        line: Row | None = row
        if member.done_call is not None:  # the after-call work of the call just ended
            call, member.done_call = member.done_call, None
            call.wrap_up_seconds = int(seconds)
            call.lines.append((row.line, row.raw))
            line = None
            yield self._built_call(call)
        yield from self._switch(agent, "wrap_up", when, line)
        member.wrap_until = when + dt.timedelta(seconds=int(seconds))

    def _member(
        self, row: Row, when: dt.datetime, queue: str, agent: str, event: str
    ) -> Iterator[Built]:
        yield from self._agent_event(agent, when)
        member = self.members[agent]
        if event in LOGINS or event == "ADDMEMBER":
            starts = not member.in_session
            if event in LOGINS:
                member.logged_in = True
            else:
                member.queues.add(queue)
            if starts:
                member.paused = False
            if member.state:  # already in a session (another queue), or busy on a call
                self._keep_line(member, row)
                return
            yield from self._switch(agent, "available", when, row)
        elif event in LOGOFFS or event == "REMOVEMEMBER":
            if event in LOGOFFS:
                member.logged_in = False
                member.queues.clear()
            else:
                member.queues.discard(queue)
            if member.in_session:
                self._keep_line(member, row)
                return
            # The session ends: no state outlives it, and the next one starts afresh.
            member.paused, member.wrap_until = False, None
            if member.state:
                self._keep_line(member, row)
                yield from self._close(agent, when)
            else:
                yield _nothing(row)
        else:
            member.paused = event in {"PAUSE", "PAUSEALL"}
            if member.state in BUSY:  # takes effect when the work in hand ends
                self._keep_line(member, row)
            elif not member.in_session:  # after a log-off (Wazo unpauses then): no state
                yield _nothing(row)
            else:
                yield from self._switch(agent, "pause" if member.paused else "available", when, row)

    def _keep_line(self, member: _Agent, row: Row) -> None:
        member.lines.append((row.line, row.raw))
        member.raw = member.raw or row.raw

    def _switch(
        self, agent: str, state: str, when: dt.datetime, row: Row | None = None
    ) -> Iterator[Built]:
        member = self.members[agent]
        if member.state != state:
            yield from self._close(agent, when)
            member.state, member.since = state, when
        if row is not None:
            self._keep_line(member, row)

    def _close(self, agent: str, when: dt.datetime) -> Iterator[Built]:
        member = self.members[agent]
        if member.state and member.since is not None and when - member.since >= _ONE_SECOND:
            row = {
                "source_system": self.source_system,
                "advisor": self.login(agent),
                "state": member.state,
                "started_at": member.since,
                "ended_at": when,
            }
            yield Built("agent-states", member.lines, member.raw, row=row)
        elif member.lines:  # a state under a second: its lines are read, nothing stored
            yield Built("", member.lines, member.raw)
        member.state, member.since, member.lines, member.raw = "", None, [], ""

    def _finish(self) -> Iterator[Built]:
        for agent, member in self.members.items():
            if member.state == "wrap_up" and member.wrap_until is not None:
                yield from self._end_work(agent, member.wrap_until)
            if member.done_call is not None:
                call, member.done_call = member.done_call, None
                yield self._built_call(call)
        for call in self.calls.values():
            yield self._reject_call(call, "call still in progress at the end of the file")
        self.calls.clear()
        for agent, member in self.members.items():
            if not member.state and not member.adopted:
                continue
            row = {
                "source_system": self.source_system,
                "agent": agent,
                "advisor": self.login(agent),
                "state": member.state,
                "started_at": member.since,
                "as_of": self.last_instant,
                "queues": sorted(member.queues),
                "logged_in": member.logged_in,
                "paused": member.paused,
                "adopted": member.adopted,
            }
            yield Built("open-state", member.lines, member.raw, row=row)
            member.lines = []


def _nothing(row: Row, error: RowRejected | None = None) -> Built:
    """One line read with nothing to store, or rejected on its own."""
    return Built("", [(row.line, row.raw)], row.raw, error=error)
