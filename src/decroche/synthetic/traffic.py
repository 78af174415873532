"""Synthetic contact-centre traffic, one day at a time (SPEC §1, §2, §3).

`generate(start, end, seed=..., scale=...)` yields a `DayTraffic` of numpy arrays per
calendar day: the calls (with the queue simulated against the day's staffing), the
forms answered that day, the advisors' states and the CPAM's visits, e-mails and chats.
Each day draws from its own generator seeded by (seed, day), so a day's calls do not
depend on the range asked for. Plain module, no Django import.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from decroche.core.calendar import PARIS, is_working_day

from . import channels, queueing, roster, shifts, volumes
from . import profiles as p

ORIGINS = ("direct", "transfer_in", "overflow_in")
OUTCOMES = (
    "answered",
    "abandoned",
    "dissuaded_telecom",
    "dissuaded_closure",
    "overflowed_out",
    "taken_back",
)
WIDENINGS = ("", "on_this_group", "on_other_group")
REASONS = tuple(code for code, *_ in p.REASON_MIX)
SITES = tuple(code for code, *_ in p.PHONE_SITES) + (p.CPAM_SITE[0],)
ANSWERED, ABANDONED, TELECOM, CLOSURE, OVERFLOWED, TAKEN_BACK = range(6)
_PHONE_SECONDS_PER_ADVISOR = 7 * 3600 - 2 * p.BREAK_SECONDS


@dataclass
class CallArrays:
    """One row per call presented; times are epoch seconds (UTC), -1 when absent."""

    arrived: np.ndarray
    answered: np.ndarray
    wait: np.ndarray
    talk: np.ndarray
    wrap_up: np.ndarray
    origin: np.ndarray
    outcome: np.ndarray
    widening: np.ndarray
    transferred_n1plus: np.ndarray
    n2_ticket: np.ndarray
    on_closure_calendar: np.ndarray
    during_exceptional_closure: np.ndarray
    technical_incident: np.ndarray
    advisor: np.ndarray
    site: np.ndarray
    reason: np.ndarray
    caller: np.ndarray

    def __len__(self) -> int:
        return len(self.arrived)


@dataclass
class DayTraffic:
    day: dt.date
    calls: CallArrays | None = None
    forms: channels.FormArrays | None = None
    states: channels.StateArrays | None = None
    visits: dict[str, np.ndarray] = field(default_factory=dict)
    emails: dict[str, np.ndarray] = field(default_factory=dict)
    chats: dict[str, np.ndarray] = field(default_factory=dict)
    staffed: int = 0


def opening_epoch(day: dt.date) -> int:
    """Epoch seconds of 08:30 Paris time on `day` (the offset is constant over opening hours)."""
    return int(dt.datetime.combine(day, dt.time(8, 30), tzinfo=PARIS).timestamp())


def _arrival_offsets(count: int, rng: np.random.Generator) -> np.ndarray:
    profile = np.asarray(p.HALF_HOUR_PROFILE) / sum(p.HALF_HOUR_PROFILE)
    per_slot = rng.multinomial(count, profile)
    slot_of_call = np.repeat(np.arange(len(profile)), per_slot)
    return np.sort(slot_of_call * 1800 + rng.integers(0, 1800, count))


def _lognormal(rng: np.random.Generator, mean: float, sigma: float, count: int) -> np.ndarray:
    return rng.lognormal(math.log(mean) - sigma * sigma / 2, sigma, count)


def _staff(
    day: dt.date,
    expected: float,
    forms_needed: int,
    rng: np.random.Generator,
    team: list[roster.RosterAdvisor],
    shortage: np.random.Generator | None = None,
):
    """Phone and forms advisors present: planned from the forecast, minus the day's absences
    (and, on a shortage day, `SHORTAGE_ABSENCE` of the phone advisors, drawn from `shortage`)."""
    pool = [
        index for index, person in enumerate(team) if person.handles_phone and person.works_on(day)
    ]
    order = [pool[i] for i in rng.permutation(len(pool))]
    forms_pool = [index for index in order if team[index].handles_forms][:forms_needed]
    phone_pool = [index for index in order if index not in forms_pool]
    planned = math.ceil(
        expected
        * (p.MEAN_TALK_SECONDS + p.MEAN_WRAP_UP_SECONDS)
        / (_PHONE_SECONDS_PER_ADVISOR * p.PLANNED_OCCUPANCY)
    )
    absence = p.ABSENCE_RATE + (
        p.SHORT_DAY_EXTRA_ABSENCE if rng.random() < p.SHORT_DAY_SHARE else 0.0
    )
    phone = [
        i for i in phone_pool[: max(planned, 1 if expected > 0 else 0)] if rng.random() >= absence
    ]
    forms = [i for i in forms_pool if rng.random() >= p.ABSENCE_RATE]
    if shortage is not None:  # drawn apart, so that the day's calls stay the same
        phone = [i for i in phone if shortage.random() >= p.SHORTAGE_ABSENCE] or phone[:1]
    return phone, forms


def _closed_day_calls(day: dt.date, scale: float, rng: np.random.Generator) -> CallArrays:
    """Calls presented on a weekday public holiday: dissuaded on the closure calendar (SPEC §3)."""
    count = rng.poisson(p.HOLIDAY_SHARE * volumes.normal_day_calls(day, scale))
    arrived = opening_epoch(day) + np.sort(rng.integers(0, p.OPEN_SECONDS, count))
    calls = _empty_calls(arrived, rng)
    calls.outcome[:] = CLOSURE
    calls.during_exceptional_closure[:] = True
    # Almost all reach the closure message; a few hit a routing fault (accessibility < 100%),
    # some of them during a declared technical incident (excluded from the rate).
    calls.on_closure_calendar[:] = rng.random(count) >= p.CLOSURE_MISROUTED_SHARE
    calls.technical_incident[:] = ~calls.on_closure_calendar & (rng.random(count) < 0.5)
    return calls


def _empty_calls(arrived: np.ndarray, rng: np.random.Generator) -> CallArrays:
    count = len(arrived)
    return CallArrays(
        arrived=arrived.astype(np.int64),
        answered=np.full(count, -1, np.int64),
        wait=np.zeros(count, np.int64),
        talk=np.zeros(count, np.int64),
        wrap_up=np.zeros(count, np.int64),
        origin=np.zeros(count, np.int8),
        outcome=np.full(count, ABANDONED, np.int8),
        widening=np.zeros(count, np.int8),
        transferred_n1plus=np.zeros(count, bool),
        n2_ticket=np.zeros(count, bool),
        on_closure_calendar=np.zeros(count, bool),
        during_exceptional_closure=np.zeros(count, bool),
        technical_incident=np.zeros(count, bool),
        advisor=np.full(count, -1, np.int64),
        site=np.full(count, -1, np.int64),
        reason=np.full(count, -1, np.int64),
        caller=rng.integers(600_000_000, 800_000_000, count),
    )


def _working_day_calls(day, expected, rng, advisor_days, team) -> tuple[CallArrays, tuple]:
    """Calls of an open day, their queue and their qualification (SPEC §1, §3), with the
    (advisor row, answer offset, talk, wrap-up) of answered calls for the states."""
    # Surges are unforecast, but the year still adds up to the SPEC §2 total on average.
    surge = (p.SURGE_FACTOR if rng.random() < p.SURGE_DAY_SHARE else 1.0) / (
        1 + p.SURGE_DAY_SHARE * (p.SURGE_FACTOR - 1)
    )
    count = rng.poisson(
        expected * surge * rng.lognormal(-(p.DAILY_NOISE_SIGMA**2) / 2, p.DAILY_NOISE_SIGMA)
    )
    out_of_hours = rng.poisson(expected * p.OUT_OF_HOURS_SHARE)
    offsets = np.concatenate(
        [
            _arrival_offsets(count, rng),
            rng.integers(-1800, 0, out_of_hours // 2),
            rng.integers(p.OPEN_SECONDS, p.OPEN_SECONDS + 3600, out_of_hours - out_of_hours // 2),
        ]
    )
    offsets.sort(kind="stable")
    calls = _empty_calls(opening_epoch(day) + offsets, rng)
    total = len(offsets)
    calls.origin[:] = rng.choice(3, total, p=list(p.ORIGIN_SHARES.values()))
    draw = rng.random(total)
    calls.outcome[draw < p.DISSUADED_TELECOM_SHARE] = TELECOM
    calls.technical_incident[draw < p.DISSUADED_TELECOM_SHARE] = True
    overflow = (draw >= p.DISSUADED_TELECOM_SHARE) & (
        draw < p.DISSUADED_TELECOM_SHARE + p.OVERFLOWED_OUT_SHARE
    )
    calls.outcome[overflow] = OVERFLOWED
    calls.wait[overflow] = rng.integers(30, 180, int(overflow.sum()))
    taken_back = (
        (calls.origin == 1)
        & (rng.random(total) < p.TAKEN_BACK_SHARE_OF_TRANSFERS)
        & (calls.outcome == ABANDONED)
    )
    calls.outcome[taken_back] = TAKEN_BACK
    calls.wait[taken_back] = rng.integers(0, 30, int(taken_back.sum()))
    closed = (offsets < 0) | (offsets >= p.OPEN_SECONDS)
    calls.outcome[closed] = CLOSURE
    calls.wait[closed] = 0
    talk = np.clip(_lognormal(rng, p.MEAN_TALK_SECONDS, p.TALK_SIGMA, total), 20, 3000).astype(
        np.int64
    )
    wrap_up = np.clip(
        _lognormal(rng, p.MEAN_WRAP_UP_SECONDS, p.WRAP_UP_SIGMA, total), 5, 590
    ).astype(np.int64)
    patience = rng.exponential(p.MEAN_PATIENCE_SECONDS, total).astype(np.int64)
    queued = np.flatnonzero(calls.outcome == ABANDONED)
    starts, rows = queueing.simulate(
        offsets[queued],
        patience[queued],
        talk[queued] + wrap_up[queued],
        [day_plan.windows("phone") for day_plan in advisor_days],
    )
    served = starts >= 0
    answered = queued[served]
    abandoned = queued[~served]
    calls.wait[abandoned] = patience[abandoned]
    calls.outcome[answered] = ANSWERED
    calls.wait[answered] = starts[served] - offsets[answered]
    calls.answered[answered] = opening_epoch(day) + starts[served]
    calls.talk[answered] = talk[answered]
    calls.wrap_up[answered] = wrap_up[answered]
    advisor_rows = rows[served]
    calls.advisor[answered] = [advisor_days[row].advisor for row in advisor_rows.tolist()]
    site_of = {code: index for index, code in enumerate(SITES)}
    calls.site[answered] = [site_of[team[a].site_code] for a in calls.advisor[answered].tolist()]
    others = np.flatnonzero(calls.outcome != ANSWERED)
    calls.site[others] = rng.integers(
        0, len(p.PHONE_SITES), len(others)
    )  # routing share of the queue
    _qualify(calls, answered, rng)
    _call_backs(calls, rng)
    return calls, (advisor_rows, starts[served], talk[answered], wrap_up[answered])


def _qualify(calls: CallArrays, answered: np.ndarray, rng: np.random.Generator) -> None:
    """Reason, N1+ transfer, N2 ticket and widening of answered calls (SPEC §1, §3)."""
    shares = np.array([share for _, share, _, _ in p.REASON_MIX]) / 100
    reason = rng.choice(len(shares), len(answered), p=shares / shares.sum())
    transfer_p = np.array([value for _, _, value, _ in p.REASON_MIX])[reason]
    ticket_p = np.array([value for _, _, _, value in p.REASON_MIX])[reason]
    calls.transferred_n1plus[answered] = rng.random(len(answered)) < transfer_p
    calls.n2_ticket[answered] = rng.random(len(answered)) < ticket_p
    reason[rng.random(len(answered)) < p.UNQUALIFIED_SHARE] = -1
    calls.reason[answered] = reason
    draw = rng.random(len(answered))
    calls.widening[answered[draw < p.WIDENING_ON_THIS_GROUP_SHARE]] = 1
    other = (draw >= p.WIDENING_ON_THIS_GROUP_SHARE) & (
        draw < p.WIDENING_ON_THIS_GROUP_SHARE + p.WIDENING_ON_OTHER_GROUP_SHARE
    )
    calls.widening[answered[other]] = 2


def _call_backs(calls: CallArrays, rng: np.random.Generator) -> None:
    """Some callers call again the same day, more often after hanging up."""
    count = len(calls)
    if count < 2:
        return
    share = np.where(calls.outcome == ANSWERED, p.CALL_BACK_SHARE, 3 * p.CALL_BACK_SHARE)
    again = np.flatnonzero(rng.random(count) < share)
    again = again[again > 0]
    earlier = (rng.random(len(again)) * again).astype(np.int64)
    calls.caller[again] = calls.caller[earlier]
    # Calling back about the same thing: the same reason when both calls were answered.
    same = (calls.outcome[again] == ANSWERED) & (calls.outcome[earlier] == ANSWERED)
    calls.reason[again[same]] = calls.reason[earlier[same]]


class RecentCallers:
    """Callers of the last working days, some of whom call again about the same reason
    (first-contact resolution, SPEC §4). Drawn from a generator of their own so that the
    rest of a day does not depend on the range generated."""

    def __init__(self, days: int = p.REPEAT_WINDOW_DAYS) -> None:
        self.days = days
        self.pool: list[tuple[np.ndarray, np.ndarray]] = []

    def call_again(self, calls: CallArrays, rng: np.random.Generator) -> None:
        if self.pool:
            callers = np.concatenate([c for c, _ in self.pool])
            reasons = np.concatenate([r for _, r in self.pool])
            again = np.flatnonzero(rng.random(len(calls)) < p.REPEAT_NEXT_DAYS_SHARE)
            picked = rng.integers(0, len(callers), len(again))
            calls.caller[again] = callers[picked]
            answered = calls.outcome[again] == ANSWERED
            calls.reason[again[answered]] = reasons[picked[answered]]
        answered = calls.outcome == ANSWERED
        self.pool = [*self.pool, (calls.caller[answered], calls.reason[answered])][-self.days :]


def generate(
    start: dt.date,
    end: dt.date,
    *,
    seed: int = 1,
    scale: float = 1.0,
    shortage: tuple[dt.date, dt.date] | None = None,
) -> Iterator[DayTraffic]:
    """Traffic of every day from `start` to `end` included (forms still pending at the
    end are yielded with the last day, unanswered). The days of `shortage` (first, last)
    lose `SHORTAGE_ABSENCE` of their phone advisors, unplanned."""
    team = roster.advisors()
    backlog = channels.FormBacklog()
    recent = RecentCallers()
    day = start
    while day <= end:
        rng = np.random.default_rng([seed, day.toordinal(), round(scale * 1_000_000)])
        traffic = DayTraffic(day)
        backlog.receive(day, opening_epoch(day), volumes.expected_forms(day, scale), rng)
        if is_working_day(day):
            expected = volumes.expected_calls(day, scale)
            waiting = backlog.waiting_before(opening_epoch(day))
            forms_needed = (
                round(waiting / p.FORMS_PER_ADVISOR_DAY)
                if waiting >= p.FORMS_PER_ADVISOR_DAY / 2
                else (1 if waiting else 0)
            )
            short = (
                np.random.default_rng([seed, day.toordinal(), round(scale * 1_000_000), 2])
                if shortage is not None and shortage[0] <= day <= shortage[1]
                else None
            )
            phone, forms = _staff(day, expected, forms_needed, rng, team, short)
            advisor_days = [shifts.plan_day(a, on_forms=False, rng=rng) for a in phone]
            forms_days = [shifts.plan_day(a, on_forms=True, rng=rng) for a in forms]
            calls, (rows, answer_offset, talk, wrap_up) = _working_day_calls(
                day, expected, rng, advisor_days, team
            )
            recent.call_again(
                calls, np.random.default_rng([seed, day.toordinal(), round(scale * 1_000_000), 1])
            )
            traffic.calls = calls
            traffic.forms = backlog.handle(forms_days, opening_epoch(day), team, rng)
            traffic.states = channels.StateArrays.from_spans(
                opening_epoch(day),
                shifts.state_spans(advisor_days + forms_days, rows, answer_offset, talk, wrap_up),
            )
            traffic.staffed = len(phone) + len(forms)
            channels.cpam_contacts(traffic, opening_epoch(day), scale, rng, team)
        elif day.weekday() < 5:
            traffic.calls = _closed_day_calls(day, scale, rng)
        if day == end:
            traffic.forms = channels.concat_forms(traffic.forms, backlog.flush())
        yield traffic
        day += dt.timedelta(days=1)
