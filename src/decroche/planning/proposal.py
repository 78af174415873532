"""Order proposal of a forecast committee (SPEC §6), pure module (no Django).

For the committee on day D, the three ten-working-day periods at D+10 (firm), D+20 and D+30
(indicative) of `core.calendar.committee_periods`:

- **Phone**: the calls forecast per half-hour → the fewest agents meeting the contract
  targets in force (``Inputs.targets``: answer rate ≥ 90%, average wait ≤ 120 s by default,
  SPEC §3 and §5) by `staffing.interval_staffing`, Erlang A (Erlang C when no caller ever
  abandoned in the history, so no patience can be estimated) → productive
  phone hours (UO1) = agents × 0.5 h, summed per clock hour and per day. Agents on the phones
  are productive time (available, talking, wrap-up: the contract's phone productive states).
  ``shrinkage`` (breaks, training, meetings) only gives the hours to schedule beside them.
- **Forms**: forms received on a closed day are due with those of the next working day;
  `forms_backlog.forms_plan` (90 forms an advisor-day, answered by the end of the next working day)
  gives advisors per day; UO3 hours = advisors × 7 contractual hours (`committees`).
- **Indicators**: answer rate and average wait predicted per day, the per-half-hour Erlang
  figures weighted by the calls of each half-hour.
- **Scenarios**, side by side: baseline; media campaign +40% calls (SPEC §1); deterrence
  message −20 points of out-of-scope calls (`forecast.deterrence_factor`); AHT +10% and
  −10%; 10% absenteeism = ceil(agents / 0.9) per half-hour and ceil(advisors / 0.9) per day,
  the hours to plan so that the baseline's staff is still there (indicators as baseline).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is imported where it is used (docs/architecture.md)
    import numpy as np

from decroche.core.calendar import (
    CONTRACTUAL_DAILY_HOURS,
    committee_periods,
    is_working_day,
)

from . import erlang
from .forecast import CALLS, days_between, deterrence_factor
from .forms_backlog import FORMS_PER_ADVISOR_PER_DAY, forms_plan
from .staffing import DEFAULT_AHT_SECONDS, DEFAULT_TARGETS, interval_staffing

HALF_HOUR_HOURS = 0.5
DEFAULT_AHT = DEFAULT_AHT_SECONDS  # the handling time of ``Inputs`` (staffing.py says why)
FORM_DAY_HOURS = float(CONTRACTUAL_DAILY_HOURS)
FORMS_DEADLINE_DAYS = 1
CAMPAIGN_UPLIFT = 0.40  # SPEC §1: a media campaign gave +40% calls
DETERRENCE_POINTS = 0.20  # SPEC §1: a deterrence message, −20 points of out-of-scope calls
AHT_CHANGE = 0.10
ABSENTEEISM = 0.10
OFFSETS = ("D+10", "D+20", "D+30")

BASELINE, CAMPAIGN, DETERRENCE = "baseline", "campaign", "deterrence"
AHT_PLUS, AHT_MINUS, ABSENTEEISM_CODE = "aht_plus_10", "aht_minus_10", "absenteeism_10"
SCENARIO_CODES = (BASELINE, CAMPAIGN, DETERRENCE, AHT_PLUS, AHT_MINUS, ABSENTEEISM_CODE)


@dataclass(frozen=True)
class Scenario:
    code: str
    calls_factor: float = 1.0
    aht_factor: float = 1.0
    absenteeism: float = 0.0


def scenarios(out_of_scope_share: float, codes: Iterable[str] = SCENARIO_CODES) -> list[Scenario]:
    """The what-if scenarios of the committee (issue text), in ``codes`` order."""
    every = {
        BASELINE: Scenario(BASELINE),
        CAMPAIGN: Scenario(CAMPAIGN, calls_factor=1 + CAMPAIGN_UPLIFT),
        DETERRENCE: Scenario(
            DETERRENCE, calls_factor=deterrence_factor(DETERRENCE_POINTS, out_of_scope_share)
        ),
        AHT_PLUS: Scenario(AHT_PLUS, aht_factor=1 + AHT_CHANGE),
        AHT_MINUS: Scenario(AHT_MINUS, aht_factor=1 - AHT_CHANGE),
        ABSENTEEISM_CODE: Scenario(ABSENTEEISM_CODE, absenteeism=ABSENTEEISM),
    }
    unknown = [code for code in codes if code not in every]
    if unknown:
        raise ValueError(f"unknown scenario {unknown[0]!r}")
    return [every[code] for code in codes]


@dataclass(frozen=True)
class Inputs:
    """What the proposal is computed from (read by `selectors.order_proposal`)."""

    committee: dt.date
    calls: Mapping[dt.date, np.ndarray]  # expected calls per opening half-hour (18 slots)
    forms: Mapping[dt.date, float]  # expected forms received per calendar day
    aht: float = DEFAULT_AHT
    patience: float | None = None
    shrinkage: float = 0.0
    out_of_scope_share: float = 0.18
    targets: erlang.Targets = DEFAULT_TARGETS  # those in force (`selectors.staffing_targets`)

    def __post_init__(self) -> None:
        if self.aht <= 0:
            raise ValueError("the average handling time must be positive")
        if not 0 <= self.shrinkage < 1:
            raise ValueError("shrinkage must be in [0, 1)")


@dataclass
class DayPlan:
    day: dt.date
    calls: float
    forms_due: float  # forms received on that working day and the closed days before it
    agents: list[int]  # agents on the phones per half-hour, 08:30 first
    scheduled_hours: float  # with shrinkage: ceil(agents / (1 − shrinkage)) × 0.5 h
    form_advisors: int
    answer_rate: float | None
    average_wait: float | None

    @property
    def phone_hours(self) -> float:
        return HALF_HOUR_HOURS * sum(self.agents)

    @property
    def form_hours(self) -> float:
        return FORM_DAY_HOURS * self.form_advisors

    @property
    def hours_by_hour(self) -> dict[int, float]:
        """Phone hours per clock hour (8 holds 08:30–09:00, 17 holds 17:00–17:30)."""
        hours: dict[int, float] = {}
        for slot, agents in enumerate(self.agents):
            hour = (CALLS.first_half_hour + slot) // 2
            hours[hour] = hours.get(hour, 0.0) + HALF_HOUR_HOURS * agents
        return hours


def _weighted(values: Sequence[tuple[float, float | None]]) -> float | None:
    """Σ weight × value / Σ weight over the pairs with a value; None without weight."""
    pairs = [(w, v) for w, v in values if v is not None and w > 0]
    total = sum(w for w, _ in pairs)
    return sum(w * v for w, v in pairs) / total if total > 0 else None


@dataclass
class PeriodPlan:
    offset: str
    firm: bool
    start: dt.date
    end: dt.date
    days: list[DayPlan] = field(default_factory=list)

    @property
    def calls(self) -> float:
        return sum(day.calls for day in self.days)

    @property
    def forms(self) -> float:
        return sum(day.forms_due for day in self.days)

    @property
    def phone_hours(self) -> float:
        return sum(day.phone_hours for day in self.days)

    @property
    def form_hours(self) -> float:
        return sum(day.form_hours for day in self.days)

    @property
    def scheduled_hours(self) -> float:
        return sum(day.scheduled_hours for day in self.days)

    @property
    def answer_rate(self) -> float | None:
        return _weighted([(day.calls, day.answer_rate) for day in self.days])

    @property
    def average_wait(self) -> float | None:
        return _weighted([(day.calls, day.average_wait) for day in self.days])


@dataclass
class ScenarioPlan:
    scenario: Scenario
    periods: list[PeriodPlan]


@dataclass
class Proposal:
    committee: dt.date
    aht: float
    patience: float | None
    model: str
    shrinkage: float
    out_of_scope_share: float
    plans: list[ScenarioPlan]
    targets: erlang.Targets = DEFAULT_TARGETS

    def plan(self, code: str) -> ScenarioPlan:
        return next(plan for plan in self.plans if plan.scenario.code == code)


def phone_day(
    calls: np.ndarray,
    *,
    aht: float,
    patience: float | None,
    absenteeism: float = 0.0,
    shrinkage: float = 0.0,
    targets: erlang.Targets = DEFAULT_TARGETS,
) -> tuple[list[int], float, float | None, float | None]:
    """(agents per half-hour, scheduled hours, answer rate, average wait) of one day."""
    import numpy as np

    agents, scheduled, rates, waits = [], 0.0, [], []
    for volume in np.asarray(calls, dtype=float):
        volume = round(float(volume), 2)  # cache key; 0.01 call changes nothing
        staffing = interval_staffing(volume, aht=round(aht, 3), patience=patience, targets=targets)
        needed = erlang.scheduled_agents(staffing.agents, absenteeism)
        agents.append(needed)
        scheduled += HALF_HOUR_HOURS * erlang.scheduled_agents(needed, shrinkage)
        rates.append((volume, staffing.performance.answer_rate))
        waits.append((volume, staffing.performance.average_wait))
    return agents, scheduled, _weighted(rates), _weighted(waits)


def forms_due_by_working_day(
    forms: Mapping[dt.date, float], days: Sequence[dt.date]
) -> dict[dt.date, float]:
    """Forms of each working day in ``days`` plus those of the closed days just before it
    (a weekend's forms are waiting on Monday morning)."""
    due = {}
    for day in days:
        total = forms.get(day, 0.0)
        previous = day - dt.timedelta(days=1)
        while not is_working_day(previous) and previous in forms:
            total += forms[previous]
            previous -= dt.timedelta(days=1)
        due[day] = total
    return due


def form_advisors(
    forms: Mapping[dt.date, float], days: Sequence[dt.date], absenteeism: float = 0.0
) -> dict[dt.date, int]:
    """Advisors per working day from `forms_backlog.forms_plan`: forms due by the end of the next
    working day; the working day before the first one gives the opening backlog."""
    if not days:
        return {}
    due = forms_due_by_working_day(forms, days)
    before = days[0] - dt.timedelta(days=1)
    while not is_working_day(before):
        before -= dt.timedelta(days=1)
    backlog = forms_due_by_working_day(forms, [before])[before] if before in forms else 0.0
    plan = forms_plan(
        [round(due[day]) for day in days],
        deadline_days=FORMS_DEADLINE_DAYS,
        forms_per_advisor=FORMS_PER_ADVISOR_PER_DAY,
        initial_backlog=round(backlog),
    )
    return {
        day: erlang.scheduled_agents(row.advisors, absenteeism)
        for day, row in zip(days, plan, strict=True)
    }


def build_proposal(inputs: Inputs, *, scenario_codes: Iterable[str] = SCENARIO_CODES) -> Proposal:
    """Every scenario's plan for the three periods of the committee (SPEC §6)."""
    import numpy as np

    periods = committee_periods(inputs.committee)
    working = [
        [day for day in days_between(start, end) if is_working_day(day)] for start, end in periods
    ]
    all_working = [day for days in working for day in days]
    plans = []
    for scenario in scenarios(inputs.out_of_scope_share, scenario_codes):
        advisors = form_advisors(inputs.forms, all_working, scenario.absenteeism)
        due = forms_due_by_working_day(inputs.forms, all_working)
        period_plans = []
        for (start, end), offset, days in zip(periods, OFFSETS, working, strict=True):
            period = PeriodPlan(offset, offset == OFFSETS[0], start, end)
            for day in days:
                calls = np.asarray(inputs.calls.get(day, np.zeros(CALLS.slots)), dtype=float)
                calls = calls * scenario.calls_factor
                agents, scheduled, rate, wait = phone_day(
                    calls,
                    aht=inputs.aht * scenario.aht_factor,
                    patience=inputs.patience,
                    absenteeism=scenario.absenteeism,
                    shrinkage=inputs.shrinkage,
                    targets=inputs.targets,
                )
                period.days.append(
                    DayPlan(
                        day,
                        float(calls.sum()),
                        due[day],
                        agents,
                        scheduled,
                        advisors[day],
                        rate,
                        wait,
                    )
                )
            period_plans.append(period)
        plans.append(ScenarioPlan(scenario, period_plans))
    model = erlang.ERLANG_A if inputs.patience is not None else erlang.ERLANG_C
    return Proposal(
        inputs.committee,
        inputs.aht,
        inputs.patience,
        model,
        inputs.shrinkage,
        inputs.out_of_scope_share,
        plans,
        inputs.targets,
    )
