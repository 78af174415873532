"""Staffing for contact forms: a daily backlog, not a queue of callers (issue 5).

Pure module. A form waits in a backlog; it is answered first-in-first-out by advisors who
each handle ``forms_per_advisor`` forms per full day (90 in 2024, SPEC §1 and §3). A form
received on working day d must be answered by the end of working day d + ``deadline_days``
(0 = the same day). Unanswered forms carry over to the next day.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

FORMS_PER_ADVISOR_PER_DAY = 90  # SPEC §1 (2024 figure) and §3 (target 90, penalty below 70)


@dataclass(frozen=True)
class FormsDay:
    """One working day of the plan."""

    received: int
    advisors: int
    handled: int
    backlog: int  # forms left at the end of the day
    overdue: int  # forms past their deadline at the end of the day (0 in a feasible plan)


def _handle(backlog: deque, capacity: int) -> int:
    """Answer up to ``capacity`` forms, oldest first; ``backlog`` holds [due_day, count]."""
    handled = 0
    while backlog and handled < capacity:
        take = min(backlog[0][1], capacity - handled)
        backlog[0][1] -= take
        handled += take
        if backlog[0][1] == 0:
            backlog.popleft()
    return handled


def forms_plan(
    daily_volumes: list[int],
    *,
    deadline_days: int = 1,
    forms_per_advisor: int = FORMS_PER_ADVISOR_PER_DAY,
    initial_backlog: int = 0,
    advisors: list[int] | None = None,
) -> list[FormsDay]:
    """Day-by-day plan: fewest advisors each day so no form misses its deadline.

    Each day gets just enough advisors for the forms due that day (backlog included), and
    they work a full day: spare capacity answers later forms early. With ``advisors`` given,
    the plan is evaluated instead (the backlog and overdue forms it leads to).
    The initial backlog is due on the first day.
    """
    if deadline_days < 0 or forms_per_advisor <= 0:
        raise ValueError("deadline_days must be >= 0 and forms_per_advisor > 0")
    backlog: deque = deque([[0, initial_backlog]] if initial_backlog else [])
    days = []
    for day, received in enumerate(daily_volumes):
        if received:
            backlog.append([day + deadline_days, received])
        due_today = sum(count for due, count in backlog if due <= day)
        staff = advisors[day] if advisors is not None else math.ceil(due_today / forms_per_advisor)
        handled = _handle(backlog, staff * forms_per_advisor)
        overdue = sum(count for due, count in backlog if due <= day)
        days.append(FormsDay(received, staff, handled, sum(c for _, c in backlog), overdue))
    return days


def level_forms_advisors(
    daily_volumes: list[int],
    *,
    deadline_days: int = 1,
    forms_per_advisor: int = FORMS_PER_ADVISOR_PER_DAY,
    initial_backlog: int = 0,
) -> int:
    """Fewest advisors, the same every day, so no form misses its deadline.

    With c forms a day answered first-in-first-out, the forms answered by the end of day d
    are at least min over s ≤ d of (arrived before s) + (d − s + 1)·c, so the deadline holds
    when c ≥ (due by d − arrived before s) / (d − s + 1) for every s ≤ d.
    """
    arrived = [initial_backlog]
    for volume in daily_volumes:
        arrived.append(arrived[-1] + volume)
    capacity = 0.0
    for day in range(len(daily_volumes)):
        received_until = day - deadline_days  # forms of days ≤ this one are due today
        due = arrived[received_until + 1] if received_until >= 0 else initial_backlog
        for start in range(day + 1):
            before = arrived[start] if start > 0 else 0
            capacity = max(capacity, (due - before) / (day - start + 1))
    return math.ceil(round(capacity / forms_per_advisor, 9))
