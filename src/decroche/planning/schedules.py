"""Schedules: one shift or a day off per advisor and working day (SPEC §6). Pure module.

The optimiser chooses shifts inside the opening hours (SPEC §1: 08:30–17:30, eighteen
half-hours) that cover, half-hour by half-hour, the advisors needed on the phones and, day by
day, the hours of contact forms, at the fewest paid hours. The flexibility the Cnam looks at
(SPEC §6) are the parameters of ``ShiftRules``: min/max daily hours, a lunch break inside a
window with a min/max length, min/max weekly hours, annualised hours (flexible weeks),
de-staffing on the day and reinforcing at D+1.

How (``schedules_model``, ``schedules_split``): shift patterns (start, lunch start, lunch
length) are counted per skill group and day, paid lengths per class of interchangeable
advisors, so the model stays small for 120 advisors over ten days; coverage shortfalls are
variables with a high penalty, so an impossible requirement still gets the best schedule,
with its under-coverage reported. Advisors of both skills may answer forms instead of the
phones in any half-hour; forms only need their daily hours, not a time of day, and
forms-only advisors get a standard shift of the chosen length. A greedy scheduler
(``schedules_greedy``) is the benchmark's baseline and the optimiser's fallback.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field

INTERVAL_MINUTES = 30
PHONE, FORMS, LUNCH, OFF = "P", "F", "L", "."
# Objective weights, per half-hour: a missing phone half-hour costs more than the longest
# shift (16 half-hours), so coverage always comes first; forms next; levers last.
PHONE_SHORTFALL_WEIGHT = 100
FORMS_SHORTFALL_WEIGHT = 60
LEVER_SHORTFALL_WEIGHT = 10
STATUSES = ("optimal", "feasible")  # optimal: the proven bound is reached


def _minutes(moment: dt.time) -> int:
    return moment.hour * 60 + moment.minute


@dataclass(frozen=True)
class ShiftRules:
    """The planning flexibility of SPEC §6, in hours; every shift lies in the opening hours.

    - weekly hours: ``weekly_hours_min`` ≤ paid hours of an ISO week ≤ ``weekly_hours_max``,
      prorated to the advisor's available working days of that week in the period (a week
      with a public holiday, an absence or cut by the period's edges counts fewer days);
    - annualised hours (flexible weeks): each week may move ``annualised_tolerance_hours``
      below the minimum or above the maximum, the period as a whole staying within the
      prorated bounds;
    - min/max daily paid hours; a shift of more than ``lunch_after_hours`` includes a lunch
      break (unpaid) of ``min_lunch_minutes``–``max_lunch_minutes`` inside the lunch window,
      with work before and after it;
    - de-staffing on the day: ``destaffing_share`` of each day's planned hours can be released
      on the day (incident) by shortening shifts down to the daily minimum;
    - reinforcing at D+1: ``reinforcement_share`` more hours than planned can be added on any
      day, within the daily and weekly maxima of the advisors available that day.
    Both levers are soft: the optimiser meets them unless coverage would suffer.
    """

    opening: dt.time = dt.time(8, 30)
    closing: dt.time = dt.time(17, 30)
    min_daily_hours: float = 4.0
    max_daily_hours: float = 8.0
    lunch_after_hours: float = 6.0
    lunch_window_start: dt.time = dt.time(11, 30)
    lunch_window_end: dt.time = dt.time(14, 0)
    min_lunch_minutes: int = 30
    max_lunch_minutes: int = 60
    weekly_hours_min: float = 24.0
    weekly_hours_max: float = 35.0
    annualised_tolerance_hours: float = 0.0
    destaffing_share: float = 0.0
    reinforcement_share: float = 0.0

    def __post_init__(self) -> None:
        for moment in (self.opening, self.closing, self.lunch_window_start, self.lunch_window_end):
            if _minutes(moment) % INTERVAL_MINUTES:
                raise ValueError("times must fall on a half-hour")
        if self.closing <= self.opening:
            raise ValueError("closing must follow opening")
        if not 0 < self.min_daily_hours <= self.max_daily_hours:
            raise ValueError("daily hours must satisfy 0 < min <= max")
        if self.max_daily_hours * 60 > _minutes(self.closing) - _minutes(self.opening):
            raise ValueError("max daily hours exceed the opening hours")
        if not 0 <= self.weekly_hours_min <= self.weekly_hours_max:
            raise ValueError("weekly hours must satisfy 0 <= min <= max")
        if not 0 < self.min_lunch_minutes <= self.max_lunch_minutes:
            raise ValueError("lunch minutes must satisfy 0 < min <= max")
        if self.lunch_window_end <= self.lunch_window_start:
            raise ValueError("the lunch window must end after it starts")
        if self.annualised_tolerance_hours < 0 or self.lunch_after_hours < 0:
            raise ValueError("tolerance and lunch threshold must be >= 0")
        if not (0 <= self.destaffing_share < 1 and 0 <= self.reinforcement_share < 1):
            raise ValueError("lever shares must be in [0, 1)")

    @property
    def intervals(self) -> int:
        return (_minutes(self.closing) - _minutes(self.opening)) // INTERVAL_MINUTES

    def index(self, moment: dt.time) -> int:
        return (_minutes(moment) - _minutes(self.opening)) // INTERVAL_MINUTES

    def time_at(self, index: int) -> dt.time:
        minutes = _minutes(self.opening) + index * INTERVAL_MINUTES
        return dt.time(minutes // 60, minutes % 60)

    @property
    def min_daily(self) -> int:
        """Daily minimum in half-hours (rounded up)."""
        return math.ceil(round(self.min_daily_hours * 2, 9))

    @property
    def max_daily(self) -> int:
        return math.floor(round(self.max_daily_hours * 2, 9))

    def as_dict(self) -> dict:
        return {
            key: value.strftime("%H:%M") if isinstance(value, dt.time) else value
            for key, value in asdict(self).items()
        }


@dataclass(frozen=True)
class ShiftPattern:
    """A shift in interval indices: [start, end) with an optional lunch [lunch_start, +length)."""

    start: int
    end: int
    lunch_start: int | None = None
    lunch_length: int = 0

    @property
    def work(self) -> int:
        """Paid half-hours."""
        return self.end - self.start - self.lunch_length

    def is_lunch(self, index: int) -> bool:
        return self.lunch_start is not None and (
            self.lunch_start <= index < self.lunch_start + self.lunch_length
        )

    def works_at(self, index: int) -> bool:
        return self.start <= index < self.end and not self.is_lunch(index)

    def working_intervals(self) -> list[int]:
        return [index for index in range(self.start, self.end) if not self.is_lunch(index)]


def shift_patterns(rules: ShiftRules) -> list[ShiftPattern]:
    """Every shift the rules allow: starts on each half-hour, every paid length from the daily
    minimum to the maximum, and for long shifts every lunch placement and length (SPEC §6)."""
    lunch_after = math.floor(round(rules.lunch_after_hours * 2, 9))
    lunch_lengths = range(
        math.ceil(rules.min_lunch_minutes / INTERVAL_MINUTES),
        rules.max_lunch_minutes // INTERVAL_MINUTES + 1,
    )
    window = (rules.index(rules.lunch_window_start), rules.index(rules.lunch_window_end))
    patterns = []
    for work in range(rules.min_daily, rules.max_daily + 1):
        if work <= lunch_after:
            patterns += [ShiftPattern(s, s + work) for s in range(rules.intervals - work + 1)]
            continue
        for length in lunch_lengths:
            span = work + length
            for start in range(rules.intervals - span + 1):
                first = max(start + 1, window[0])
                last = min(start + span - 1, window[1]) - length  # work after the lunch
                patterns += [
                    ShiftPattern(start, start + span, lunch, length)
                    for lunch in range(first, last + 1)
                ]
    return patterns


def standard_pattern(patterns: list[ShiftPattern], work: int, rules: ShiftRules) -> ShiftPattern:
    """The shift of ``work`` half-hours closest to the middle of the day, shortest lunch in
    the middle of its window: the pattern of advisors whose time of day does not matter."""
    middle = rules.intervals / 2
    window_middle = (
        rules.index(rules.lunch_window_start) + rules.index(rules.lunch_window_end)
    ) / 2
    return min(
        (p for p in patterns if p.work == work),
        key=lambda p: (
            abs((p.start + p.end) / 2 - middle),
            p.lunch_length,
            abs((p.lunch_start or 0) + p.lunch_length / 2 - window_middle),
            p.start,
        ),
    )


@dataclass(frozen=True)
class AdvisorInput:
    """One advisor: skills (SPEC §1: phone, contact forms) and availability per period day."""

    key: int | str
    name: str
    phone: bool
    forms: bool
    available: tuple[bool, ...]
    weekly_hours_min: float | None = None  # None: the rules' bounds
    weekly_hours_max: float | None = None

    @property
    def group(self) -> str:
        if self.phone and self.forms:
            return "both"
        return "phone" if self.phone else "forms" if self.forms else "none"


@dataclass(frozen=True)
class Requirement:
    """Advisors needed on the phones per day × half-hour, and hours of forms per day."""

    days: tuple[dt.date, ...]
    phone: tuple[tuple[int, ...], ...]
    forms_hours: tuple[float, ...]

    def __post_init__(self) -> None:
        if len(self.phone) != len(self.days) or len(self.forms_hours) != len(self.days):
            raise ValueError("one phone row and one forms figure per day")
        if any(v < 0 for row in self.phone for v in row) or any(h < 0 for h in self.forms_hours):
            raise ValueError("requirements must be >= 0")

    @property
    def forms_half_hours(self) -> list[int]:
        return [math.ceil(round(hours * 2, 9)) for hours in self.forms_hours]

    @property
    def lower_bound_hours(self) -> float:
        """Paid hours no schedule covering everything can go below: one paid hour covers at
        most one needed hour."""
        return sum(sum(row) for row in self.phone) / 2 + sum(self.forms_half_hours) / 2


@dataclass(frozen=True)
class AdvisorShift:
    advisor: int | str
    day: dt.date
    pattern: ShiftPattern
    activities: str  # one character per half-hour: P phone, F forms, L lunch, . off

    @property
    def paid_hours(self) -> float:
        return self.pattern.work / 2


@dataclass
class ScheduleResult:
    status: str
    method: str
    days: tuple[dt.date, ...]
    shifts: list[AdvisorShift]
    phone_required: tuple[tuple[int, ...], ...]
    phone_planned: list[list[int]]
    forms_required_hours: list[float]
    forms_planned_hours: list[float]
    paid_hours: float
    lower_bound_hours: float
    seconds: float
    objective: float | None = None
    best_bound: float | None = None
    weekly_hours: dict = field(default_factory=dict)  # advisor -> {week label: hours}
    reinforcement_hours: list[float] = field(default_factory=list)  # addable at D+1, per day
    releasable_hours: list[float] = field(default_factory=list)  # releasable on the day

    @property
    def phone_shortfall(self) -> list[list[int]]:
        return [
            [max(0, need - got) for need, got in zip(needs, gots, strict=True)]
            for needs, gots in zip(self.phone_required, self.phone_planned, strict=True)
        ]

    @property
    def phone_shortfall_hours(self) -> float:
        return sum(map(sum, self.phone_shortfall)) / 2

    @property
    def forms_shortfall_hours(self) -> float:
        return sum(
            max(0.0, need - got)
            for need, got in zip(self.forms_required_hours, self.forms_planned_hours, strict=True)
        )

    @property
    def planned_hours_per_day(self) -> list[float]:
        totals = defaultdict(float)
        for shift in self.shifts:
            totals[shift.day] += shift.paid_hours
        return [totals[day] for day in self.days]

    @property
    def gap(self) -> float | None:
        """Relative distance between the objective found and the solver's proven bound."""
        if self.objective is None or self.best_bound is None:
            return None
        return abs(self.objective - self.best_bound) / max(abs(self.objective), 1e-9)


def week_label(day: dt.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class WeeklyBounds:
    """Half-hour bounds of one advisor: per week (day indices, min, max), and the period."""

    weeks: tuple[tuple[str, tuple[int, ...], int, int], ...]
    period_min: int
    period_max: int


def weekly_bounds(
    advisor: AdvisorInput, days: tuple[dt.date, ...], rules: ShiftRules
) -> WeeklyBounds:
    """Weekly hours prorated to available days (5 = a full week), widened by the annualised
    tolerance, with the period total kept within the prorated bounds (SPEC §6)."""
    low_hours = (
        rules.weekly_hours_min if advisor.weekly_hours_min is None else advisor.weekly_hours_min
    )
    high_hours = (
        rules.weekly_hours_max if advisor.weekly_hours_max is None else advisor.weekly_hours_max
    )
    by_week: dict[str, list[int]] = defaultdict(list)
    for index, day in enumerate(days):
        by_week[week_label(day)].append(index)
    weeks, period_min, period_max = [], 0, 0
    for label, indices in by_week.items():
        available = sum(advisor.available[i] for i in indices)
        share = available / 5
        high = math.floor(round(2 * high_hours * share, 9))
        low = min(math.ceil(round(2 * low_hours * share, 9)), high, available * rules.max_daily)
        if high < rules.min_daily:  # no shift fits: the week cannot hold any hours
            low = high = 0
        tolerance = math.floor(round(2 * rules.annualised_tolerance_hours * share, 9))
        weeks.append((label, tuple(indices), max(0, low - tolerance), high + tolerance))
        period_min, period_max = period_min + low, period_max + high
    return WeeklyBounds(tuple(weeks), period_min, period_max)


def lower_bound_hours(
    requirement: Requirement, advisors: list[AdvisorInput], rules: ShiftRules
) -> float:
    """Paid hours no schedule covering everything goes below: the hours of need (one paid
    hour covers at most one needed hour), or the advisors' weekly minima if more."""
    minima = sum(
        weekly_bounds(a, requirement.days, rules).period_min for a in advisors if a.group != "none"
    )
    return max(requirement.lower_bound_hours, minima / 2)


def lever_capacities(
    requirement: Requirement, advisors: list[AdvisorInput], rules: ShiftRules
) -> tuple[list[int], dict[str, tuple[tuple[int, ...], int]]]:
    """Half-hours the available advisors could work per day (daily maxima) and per week
    (weekly maxima): what reinforcing at D+1 can draw on."""
    people = [a for a in advisors if a.group != "none"]
    days = [
        rules.max_daily * sum(a.available[d] for a in people) for d in range(len(requirement.days))
    ]
    weeks: dict[str, tuple[tuple[int, ...], int]] = {}
    for advisor in people:
        for label, indices, _low, high in weekly_bounds(advisor, requirement.days, rules).weeks:
            weeks[label] = (indices, weeks.get(label, ((), 0))[1] + high)
    return days, weeks


def lever_shortfalls(
    rules: ShiftRules,
    planned: list[int],
    shifts: list[int],
    capacities: tuple[list[int], dict[str, tuple[tuple[int, ...], int]]],
) -> dict[tuple[str, int | str], int]:
    """Half-hours missing to the levers of SPEC §6, from the planned half-hours and shift
    counts per day: reinforcing at D+1 needs (1 + share) × planned within the capacity of the
    day and of the week; de-staffing needs share × planned above the daily minima."""
    reinforce, release = round(100 * rules.reinforcement_share), round(100 * rules.destaffing_share)
    day_capacity, week_capacity = capacities
    missing = {}
    for d, hours in enumerate(planned):
        if reinforce:
            excess = (100 + reinforce) * hours - 100 * day_capacity[d]
            missing["reinforce", d] = max(0, math.ceil(excess / 100))
        if release:
            excess = 100 * rules.min_daily * shifts[d] - (100 - release) * hours
            missing["release", d] = max(0, math.ceil(excess / 100))
    if reinforce:
        for label, (indices, capacity) in week_capacity.items():
            excess = (100 + reinforce) * sum(planned[d] for d in indices) - 100 * capacity
            missing["reinforce", label] = max(0, math.ceil(excess / 100))
    return missing


def schedule_cost(
    requirement: Requirement,
    advisors: list[AdvisorInput],
    rules: ShiftRules,
    shifts: list[AdvisorShift],
) -> int:
    """The optimiser's objective for any schedule: paid half-hours plus weighted shortfalls."""
    position = {day: d for d, day in enumerate(requirement.days)}
    phone = [[0] * rules.intervals for _ in requirement.days]
    forms = [0] * len(requirement.days)
    planned, counts = [0] * len(requirement.days), [0] * len(requirement.days)
    for shift in shifts:
        d = position[shift.day]
        planned[d] += shift.pattern.work
        counts[d] += 1
        forms[d] += shift.activities.count(FORMS)
        for t, activity in enumerate(shift.activities):
            phone[d][t] += activity == PHONE
    phone_short = sum(
        max(0, need - got)
        for needs, gots in zip(requirement.phone, phone, strict=True)
        for need, got in zip(needs, gots, strict=True)
    )
    forms_short = sum(
        max(0, need - got) for need, got in zip(requirement.forms_half_hours, forms, strict=True)
    )
    levers = lever_shortfalls(
        rules, planned, counts, lever_capacities(requirement, advisors, rules)
    )
    return (
        sum(planned)
        + PHONE_SHORTFALL_WEIGHT * phone_short
        + FORMS_SHORTFALL_WEIGHT * forms_short
        + LEVER_SHORTFALL_WEIGHT * sum(levers.values())
    )


def build_result(
    requirement: Requirement,
    advisors: list[AdvisorInput],
    rules: ShiftRules,
    shifts: list[AdvisorShift],
    *,
    status: str,
    method: str,
    seconds: float,
    objective: float | None = None,
    best_bound: float | None = None,
) -> ScheduleResult:
    """Coverage, paid hours, weekly hours and lever capacities of a set of shifts."""
    days = requirement.days
    position = {day: i for i, day in enumerate(days)}
    planned = [[0] * rules.intervals for _ in days]
    forms = [0.0] * len(days)
    hours: dict = defaultdict(lambda: [0] * len(days))  # half-hours per advisor per day
    for shift in shifts:
        d = position[shift.day]
        hours[shift.advisor][d] = shift.pattern.work
        for t, activity in enumerate(shift.activities):
            if activity == PHONE:
                planned[d][t] += 1
            elif activity == FORMS:
                forms[d] += 0.5
    weekly, reinforcement, releasable = {}, [0.0] * len(days), [0.0] * len(days)
    for advisor in advisors:
        per_day = hours[advisor.key]
        bounds = weekly_bounds(advisor, days, rules)
        weekly[advisor.key] = {}
        for label, indices, _low, high in bounds.weeks:
            used = sum(per_day[i] for i in indices)
            weekly[advisor.key][label] = used / 2
            for i in indices:
                if advisor.available[i] and advisor.group != "none":
                    day_room = rules.max_daily - per_day[i]
                    reinforcement[i] += max(0, min(day_room, high - used)) / 2
                if per_day[i]:
                    releasable[i] += (per_day[i] - rules.min_daily) / 2
    return ScheduleResult(
        status=status,
        method=method,
        days=days,
        shifts=sorted(shifts, key=lambda s: (s.day, str(s.advisor))),
        phone_required=requirement.phone,
        phone_planned=planned,
        forms_required_hours=[h / 2 for h in requirement.forms_half_hours],
        forms_planned_hours=forms,
        paid_hours=sum(s.paid_hours for s in shifts),
        lower_bound_hours=lower_bound_hours(requirement, advisors, rules),
        seconds=seconds,
        objective=objective,
        best_bound=best_bound,
        weekly_hours=weekly,
        reinforcement_hours=reinforcement,
        releasable_hours=releasable,
    )


def assign_forms(shifts: dict, forms_per_interval: list[int]) -> dict:
    """Give ``forms_per_interval[t]`` of the working advisors' half-hours to forms, keeping
    whoever was already on forms the half-hour before (fewer switches); ``shifts`` maps an
    advisor to a pattern, the result maps it to its activities."""
    keys = sorted(shifts, key=str)
    activities = {
        key: [
            LUNCH if shifts[key].is_lunch(t) else PHONE if shifts[key].works_at(t) else OFF
            for t in range(len(forms_per_interval))
        ]
        for key in keys
    }
    for t, count in enumerate(forms_per_interval):
        working = [key for key in keys if shifts[key].works_at(t)]
        working.sort(key=lambda key: not (t and activities[key][t - 1] == FORMS))
        for key in working[:count]:
            activities[key][t] = FORMS
    return {key: "".join(chars) for key, chars in activities.items()}


def optimise_schedule(
    requirement: Requirement,
    advisors: list[AdvisorInput],
    rules: ShiftRules | None = None,
    *,
    time_limit: float = 45.0,
    workers: int = 2,
    relative_gap: float = 0.002,
) -> ScheduleResult:
    """The schedule covering the requirement at the fewest paid hours (``schedules_model``).

    Stops at ``time_limit`` seconds or once within ``relative_gap`` of the proven bound; the
    result carries the status, the method that found it, the objective and its bound.
    """
    from .schedules_model import solve  # the solver layer builds on this module's types

    rules = rules or ShiftRules()
    started = time.perf_counter()
    shifts, status, method, objective, bound = solve(
        requirement,
        advisors,
        rules,
        time_limit=time_limit,
        workers=workers,
        relative_gap=relative_gap,
    )
    return build_result(
        requirement,
        advisors,
        rules,
        shifts,
        status=status,
        method=method,
        seconds=time.perf_counter() - started,
        objective=objective,
        best_bound=bound,
    )
