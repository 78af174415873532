"""Benchmark: Erlang C staffing for every half-hour of four years, against pyworkforce.

Run (pyworkforce is a baseline only, not a project dependency; it pulls pandas and ortools,
so it lives in its own virtualenv):

    python3.11 -m venv var/bench-venv
    var/bench-venv/bin/pip install numpy==2.4.6 pyworkforce==0.5.1
    var/bench-venv/bin/python bench/staffing.py [--erlang-a] [--validation]

``--validation`` prints the tables of docs/staffing.md instead: Erlang C vs Erlang A vs
simulation for the contract example, and the replay of the real bank day.

Volumes are synthetic, drawn here with the calibration of ``decroche.synthetic.profiles``:
the yearly calls of SPEC §2 for 2026–2029 (1,424,153 / 1,736,929 / 2,060,359 / 1,936,502)
spread over French working days (weekends, fixed holidays and Easter-based holidays
removed) × 18 half-hours 08:30–17:30 with the generator's weekday, monthly and half-hour
profiles, a few +40% campaign weeks (SPEC §1), and Poisson counts. AHT varies around 250 s
(4.16 min, SPEC §1). Target: 80% answered within 20 s, occupancy at most 90%.
Both sides get the same inputs in seconds (pyworkforce's ``asa`` is the service-level
threshold, in the unit of ``aht`` and ``interval``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from decroche.planning import erlang  # noqa: E402
from decroche.synthetic.profiles import (  # noqa: E402
    CALLS_PER_YEAR,
    HALF_HOUR_PROFILE,
    MONTH_FACTOR,
    WEEKDAY_FACTOR,
)

# The generator's yearly totals and profiles (synthetic/profiles.py), four contract years.
YEARLY_CALLS = {year: CALLS_PER_YEAR[year] for year in (2026, 2027, 2028, 2029)}
HALF_HOURS = 18  # 08:30–17:30
INTRADAY = np.array(HALF_HOUR_PROFILE)
WEEKDAY = np.array(WEEKDAY_FACTOR[:5])
MONTH = np.array(MONTH_FACTOR)
SERVICE_LEVEL, ANSWER_WITHIN, MAX_OCCUPANCY = 0.8, 20.0, 0.9
INTERVAL = 1800.0


def easter(year: int) -> dt.date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * ell) // 433
    month = (h + ell - 7 * m + 90) // 25
    return dt.date(year, month, (h + ell - 7 * m + 33 * month + 19) % 32)


def working_days(year: int) -> list[dt.date]:
    fixed = {(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)}
    sunday = easter(year)
    moving = {sunday + dt.timedelta(days=n) for n in (1, 39, 50)}  # Easter Mon, Ascension, Whit
    day, days = dt.date(year, 1, 1), []
    while day.year == year:
        if day.weekday() < 5 and (day.month, day.day) not in fixed and day not in moving:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def synthetic_volumes(seed: int = 2026) -> tuple[np.ndarray, np.ndarray]:
    """Half-hour call counts and AHTs for the four contract years (see module docstring)."""
    rng = np.random.default_rng(seed)
    counts, ahts = [], []
    for year, total in YEARLY_CALLS.items():
        days = working_days(year)
        weight = np.array([WEEKDAY[d.weekday()] * MONTH[d.month - 1] for d in days])
        weight *= rng.lognormal(0, 0.1, len(days))
        for week in rng.choice(52, 3, replace=False):  # campaign weeks: +40% calls
            weight[[d.isocalendar()[1] == week + 1 for d in days]] *= 1.4
        expected = np.outer(weight, INTRADAY)
        expected *= total / expected.sum()
        counts.append(rng.poisson(expected).ravel())
        ahts.append(250 * rng.lognormal(0, 0.05, expected.size))
    return np.concatenate(counts).astype(float), np.concatenate(ahts)


def pyworkforce_counts(calls: np.ndarray, ahts: np.ndarray) -> np.ndarray:
    from pyworkforce.queuing import ErlangC

    result = np.zeros(calls.size, dtype=np.int64)
    for index, (count, aht) in enumerate(zip(calls, ahts, strict=True)):
        if count > 0:  # pyworkforce refuses 0 transactions
            model = ErlangC(transactions=count, aht=aht, asa=ANSWER_WITHIN, interval=INTERVAL)
            result[index] = model.required_positions(SERVICE_LEVEL, MAX_OCCUPANCY)["raw_positions"]
    return result


def explain(calls, ahts, ours, theirs) -> dict[str, int]:
    """Sort each mismatch: is ours the true minimum, and why did the baseline miss it?"""
    targets = erlang.Targets(
        service_level=SERVICE_LEVEL, answer_within=ANSWER_WITHIN, max_occupancy=MAX_OCCUPANCY
    )
    reasons: dict[str, int] = {}
    for index in np.flatnonzero(ours != theirs):
        workload = erlang.Workload(calls[index], ahts[index], INTERVAL)
        n = int(ours[index])
        minimal = erlang.meets(
            erlang.evaluate(workload, n, model=erlang.ERLANG_C, answer_within=ANSWER_WITHIN),
            targets,
        ) and (
            n == 1
            or not erlang.meets(
                erlang.evaluate(
                    workload, n - 1, model=erlang.ERLANG_C, answer_within=ANSWER_WITHIN
                ),
                targets,
            )
        )
        start = round(workload.offered_load + 1)  # where pyworkforce starts its search
        if minimal and theirs[index] > n and start > n:
            reason = "baseline starts at round(load + 1) > true minimum"
        elif minimal:
            reason = "other (ours verified minimal)"
        else:
            reason = "ours NOT minimal"
        reasons[reason] = reasons.get(reason, 0) + 1
    return reasons


def validation() -> None:
    """Erlang C, Erlang A and simulation side by side; then the real-day replay."""
    import csv

    from decroche.planning import simulation

    calls, aht, patience = 250, 250.0, 180.0
    print(
        f"{calls} calls / 30 min, AHT {aht:.0f} s, exponential patience {patience:.0f} s; "
        "simulation: 1,000 replications, 2 h warm-up, 95% CI"
    )
    print(
        "| agents | Erlang C wait | Erlang A wait | simulated wait | Erlang C answered "
        "| Erlang A answered | simulated answered | Erlang A SL20 | simulated SL20 |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for agents in (30, 33, 34, 36, 37, 40):
        c = erlang.evaluate(
            erlang.Workload(calls, aht, INTERVAL), agents, model=erlang.ERLANG_C, answer_within=20
        )
        a = erlang.evaluate(
            erlang.Workload(calls, aht, INTERVAL, patience), agents, answer_within=20
        )
        sim = simulation.simulate_interval(
            calls=calls,
            interval=INTERVAL,
            agents=agents,
            service=simulation.exponential(aht),
            patience=simulation.exponential(patience),
            answer_within=20,
            replications=1000,
            seed=agents,
        )

        def ci(e, scale=1.0, digits=1):
            return f"{e.mean * scale:.{digits}f} [{e.low * scale:.{digits}f}, {e.high * scale:.{digits}f}]"

        c_wait = f"{c.average_wait:.1f} s" if c.stable else "unstable"
        c_answered = "100%" if c.stable else f"{100 * c.answer_rate:.1f}% (∞ queue)"
        print(
            f"| {agents} | {c_wait} | {a.average_wait:.1f} s | {ci(sim.average_wait)} s "
            f"| {c_answered} | {100 * a.answer_rate:.1f}% | {ci(sim.answer_rate, 100)}% "
            f"| {100 * a.service_level:.1f}% | {ci(sim.service_level, 100)}% |"
        )

    path = Path("/work/shared/data/real/technion_bank_calls_one_day.csv")
    if not path.exists():
        print("real data absent: replay skipped")
        return
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    trace = simulation.read_technion_calls(rows)
    print(
        f"\nReal day: {trace.arrivals.size} queued calls, answer rate {trace.answer_rate:.1%}, "
        f"average wait {trace.average_wait:.1f} s, mean talk "
        f"{np.nanmean(trace.services):.1f} s, mean patience (censored MLE) "
        f"{trace.mean_patience:.1f} s"
    )
    observed = simulation.observed_staffing(rows)
    counts = np.bincount((trace.arrivals // INTERVAL).astype(int), minlength=observed.size)
    talk = float(np.nanmean(trace.services))
    needed = np.array(
        [
            erlang.required_agents(
                erlang.Workload(c, talk, INTERVAL, trace.mean_patience),
                erlang.Targets(answer_rate=0.9, average_wait=120),
            ).agents
            if c
            else 0
            for c in counts
        ]
    )
    predicted = [
        erlang.evaluate(erlang.Workload(c, talk, INTERVAL, trace.mean_patience), max(int(n), 1))
        for c, n in zip(counts, observed, strict=True)
    ]
    weights = counts / counts.sum()
    print(
        f"Erlang A per half-hour with the counted agents: answer rate "
        f"{sum(w * p.answer_rate for w, p in zip(weights, predicted, strict=True)):.1%}, "
        f"average wait "
        f"{sum(w * p.average_wait for w, p in zip(weights, predicted, strict=True)):.1f} s"
    )
    for label, staffing in (
        ("counted agents per half-hour", observed),
        ("Erlang A staffing (90%, 120 s)", needed),
    ):
        report = simulation.replay(trace, staffing, replications=100, seed=7)
        print(
            f"Replay, {label} ({int(staffing.sum())} agent-half-hours): answer rate "
            f"{report.answer_rate.mean:.1%} [{report.answer_rate.low:.1%}, "
            f"{report.answer_rate.high:.1%}], average wait {report.average_wait.mean:.1f} s "
            f"[{report.average_wait.low:.1f}, {report.average_wait.high:.1f}], "
            f"occupancy {report.occupancy.mean:.1%}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--erlang-a",
        action="store_true",
        help="also time Erlang A staffing (answer rate 90%%, wait 120 s, "
        "patience 180 s) for every interval",
    )
    parser.add_argument(
        "--validation",
        action="store_true",
        help="print the Erlang C / Erlang A / simulation tables instead",
    )
    args = parser.parse_args()
    if args.validation:
        validation()
        return
    calls, ahts = synthetic_volumes()
    print(
        f"Synthetic volumes (SPEC §2 yearly totals, decroche.synthetic profiles):"
        f" {calls.size} half-hours, {int(calls.sum()):,} calls, "
        f"max {int(calls.max())} calls per half-hour, mean AHT {ahts.mean():.0f} s"
    )
    targets = erlang.Targets(
        service_level=SERVICE_LEVEL, answer_within=ANSWER_WITHIN, max_occupancy=MAX_OCCUPANCY
    )

    started = time.perf_counter()
    ours = erlang.erlang_c_required_agents_many(calls, aht=ahts, interval=INTERVAL, targets=targets)
    ours_seconds = time.perf_counter() - started
    print(f"decroche Erlang C (vectorised): {ours_seconds:.3f} s")

    started = time.perf_counter()
    scalar = np.array(
        [
            erlang.required_agents(
                erlang.Workload(c, a, INTERVAL), targets, model=erlang.ERLANG_C
            ).agents
            for c, a in zip(calls, ahts, strict=True)
        ]
    )
    scalar_seconds = time.perf_counter() - started
    print(
        f"decroche Erlang C (one interval at a time): {scalar_seconds:.3f} s; "
        f"same counts as vectorised: {bool(np.array_equal(scalar, ours))}"
    )

    try:
        import pyworkforce  # noqa: F401
    except ImportError:
        print("pyworkforce not installed: see this file's docstring for the baseline venv.")
    else:
        started = time.perf_counter()
        theirs = pyworkforce_counts(calls, ahts)
        theirs_seconds = time.perf_counter() - started
        same = int(np.sum(ours == theirs))
        print(f"pyworkforce 0.5.1 ErlangC.required_positions: {theirs_seconds:.3f} s")
        print(
            f"speed-up vectorised: {theirs_seconds / ours_seconds:.0f}x; "
            f"one-at-a-time: {theirs_seconds / scalar_seconds:.1f}x"
        )
        print(f"agent counts identical: {same}/{calls.size}; mismatches: {calls.size - same}")
        for reason, count in explain(calls, ahts, ours, theirs).items():
            print(f"  {count} mismatches: {reason}")
        print(f"agent-half-hours: decroche {int(ours.sum()):,}, pyworkforce {int(theirs.sum()):,}")

    if args.erlang_a:
        contract = erlang.Targets(answer_rate=0.9, average_wait=120)
        started = time.perf_counter()
        agents_a = [
            erlang.required_agents(erlang.Workload(c, a, INTERVAL, patience=180.0), contract).agents
            for c, a in zip(calls, ahts, strict=True)
        ]
        print(
            f"decroche Erlang A (contract targets, patience 180 s): "
            f"{time.perf_counter() - started:.3f} s, {int(np.sum(agents_a)):,} agent-half-hours"
        )


if __name__ == "__main__":
    main()
