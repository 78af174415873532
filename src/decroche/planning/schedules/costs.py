"""Bounds, costs and results of a set of shifts (SPEC §6), pure: weekly hours prorated to
the available days, the lower bound of paid hours, the capacities and shortfalls of the two
levers (de-staffing on the day, reinforcing at D+1), the objective a schedule is ranked by,
and the ``ScheduleResult`` built from shifts. The solver and the greedy scheduler both rank
their schedules with ``schedule_cost``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict

from .types import (
    FORMS,
    FORMS_SHORTFALL_WEIGHT,
    LEVER_SHORTFALL_WEIGHT,
    LUNCH,
    OFF,
    PHONE,
    PHONE_SHORTFALL_WEIGHT,
    AdvisorInput,
    AdvisorShift,
    Requirement,
    ScheduleResult,
    ShiftRules,
    WeeklyBounds,
    week_label,
)


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
