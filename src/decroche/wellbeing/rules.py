"""Pure rules of the follow-up and the support after an event (issue 14 §2–3; SPEC §8).

No Django import: deadlines on French working days (`decroche.core.calendar`), the
check-in schedule from the event's date, and when observable signs call for a referral.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from decroche.core.calendar import add_working_days, is_working_day

# Follow-up items and their delay in working days after the event (0: the day itself).
# The work-accident declaration is due within 48 hours: two working days.
FOLLOW_UP_DELAYS: dict[str, int] = {
    "manager_informed": 0,
    "work_accident": 2,
    "complaint": 5,
    "warning_letter": 5,
    "support_offered": 1,
    "physician_informed": 2,
    "representatives_informed": 5,
    "cause_analysis": 20,
    "feedback": 10,
    "closure": 30,
}
# Opened at once (due the same day) when a user expresses suicidal intent.
SUICIDE_PROCEDURE: tuple[str, ...] = (
    "suicide_keep_talking",
    "suicide_emergency",
    "suicide_manager",
    "suicide_location",
    "suicide_agent_support",
)
# Items only owed for some events: a declaration when someone was hurt or is on leave,
# the physician for serious events.
CONDITIONAL = {"work_accident", "physician_informed"}

# Check-ins: (kind, first day after the event, last day), calendar days (issue 14 §3).
CHECK_IN_WINDOWS: tuple[tuple[str, int, int], ...] = (
    ("day_0", 0, 0),
    ("days_1_3", 1, 3),
    ("day_7", 7, 7),
    ("day_30", 30, 30),
)
SIGN_CHECK_INS = {"day_7", "day_30"}
REFERRAL_SIGN_COUNT = 2  # two observable signs or more: propose a referral


def working_day_on_or_after(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def follow_up_due_dates(
    event_day: dt.date, *, types: set[str], severity: int, consequences: set[str]
) -> dict[str, dt.date]:
    """Each follow-up item owed for this event, with its due date on working days.

    The delay counts working days from the event's day; an event on a Saturday counts
    from the next working day (the manager is informed on that day)."""
    start = working_day_on_or_after(event_day)
    hurt = bool(consequences & {"injury", "sick_leave"}) or "physical" in types
    due: dict[str, dt.date] = {}
    for kind, delay in FOLLOW_UP_DELAYS.items():
        if kind == "work_accident" and not hurt:
            continue
        if kind == "physician_informed" and not (hurt or severity >= 3):
            continue
        due[kind] = add_working_days(start, delay)
    if "suicidal_intent" in types:
        for kind in SUICIDE_PROCEDURE:
            due[kind] = event_day
    return due


@dataclass(frozen=True)
class CheckInSlot:
    kind: str
    opens_on: dt.date
    due_on: dt.date


def check_in_schedule(event_day: dt.date) -> list[CheckInSlot]:
    """The manager's check-ins after the event, in calendar days from its date."""
    return [
        CheckInSlot(kind, event_day + dt.timedelta(days=first), event_day + dt.timedelta(days=last))
        for kind, first, last in CHECK_IN_WINDOWS
    ]


def needs_referral(signs: set[str]) -> bool:
    """A red flag, or several observable signs: propose occupational health, the support
    unit or a psychologist, with the agent's consent. A trigger, not a diagnosis."""
    return "red_flag" in signs or len(signs - {"red_flag"}) >= REFERRAL_SIGN_COUNT


def is_overdue(due_on: dt.date, done_on: dt.date | None, today: dt.date) -> bool:
    return done_on is None and due_on < today


SMALL_CELL = 5


def suppress(count: int) -> int | None:
    """Counts under 5 are hidden (None) in statistics: small cells could name someone."""
    return count if count >= SMALL_CELL else None


def per_ten_thousand(events: int, contacts: int) -> float | None:
    if not contacts:
        return None
    return round(events * 10_000 / contacts, 2)


# --- managerial rituals (issue 14 §3; SPEC §8) ---


def _nth_weekday(month_first: dt.date, weekday: int, nth: int) -> dt.date:
    first = month_first + dt.timedelta(days=(weekday - month_first.weekday()) % 7)
    return first + dt.timedelta(weeks=nth - 1)


def ritual_dates(
    *, frequency: str, weekday: int, week_of_month: int | None, after: dt.date, count: int = 3
) -> list[dt.date]:
    """The next `count` dates of a ritual on or after `after`: every week on `weekday`, or
    every month on its `week_of_month`-th `weekday` (1–4). A date that falls on a public
    holiday is skipped, not moved: the team meets at the next occurrence."""

    def candidates() -> Iterator[dt.date]:
        if frequency == "weekly":
            day = after + dt.timedelta(days=(weekday - after.weekday()) % 7)
            while True:
                yield day
                day += dt.timedelta(weeks=1)
        month = after.replace(day=1)
        while True:
            yield _nth_weekday(month, weekday, week_of_month or 1)
            month = (month + dt.timedelta(days=32)).replace(day=1)

    dates: list[dt.date] = []
    for day in candidates():
        if day >= after and is_working_day(day):
            dates.append(day)
            if len(dates) == count:
                return dates
    return dates  # pragma: no cover - the generators never end


# --- signs of load: long stretches on difficult queues (issue 14 §6) ---

# A call is difficult when its reason carried an incident report over the last 90 days,
# or when it lasted 15 minutes or more; a long stretch is 5 such answered calls in a row
# for one agent on one day (docs/incidents.md, "Signs of load").
DIFFICULT_REASON_DAYS = 90
LONG_TALK_SECONDS = 15 * 60
STRETCH_CALLS = 5


def is_difficult_call(reason_id: int | None, talk_seconds: int, difficult: set[int]) -> bool:
    return (reason_id is not None and reason_id in difficult) or talk_seconds >= LONG_TALK_SECONDS


def long_stretches(
    calls: Iterable[tuple[int, dt.date, bool]], *, length: int = STRETCH_CALLS
) -> Counter:
    """Count the long stretches per agent: runs of `length` difficult calls or more in a
    row, one agent's answered calls of one day in answer order. `calls` is (agent, day,
    difficult) sorted by agent, day and answer time; a run of 12 counts once."""
    stretches: Counter = Counter()
    key, run = None, 0
    for agent, day, difficult in calls:
        if (agent, day) != key:
            key, run = (agent, day), 0
        run = run + 1 if difficult else 0
        if run == length:
            stretches[agent] += 1
    return stretches
