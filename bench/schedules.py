"""Benchmark: schedules of 120 advisors over ten working days, optimal in under 20 s (SPEC §6).

Run:

    .venv/bin/python bench/schedules.py [--time-limit 45] [--weekly-min 24] [--seed 2027] \
        [--repeat 3] [--no-baseline]

Prints the optimiser's wall and CPU time, status, method, paid hours against the lower bound
(the hours of need, or the weekly minima if more: no schedule covering everything pays less)
and against the solver's proven bound, the shortfalls, and the same figures, measured in the
same run, for two baselines: a greedy scheduler (day by day, the shift covering the most
uncovered half-hours per paid half-hour, then forms, then weekly minima) and the optimiser
as it was before the weeks were cut apart (``by_week=False``: one model for the period).
With ``--repeat N`` the optimisers run N times each, alternately, and the median and spread
of the wall times are printed (the machine may be shared).

Inputs are synthetic, generated here (no database): the 2027 calls and forms of SPEC §2
(1,736,929 calls, 83,177 forms) spread over 252 working days, a weekday effect (Monday high,
Friday low) and an intraday profile with late-morning and early-afternoon peaks; Erlang A
(AHT 250 s, patience 180 s, answer rate ≥ 90%, average wait < 2 min, SPEC §3) gives the
advisors needed per half-hour; forms take 90 per advisor per 7-hour day. 120 advisors: 100
phone only, 16 phone and forms, 4 forms only; eight are absent some days (leave, sickness).
Rules: the defaults of ``ShiftRules`` (4–8 h a day, lunch 30–60 min between 11:30 and 14:00
beyond 6 h of work, 24–35 h a week).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from decroche.planning import erlang  # noqa: E402
from decroche.planning.schedules import (  # noqa: E402
    AdvisorInput,
    Requirement,
    ShiftRules,
    greedy_schedule,
    optimise_schedule,
    schedule_cost,
)
from decroche.synthetic.profiles import (  # noqa: E402
    CALLS_PER_YEAR,
    FORMS_PER_YEAR,
    HALF_HOUR_PROFILE,
    WEEKDAY_FACTOR,
)

# 2027 volumes and the generator's weekday and half-hour profiles (synthetic/profiles.py).
CALLS_2027, FORMS_2027, WORKING_DAYS = CALLS_PER_YEAR[2027], FORMS_PER_YEAR[2027], 252
INTRADAY = np.array(HALF_HOUR_PROFILE)
WEEKDAY = np.array(WEEKDAY_FACTOR[:5])
TARGETS = erlang.Targets(answer_rate=0.90, average_wait=120.0)
AHT, PATIENCE = 250.0, 180.0


def period(start: dt.date, count: int) -> list[dt.date]:
    days, day = [], start
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def synthetic_requirement(days: list[dt.date], seed: int) -> Requirement:
    rng = np.random.default_rng(seed)
    per_day = CALLS_2027 / WORKING_DAYS
    needed: dict[int, int] = {}
    phone = []
    for day in days:
        expected = per_day * WEEKDAY[day.weekday()] / WEEKDAY.mean() * INTRADAY / INTRADAY.sum()
        row = []
        for calls in rng.poisson(expected):
            if calls not in needed:
                workload = erlang.Workload(float(calls), AHT, 1800.0, PATIENCE)
                needed[calls] = erlang.required_agents(workload, TARGETS).agents
            row.append(needed[calls])
        phone.append(tuple(row))
    forms_hours = FORMS_2027 / WORKING_DAYS / 90 * 7
    return Requirement(tuple(days), tuple(phone), tuple([round(forms_hours, 1)] * len(days)))


def synthetic_advisors(days: list[dt.date], count: int) -> list[AdvisorInput]:
    advisors = []
    for index in range(count):
        forms_only = index < count // 30
        both = not forms_only and index < count // 30 + (2 * count) // 15
        absent: set[int] = set()
        if index % 15 == 7:  # a week of leave
            absent = set(range(5)) if index % 2 else set(range(5, 10))
        elif index % 15 == 11:  # three days of sickness
            absent = {2, 3, 4}
        advisors.append(
            AdvisorInput(
                key=index,
                name=f"Advisor {index:03d}",
                phone=not forms_only,
                forms=forms_only or both,
                available=tuple(d not in absent for d in range(len(days))),
            )
        )
    return advisors


def describe(label: str, result, seconds: float, cpu: float | None = None) -> None:
    bound = f"{result.best_bound / 2:,.1f}" if result.best_bound is not None else "—"
    gap = f"{100 * result.gap:.2f}%" if result.gap is not None else "—"
    used = f" (CPU {cpu:.1f} s)" if cpu is not None else ""
    print(
        f"{label}: {seconds:.1f} s{used}, status {result.status} ({result.method}), "
        f"paid {result.paid_hours:,.1f} h, lower bound {result.lower_bound_hours:,.1f} h "
        f"(need or weekly minima), paid/bound {result.paid_hours / result.lower_bound_hours:.3f}, "
        f"shortfall phones {result.phone_shortfall_hours:,.1f} h, "
        f"forms {result.forms_shortfall_hours:,.1f} h, objective {result.objective or 0:,.0f} "
        f"(proven bound {bound} h-equivalent, gap {gap})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--advisors", type=int, default=120)
    parser.add_argument("--days", type=int, default=10)
    parser.add_argument("--time-limit", type=float, default=45.0)
    parser.add_argument("--weekly-min", type=float, default=ShiftRules().weekly_hours_min)
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-baseline", action="store_true", help="skip the one-model run")
    args = parser.parse_args()
    days = period(dt.date(2026, 3, 2), args.days)
    requirement = synthetic_requirement(days, args.seed)
    advisors = synthetic_advisors(days, args.advisors)
    rules = ShiftRules(weekly_hours_min=args.weekly_min)
    peak = max(max(row) for row in requirement.phone)
    print(
        f"{len(advisors)} advisors, {len(days)} working days from {days[0]}, "
        f"{sum(map(sum, requirement.phone)) / 2:,.0f} h of phone need (peak {peak} advisors), "
        f"{sum(requirement.forms_hours):,.0f} h of forms; weekly hours "
        f"{rules.weekly_hours_min:g}–{rules.weekly_hours_max:g}"
    )

    started = time.perf_counter()
    greedy = greedy_schedule(requirement, advisors, rules)
    greedy_seconds = time.perf_counter() - started
    greedy.objective = schedule_cost(requirement, advisors, rules, greedy.shifts)
    describe("greedy baseline", greedy, greedy_seconds)

    variants = [("optimiser", True)] + ([] if args.no_baseline else [("one model", False)])
    times: dict[str, list[float]] = {label: [] for label, _by_week in variants}
    results = {}
    for _run in range(args.repeat):
        for label, by_week in variants:
            started, cpu = time.perf_counter(), time.process_time()
            results[label] = optimise_schedule(
                requirement, advisors, rules, time_limit=args.time_limit, by_week=by_week
            )
            seconds = time.perf_counter() - started
            times[label].append(seconds)
            describe(label, results[label], seconds, time.process_time() - cpu)
    best = results["optimiser"]
    for label, _by_week in variants:
        print(
            f"{label}: median {statistics.median(times[label]):.1f} s over {args.repeat} runs "
            f"(min {min(times[label]):.1f} s, max {max(times[label]):.1f} s)"
        )
    if not args.no_baseline:
        old = statistics.median(times["one model"])
        print(
            f"optimiser / one model: time {statistics.median(times['optimiser']) / old:.2f}, "
            f"objective {best.objective / results['one model'].objective:.3f}"
        )
    seconds = statistics.median(times["optimiser"])
    print(
        f"optimiser / greedy: paid hours {best.paid_hours / greedy.paid_hours:.3f}, "
        f"objective {best.objective / greedy.objective:.3f}; "
        f"optimal in under 20 s: {'yes' if seconds < 20 and best.status == 'optimal' else 'NO'}"
    )


if __name__ == "__main__":
    main()
