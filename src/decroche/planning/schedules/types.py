"""The vocabulary of the schedules (SPEC §6), pure: the flexibility rules, shift patterns,
the advisors and the requirement given to the optimiser, the shifts and the result it
returns. Every other module of the package builds on these types; this one imports none."""

from __future__ import annotations

import datetime as dt
import math
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
