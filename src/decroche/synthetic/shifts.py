"""Advisors' working days and their states (SPEC §3 availability rate, §5 productive hours).

Times are seconds from 08:30 Paris time of the day. Each present advisor works one shift
pattern: 7 h logged in around a 1 h lunch (logged out), two 10-minute breaks, sometimes
a training half-day or a 30-minute team meeting. States are written as aggregated spans
per advisor and per hour slot from 08:30 (documented in docs/synthetic-data.md): inside
one slot the spans follow each other in a fixed order, so they never overlap, and their
totals match the calls the advisor handled in that slot. Plain module, no Django import.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import profiles as p

STATES = ("available", "talking", "wrap_up", "pause", "training", "internal", "forms")
_PHONE = "phone"
SLOT_SECONDS = 3600
SLOTS = 10  # 08:30-17:30 plus one slot for calls running past closing time


@dataclass
class AdvisorDay:
    """One present advisor's day: logged-in segments (start, end, kind), kind in STATES or "phone"."""

    advisor: int
    segments: list[tuple[int, int, str]] = field(default_factory=list)

    def windows(self, kind: str) -> list[tuple[int, int]]:
        return [(start, end) for start, end, what in self.segments if what == kind]


def plan_day(advisor: int, *, on_forms: bool, rng: np.random.Generator) -> AdvisorDay:
    """Draw the shift, lunch, breaks, training and meeting of one advisor for one day."""
    start, end = p.SHIFT_PATTERNS[int(rng.choice(len(p.SHIFT_PATTERNS), p=p.SHIFT_PATTERN_SHARES))]
    lunch = int(rng.choice(p.LUNCH_STARTS))
    lunch_end = lunch + p.LUNCH_SECONDS
    work = "forms" if on_forms else _PHONE
    blocks: list[tuple[int, int, str]] = []
    if not on_forms and rng.random() < p.TRAINING_HALF_DAY_SHARE:
        blocks.append((start, lunch, "training"))
    else:
        first_break = start + 7200 + int(rng.integers(-1800, 1800))
        blocks.append((first_break, first_break + p.BREAK_SECONDS, "pause"))
    afternoon = lunch_end
    if rng.random() < p.INTERNAL_MEETING_SHARE:
        blocks.append((lunch_end, lunch_end + 1800, "internal"))
        afternoon += 1800
    second_break = min(
        afternoon + 7200 + int(rng.integers(-1800, 1800)), end - p.BREAK_SECONDS - 600
    )
    if second_break > afternoon:
        blocks.append((second_break, second_break + p.BREAK_SECONDS, "pause"))
    segments: list[tuple[int, int, str]] = []
    for low, high in ((start, lunch), (lunch_end, end)):
        cursor = low
        for block_start, block_end, kind in sorted(b for b in blocks if low <= b[0] < high):
            if block_start > cursor:
                segments.append((cursor, block_start, work))
            segments.append((block_start, min(block_end, high), kind))
            cursor = min(block_end, high)
        if cursor < high:
            segments.append((cursor, high, work))
    return AdvisorDay(advisor, segments)


def _split_by_slot(
    starts: np.ndarray, lengths: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Spans shorter than a slot cut at slot boundaries: (slot, seconds) for both parts."""
    first_slot = starts // SLOT_SECONDS
    first_part = np.minimum(starts + lengths, (first_slot + 1) * SLOT_SECONDS) - starts
    return first_slot, first_part, lengths - first_part


def _busy_by_slot(
    rows: np.ndarray, starts: np.ndarray, lengths: np.ndarray, n_rows: int
) -> np.ndarray:
    slot, first, rest = _split_by_slot(starts, lengths)
    slot = np.clip(slot, 0, SLOTS - 1)
    busy = np.bincount(rows * SLOTS + slot, weights=first, minlength=n_rows * SLOTS)
    busy += np.bincount(
        rows * SLOTS + np.clip(slot + 1, 0, SLOTS - 1), weights=rest, minlength=n_rows * SLOTS
    )
    return busy.reshape(n_rows, SLOTS)


def state_spans(
    days: list[AdvisorDay],
    call_advisor: np.ndarray,
    answer_offset: np.ndarray,
    talk: np.ndarray,
    wrap_up: np.ndarray,
) -> tuple[list[int], list[int], list[int], list[int]]:
    """(advisor, state index, start offset, duration) of every span of the day.

    `call_advisor` holds row numbers into `days` for the answered calls."""
    n_rows = len(days)
    talking = _busy_by_slot(call_advisor, answer_offset, talk, n_rows)
    wrapping = _busy_by_slot(call_advisor, answer_offset + talk, wrap_up, n_rows)
    out_advisor: list[int] = []
    out_state: list[int] = []
    out_start: list[int] = []
    out_length: list[int] = []
    for row, day in enumerate(days):
        planned = np.zeros((SLOTS, len(STATES) + 1))  # last column: phone time
        for start, end, kind in day.segments:
            column = len(STATES) if kind == _PHONE else STATES.index(kind)
            cursor = start
            while cursor < end:
                slot = cursor // SLOT_SECONDS
                stop = min(end, (slot + 1) * SLOT_SECONDS)
                planned[slot, column] += stop - cursor
                cursor = stop
        for slot in range(SLOTS):
            amounts = planned[slot, : len(STATES)].copy()
            amounts[1] = round(talking[row, slot])
            amounts[2] = round(wrapping[row, slot])
            available = planned[slot, len(STATES)] - amounts[1] - amounts[2]
            # A call running into a break or past the shift eats the time that followed it.
            for column in (3, 5, 4):
                if available >= 0:
                    break
                taken = min(amounts[column], -available)
                amounts[column] -= taken
                available += taken
            amounts[0] = max(available, 0)
            cursor = slot * SLOT_SECONDS
            for state, seconds in enumerate(amounts):
                if seconds > 0:
                    out_advisor.append(day.advisor)
                    out_state.append(state)
                    out_start.append(cursor)
                    out_length.append(int(seconds))
                    cursor += int(seconds)
    return out_advisor, out_state, out_start, out_length
