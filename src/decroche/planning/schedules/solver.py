"""The optimisation model behind ``optimise_schedule``, and how it is solved.
Units are half-hours; lever shares are whole percents so every coefficient is an integer.

Advisors with the same skills, availability and weekly bounds are interchangeable: the
model counts them per *unit* (a class of such advisors) instead of one by one. Two forms of
the weekly rule (SPEC §6) make two models from one definition:

- ``weekly="summed"`` bounds a class's weekly hours by the sum of its members' bounds. It
  relaxes the problem (its proven bound is a lower bound of the real optimum), CP-SAT solves
  it in seconds, and a greedy split usually hands its lengths out to the members exactly;
- ``weekly="flow"`` makes each class a flow over (day, hours worked so far this week): one
  unit of flow is one advisor's week, so any integer solution splits exactly into advisors
  within their bounds. It is exact but larger; HiGHS (a MIP solver, through OR-Tools) solves
  it well, CP-SAT does not.

``solve`` cuts the period into independent weeks (``weeks``) and solves them side by side,
one thread per worker (both solvers release the GIL while they search). On each week it runs
the summed model with CP-SAT; when the split schedule is not within the gap limit of the
proven bound, the flow model with HiGHS gets the time left, and the better schedule wins.
With annualised hours the weeks are linked and solved as one problem; the period bound is
summed over a class in both models, and advisors still under their period minimum then get
longer or extra shifts.

The solvers (OR-Tools, which loads pandas) are imported inside the functions that run them,
so that importing the package, as every Django start does, stays fast.
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from .costs import build_result, lever_capacities, schedule_cost, weekly_bounds
from .greedy import greedy_shifts
from .split import PATTERN_GROUPS, hand_out, split_flows, split_greedily
from .types import (
    FORMS_SHORTFALL_WEIGHT,
    LEVER_SHORTFALL_WEIGHT,
    PHONE_SHORTFALL_WEIGHT,
    AdvisorInput,
    AdvisorShift,
    Requirement,
    ScheduleResult,
    ShiftRules,
    WeeklyBounds,
    shift_patterns,
)
from .weeks import independent_weeks


@dataclass
class Unit:
    """Interchangeable advisors: same skills, availability and weekly bounds."""

    group: str
    members: list[AdvisorInput]
    bounds: WeeklyBounds  # of one member

    @property
    def size(self) -> int:
        return len(self.members)

    def available(self, d: int) -> int:
        return self.size * self.members[0].available[d]


def make_units(
    advisors: list[AdvisorInput], requirement: Requirement, rules: ShiftRules
) -> list[Unit]:
    classes: dict[tuple, list[AdvisorInput]] = defaultdict(list)
    for advisor in advisors:
        if advisor.group != "none":
            identity = (
                advisor.group,
                advisor.available,
                advisor.weekly_hours_min,
                advisor.weekly_hours_max,
            )
            classes[identity].append(advisor)
    return [
        Unit(
            members[0].group,
            sorted(members, key=lambda a: str(a.key)),
            weekly_bounds(members[0], requirement.days, rules),
        )
        for members in classes.values()
    ]


class HighsModel:
    """The few ``CpModel`` methods ``ScheduleModel`` uses, on a HiGHS MIP."""

    def __init__(self) -> None:
        from ortools.linear_solver import pywraplp

        self.solver = pywraplp.Solver.CreateSolver("HIGHS")
        self.consistent = True

    def new_int_var(self, low: int, high: int, name: str):
        return self.solver.IntVar(low, high, name)

    def new_bool_var(self, name: str):
        return self.solver.IntVar(0, 1, name)

    def add(self, constraint) -> None:
        if isinstance(constraint, bool):  # both sides constant
            self.consistent = self.consistent and constraint
        else:
            self.solver.Add(constraint)

    def add_at_most_one(self, variables) -> None:
        self.solver.Add(sum(variables) <= 1)

    def add_linear_constraint(self, expression, low: int, high: int) -> None:
        self.add(expression >= low)
        self.add(expression <= high)

    def minimize(self, expression) -> None:
        self.solver.Minimize(expression)


class ScheduleModel:
    def __init__(
        self,
        requirement: Requirement,
        advisors: list[AdvisorInput],
        rules: ShiftRules,
        *,
        weekly: str = "summed",
        backend: str = "cp-sat",
        flow_units: frozenset[int] = frozenset(),
    ):
        self.requirement, self.rules, self.weekly = requirement, rules, weekly
        self.flow_units = flow_units  # units given the flow form in a summed model
        self.units = make_units(advisors, requirement, rules)
        self.capacities = lever_capacities(requirement, advisors, rules)
        self.patterns = shift_patterns(rules)
        if not self.patterns:
            raise ValueError("no shift satisfies the rules")
        self.lengths = sorted({p.work for p in self.patterns})
        from ortools.sat.python import cp_model

        self.model = cp_model.CpModel() if backend == "cp-sat" else HighsModel()
        self.days = range(len(requirement.days))
        self.intervals = range(rules.intervals)
        self._lengths()
        self._patterns()
        self._coverage()
        self._levers()
        self.model.minimize(
            sum(self.day_hours(d) for d in self.days)
            + PHONE_SHORTFALL_WEIGHT * sum(self.short.values())
            + FORMS_SHORTFALL_WEIGHT * sum(self.forms_short.values())
            + LEVER_SHORTFALL_WEIGHT * sum(self.lever_short.values())
        )

    # --- per unit: how many of its advisors work each paid length; weekly hours ---------------

    def _lengths(self) -> None:
        m = self.model
        self.length = {}  # (unit, day, length) -> advisors (variable or expression)
        self.flow = {}  # (unit, week, step, hours so far, length) -> advisors
        for u, unit in enumerate(self.units):
            if (self.weekly == "flow" or u in self.flow_units) and unit.size > 1:
                for week in unit.bounds.weeks:
                    self._week_flow(u, unit, week)
            else:
                for d in self.days:
                    if size := unit.available(d):
                        counts = [m.new_int_var(0, size, f"z{u}_{d}_{n}") for n in self.lengths]
                        m.add(sum(counts) <= size)
                        self.length.update(
                            zip(((u, d, n) for n in self.lengths), counts, strict=True)
                        )
                for _label, indices, low, high in unit.bounds.weeks:
                    m.add_linear_constraint(
                        self.hours(u, indices), unit.size * low, unit.size * high
                    )
            if self.rules.annualised_tolerance_hours:
                period = (unit.size * unit.bounds.period_min, unit.size * unit.bounds.period_max)
                m.add_linear_constraint(self.hours(u, self.days), *period)

    def _week_flow(self, u: int, unit: Unit, week: tuple) -> None:
        """Layer by layer over the week's days: advisors who have worked ``so_far`` half-hours
        work ``n`` more today (0 = a day off); states that cannot end the week within its
        bounds are left out."""
        m, available = self.model, unit.members[0].available
        label, indices, low, high = week
        terms = defaultdict(list)
        layer = {0: unit.size}  # hours so far -> advisors arriving there
        for step, d in enumerate(indices):
            later = sum(available[e] for e in indices[step + 1 :])
            following = defaultdict(list)
            for so_far, arriving in layer.items():
                leaving = []
                for n in [0] + (self.lengths if available[d] else []):
                    reached = so_far + n
                    if reached > high or reached + later * self.rules.max_daily < low:
                        continue
                    arc = m.new_int_var(0, unit.size, f"w{u}_{label}_{step}_{so_far}_{n}")
                    self.flow[u, label, step, so_far, n] = arc
                    leaving.append(arc)
                    following[reached].append(arc)
                    if n:
                        terms[d, n].append(arc)
                m.add(sum(leaving) == arriving)
            layer = {reached: sum(arcs) for reached, arcs in following.items()}
        for (d, n), arcs in terms.items():
            self.length[u, d, n] = sum(arcs)

    def hours(self, u: int, days):
        return sum(
            n * self.length[u, d, n] for d in days for n in self.lengths if (u, d, n) in self.length
        )

    def day_hours(self, d: int):
        return sum(self.hours(u, [d]) for u in range(len(self.units)))

    def in_group(self, group: str, d: int) -> list[int]:
        return [u for u, unit in enumerate(self.units) if unit.group == group and unit.available(d)]

    # --- per skill group and day: how many advisors work each pattern -------------------------

    def _patterns(self) -> None:
        m = self.model
        self.count = {}  # (group, day, pattern index) -> advisors
        self.on = defaultdict(int)  # (group, day, interval) -> advisors working
        by_length = defaultdict(list)
        for k, pattern in enumerate(self.patterns):
            by_length[pattern.work].append(k)
        for group in PATTERN_GROUPS:
            for d in self.days:
                units = self.in_group(group, d)
                if not units:
                    continue
                size = sum(self.units[u].available(d) for u in units)
                for k in range(len(self.patterns)):
                    self.count[group, d, k] = m.new_int_var(0, size, f"y{group}{d}_{k}")
                for n, ks in by_length.items():
                    m.add(
                        sum(self.count[group, d, k] for k in ks)
                        == sum(self.length.get((u, d, n), 0) for u in units)
                    )
                for t in self.intervals:
                    self.on[group, d, t] = sum(
                        self.count[group, d, k]
                        for k, p in enumerate(self.patterns)
                        if p.works_at(t)
                    )

    # --- coverage: phones per half-hour, forms per day ----------------------------------------

    def _coverage(self) -> None:
        m = self.model
        self.short, self.forms_short, self.forms_at = {}, {}, {}
        needs = self.requirement.forms_half_hours
        for d in self.days:
            both = sum(self.units[u].available(d) for u in self.in_group("both", d))
            for t in self.intervals:
                if needs[d] and both:
                    self.forms_at[d, t] = m.new_int_var(0, both, f"f{d}_{t}")
                    m.add(self.forms_at[d, t] <= self.on["both", d, t])
                if need := self.requirement.phone[d][t]:
                    self.short[d, t] = m.new_int_var(0, need, f"s{d}_{t}")
                    m.add(
                        self.on["phone", d, t]
                        + self.on["both", d, t]
                        - self.forms_at.get((d, t), 0)
                        + self.short[d, t]
                        >= need
                    )
            if needs[d]:
                self.forms_short[d] = m.new_int_var(0, needs[d], f"fs{d}")
                forms_only = sum(self.hours(u, [d]) for u in self.in_group("forms", d))
                m.add(
                    sum(self.forms_at.get((d, t), 0) for t in self.intervals)
                    + forms_only
                    + self.forms_short[d]
                    >= needs[d]
                )

    # --- levers of SPEC §6 (soft; ``schedules.lever_shortfalls`` states them) ----------------

    def _levers(self) -> None:
        m, rules = self.model, self.rules
        self.lever_short = {}
        reinforce = round(100 * rules.reinforcement_share)
        release = round(100 * rules.destaffing_share)
        day_capacity, week_capacity = self.capacities
        big = 100 * rules.max_daily * len(self.days) * (1 + sum(unit.size for unit in self.units))
        for d in self.days:
            planned = self.day_hours(d)
            if reinforce:
                slack = self.lever_short["reinforce", d] = m.new_int_var(0, big, f"r{d}")
                m.add((100 + reinforce) * planned <= 100 * day_capacity[d] + 100 * slack)
            if release:
                shifts = sum(var for (_u, day, _n), var in self.length.items() if day == d)
                slack = self.lever_short["release", d] = m.new_int_var(0, big, f"x{d}")
                m.add(100 * rules.min_daily * shifts <= (100 - release) * planned + 100 * slack)
        if reinforce:
            for label, (indices, capacity) in week_capacity.items():
                planned = sum(self.day_hours(d) for d in indices)
                slack = self.lever_short["reinforce", label] = m.new_int_var(0, big, f"rw{label}")
                m.add((100 + reinforce) * planned <= 100 * capacity + 100 * slack)

    # --- read-back ------------------------------------------------------------------------------

    def solution(self, value):
        """Lengths per unit and day, flows, patterns per group and day, forms per half-hour;
        ``value`` reads a variable or an expression of the solver's solution."""
        lengths = {key: value(var) for key, var in self.length.items()}
        flows = {key: value(var) for key, var in self.flow.items()}
        patterns = defaultdict(list)
        for (group, d, k), var in self.count.items():
            patterns[group, d] += [self.patterns[k]] * value(var)
        forms = {key: value(var) for key, var in self.forms_at.items()}
        return {k: v for k, v in lengths.items() if v}, flows, patterns, forms


@dataclass
class Attempt:
    shifts: list[AdvisorShift]
    cost: int
    bound: float | None
    method: str


def _with_cp_sat(requirement, advisors, rules, people, time_limit, workers, relative_gap):
    """The summed model with CP-SAT, split greedily. A class whose lengths cannot be packed
    into its members' weeks (the summed bound is a relaxation) takes the flow form and the
    model is solved again, while time is left; only those classes grow."""
    from ortools.sat.python import cp_model

    deadline = time.perf_counter() + max(0.5, time_limit)
    flow_units: frozenset[int] = frozenset()
    previous: dict = {}
    while True:
        built = ScheduleModel(requirement, advisors, rules, weekly="summed", flow_units=flow_units)
        variables = _variables(built, cp_model.IntVar)
        for key, var in variables.items():  # warm start: the previous solution, mostly valid
            if key in previous:
                built.model.add_hint(var, previous[key])
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.5, deadline - time.perf_counter())
        solver.parameters.num_workers = workers
        solver.parameters.relative_gap_limit = relative_gap
        status = solver.solve(built.model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if previous:  # the re-solve found nothing in time: keep the first split
                break
            if status == cp_model.INFEASIBLE:
                raise ValueError("the weekly bounds cannot be met")
            return None
        lengths, _flows, patterns, forms = built.solution(solver.value)
        unpacked: set[int] = set()
        handed = split_greedily(
            requirement, rules, built.units, lengths, built.lengths, unpacked=unpacked
        )
        found = (handed, patterns, forms, solver.best_objective_bound)
        if not unpacked - flow_units or deadline - time.perf_counter() < 1:
            break
        flow_units |= unpacked
        previous = {key: solver.value(var) for key, var in variables.items()}
    handed, patterns, forms, bound = found
    shifts = hand_out(requirement, rules, people, handed, patterns, forms)
    cost = schedule_cost(requirement, advisors, rules, shifts)
    return Attempt(shifts, cost, bound, "cp-sat")


def _variables(built: ScheduleModel, kind) -> dict:
    """The model's variables of type ``kind`` by name (the lengths of flow classes are sums)."""
    named = {}
    for name in ("length", "count", "forms_at", "short", "forms_short", "lever_short"):
        for key, var in getattr(built, name).items():
            if isinstance(var, kind):
                named[name, key] = var
    return named


def _with_highs(requirement, advisors, rules, people, deadline, relative_gap):
    from ortools.linear_solver import pywraplp

    built = ScheduleModel(requirement, advisors, rules, weekly="flow", backend="highs")
    solver = built.model.solver
    # Keep a second for splitting the flows and handing out the shifts.
    solver.SetTimeLimit(max(500, int(1000 * (deadline - time.perf_counter() - 1))))
    solver.SetSolverSpecificParametersAsString("output_flag=false\n")  # no banner on stdout
    parameters = pywraplp.MPSolverParameters()
    parameters.SetDoubleParam(parameters.RELATIVE_MIP_GAP, max(relative_gap, 1e-6))
    if not built.model.consistent:
        return None
    status = solver.Solve(parameters)
    if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        return None

    def value(expression) -> int:
        return expression if isinstance(expression, int) else round(expression.solution_value())

    lengths, flows, patterns, forms = built.solution(value)
    handed = split_flows(requirement, rules, built.units, lengths, flows, built.lengths)
    shifts = hand_out(requirement, rules, people, handed, patterns, forms)
    cost = schedule_cost(requirement, advisors, rules, shifts)
    return Attempt(shifts, cost, solver.Objective().BestBound(), "highs")


def _solve_one(
    requirement: Requirement,
    advisors: list[AdvisorInput],
    rules: ShiftRules,
    *,
    time_limit: float,
    workers: int,
    relative_gap: float,
) -> tuple[list[AdvisorShift], str, str, float | None, float | None]:
    """``solve`` on one problem: summed model, then flow model, then greedy (module docstring)."""
    started = time.perf_counter()
    people = {a.key: a for a in advisors if a.group != "none"}
    attempts = []
    first = _with_cp_sat(
        requirement, advisors, rules, people, time_limit / 3, workers, relative_gap
    )
    if first is not None:
        attempts.append(first)
    bound = first.bound if first else None
    within = first is not None and first.cost - bound <= relative_gap * max(first.cost, 1)
    left = time_limit - (time.perf_counter() - started)
    if not within and left > 3:
        deadline = started + time_limit
        second = _with_highs(requirement, advisors, rules, people, deadline, relative_gap)
        if second is not None:
            attempts.append(second)
            bound = max(bound or 0.0, second.bound)
    proven = bound is not None and min(a.cost for a in attempts) <= bound + 1e-6
    if not within and not proven:  # the baseline too: a hard case never ends worse than it
        shifts = greedy_shifts(requirement, advisors, rules)
        cost = schedule_cost(requirement, advisors, rules, shifts)
        attempts.append(Attempt(shifts, cost, None, "greedy"))
    best = min(attempts, key=lambda attempt: attempt.cost)
    status = "optimal" if bound is not None and best.cost <= bound + 1e-6 else "feasible"
    return best.shifts, status, best.method, best.cost, bound


def solve(
    requirement: Requirement,
    advisors: list[AdvisorInput],
    rules: ShiftRules,
    *,
    time_limit: float,
    workers: int,
    relative_gap: float,
    by_week: bool = True,
) -> tuple[list[AdvisorShift], str, str, float | None, float | None]:
    """Shifts, status, method, objective and proven bound (module docstring); ``by_week``
    False solves the period as one problem, as before the weeks were cut apart."""
    parts = independent_weeks(requirement, advisors, rules) if by_week else []
    if len(parts) <= 1:
        return _solve_one(
            requirement,
            advisors,
            rules,
            time_limit=time_limit,
            workers=workers,
            relative_gap=relative_gap,
        )
    side_by_side = max(1, min(workers, len(parts)))
    budget = time_limit * side_by_side / len(parts)  # the weeks share the time limit

    def one(part):
        week, week_advisors = part
        return _solve_one(
            week,
            week_advisors,
            rules,
            time_limit=budget,
            workers=max(1, workers // side_by_side),
            relative_gap=relative_gap,
        )

    with ThreadPoolExecutor(side_by_side) as pool:
        solved = list(pool.map(one, parts))
    shifts = [shift for week_shifts, *_rest in solved for shift in week_shifts]
    bounds = [bound for *_rest, bound in solved]
    bound = None if None in bounds else sum(bounds)
    cost = schedule_cost(requirement, advisors, rules, shifts)  # the weeks' costs added up
    status = "optimal" if all(status == "optimal" for _s, status, *_r in solved) else "feasible"
    methods = sorted({method for _s, _t, method, *_r in solved})
    method = "+".join(methods) if len(methods) < 3 else "mixed"  # ScheduleRun.method: 16 chars
    return shifts, status, method, cost, bound


def default_workers() -> int:
    """The cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def optimise_schedule(
    requirement: Requirement,
    advisors: list[AdvisorInput],
    rules: ShiftRules | None = None,
    *,
    time_limit: float = 45.0,
    workers: int | None = None,
    relative_gap: float = 0.002,
    by_week: bool = True,
) -> ScheduleResult:
    """The schedule covering the requirement at the fewest paid hours (``solve``).

    Stops at ``time_limit`` seconds or once within ``relative_gap`` of the proven bound; the
    result carries the status, the method that found it, the objective and its bound.
    ``workers`` defaults to the cores available; ``by_week`` (see ``solve``).
    """
    rules = rules or ShiftRules()
    started = time.perf_counter()
    shifts, status, method, objective, bound = solve(
        requirement,
        advisors,
        rules,
        time_limit=time_limit,
        workers=workers or default_workers(),
        relative_gap=relative_gap,
        by_week=by_week,
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
