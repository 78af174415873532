"""Discrete-event simulation of a first-come-first-served call queue with impatient callers.

Pure module (numpy only). It checks the Erlang formulas of ``erlang.py`` (issue 5) and
replays a real day of calls. The engine uses the FCFS recursion: calls are taken in arrival
order, each one goes to the agent who can start it earliest; if that start comes after the
caller's patience runs out the caller abandons and no agent is used. Every replication runs
in lock-step, so one numpy step per call serves all replications at once.

Measures follow ``erlang.py``: the average wait is over all calls received (an abandoned
caller waited its patience, SPEC §3) and the service level counts calls answered within the
threshold over all calls received.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Sampler = Callable[[np.random.Generator, tuple[int, ...]], np.ndarray]


@dataclass(frozen=True)
class Estimate:
    """Mean over replications with a 95% confidence interval (Student t)."""

    mean: float
    low: float
    high: float

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high


@dataclass(frozen=True)
class SimulationReport:
    replications: int
    calls: float
    answer_rate: Estimate
    average_wait: Estimate
    service_level: Estimate | None
    occupancy: Estimate


def exponential(mean: float) -> Sampler:
    """Sampler of exponential times with the given mean."""
    return lambda rng, shape: rng.exponential(mean, shape)


def empirical(values: np.ndarray) -> Sampler:
    """Sampler drawing, with replacement, from observed times."""
    values = np.asarray(values, dtype=float)
    return lambda rng, shape: rng.choice(values, size=shape)


def student_quantile(degrees: int) -> float:
    """97.5% quantile of Student's t (Cornish–Fisher expansion, error < 1e-3 for ν ≥ 3)."""
    z = 1.959963984540054
    nu = max(degrees, 1)
    return z + (z**3 + z) / (4 * nu) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * nu**2)


def confidence_interval(samples: np.ndarray) -> Estimate:
    samples = np.asarray(samples, dtype=float)
    mean = float(samples.mean())
    if samples.size < 2:
        return Estimate(mean, -math.inf, math.inf)
    half = student_quantile(samples.size - 1) * float(samples.std(ddof=1)) / math.sqrt(samples.size)
    return Estimate(mean, mean - half, mean + half)


def ratio_interval(numerators: np.ndarray, denominators: np.ndarray) -> Estimate:
    """Pooled ratio Σx / Σn over replications with a delta-method 95% interval.

    Per-call measures (answer rate, wait) are ratios; averaging per-replication ratios would
    over-weight quiet replications, so the pooled ratio is what matches a steady-state formula.
    """
    x = np.asarray(numerators, dtype=float)
    n = np.asarray(denominators, dtype=float)
    ratio = float(x.sum() / max(n.sum(), 1.0))
    if x.size < 2:
        return Estimate(ratio, -math.inf, math.inf)
    residual_sd = float(np.std(x - ratio * n, ddof=1))
    half = student_quantile(x.size - 1) * residual_sd / (math.sqrt(x.size) * max(n.mean(), 1e-12))
    return Estimate(ratio, float(ratio - half), float(ratio + half))


def run_fcfs(
    arrivals: np.ndarray,
    services: np.ndarray,
    patience: np.ndarray,
    staffing: np.ndarray,
    period: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Start times and answered flags for calls (rows = replications, columns sorted arrivals).

    ``staffing[k]`` agents may start calls during period k (agent j works when j <
    staffing[k]); an agent finishes a call started before its period ends. Padding arrivals
    are ``inf``. Unanswered calls get start = arrival + patience.
    """
    replications, calls = arrivals.shape
    staffing = np.asarray(staffing, dtype=np.int64)
    width = int(staffing.max()) if staffing.size else 0
    starts = arrivals + patience
    answered = np.zeros(arrivals.shape, dtype=bool)
    if width == 0:
        return starts, answered
    # next_start[j, k]: earliest time ≥ start of period k when agent j is on duty.
    on_duty = np.arange(width)[:, None] < staffing[None, :]
    next_start = np.full((width, staffing.size + 1), np.inf)
    for k in range(staffing.size - 1, -1, -1):
        next_start[:, k] = np.where(on_duty[:, k], k * period, next_start[:, k + 1])
    last_period = staffing.size - 1
    free = np.zeros((replications, width))
    rows = np.arange(replications)
    for column in range(calls):
        arrival = arrivals[:, column]
        candidate = np.maximum(free, arrival[:, None])
        finite = np.isfinite(candidate)
        period_index = np.full(candidate.shape, last_period)
        period_index[finite] = np.minimum(candidate[finite] // period, last_period)
        working = on_duty[np.arange(width)[None, :], period_index]
        candidate = np.where(
            working, candidate, next_start[np.arange(width)[None, :], period_index]
        )
        agent = candidate.argmin(axis=1)
        start = candidate[rows, agent]
        served = np.isfinite(arrival) & np.isfinite(start)
        served[served] = start[served] - arrival[served] <= patience[served, column]
        free[rows[served], agent[served]] = start[served] + services[served, column]
        starts[served, column] = start[served]
        answered[:, column] = served
    return starts, answered


def _padded_poisson(rng, rate: float, horizon: float, replications: int) -> np.ndarray:
    counts = rng.poisson(rate * horizon, replications)
    width = max(int(counts.max()), 1)
    times = rng.uniform(0, horizon, (replications, width))
    times[np.arange(width)[None, :] >= counts[:, None]] = np.inf  # keep `count` iid uniforms
    return np.sort(times, axis=1)


def simulate_interval(
    *,
    calls: float,
    interval: float,
    agents: int,
    service: Sampler,
    patience: Sampler | None = None,
    answer_within: float | None = None,
    replications: int = 200,
    warmup: float | None = None,
    seed: int = 0,
) -> SimulationReport:
    """Simulate one interval of Poisson arrivals with ``agents`` agents, many replications.

    Calls arriving during a warm-up (default: four intervals) fill the queue first, so the
    measured interval starts near the steady state the Erlang formulas describe; only calls
    arriving in the measured interval are counted, followed until answered or abandoned.
    """
    rng = np.random.default_rng(seed)
    warmup = 4 * interval if warmup is None else warmup
    arrivals = _padded_poisson(rng, calls / interval, warmup + interval, replications)
    services = service(rng, arrivals.shape)
    patiences = patience(rng, arrivals.shape) if patience else np.full(arrivals.shape, np.inf)
    starts, answered = run_fcfs(arrivals, services, patiences, np.array([agents]), math.inf)
    measured = (arrivals >= warmup) & np.isfinite(arrivals)
    received = measured.sum(axis=1)
    waits = np.where(measured, starts - np.where(measured, arrivals, 0.0), 0.0)
    service_level = None
    if answer_within is not None:
        in_time = answered & measured & (waits <= answer_within)
        service_level = ratio_interval(in_time.sum(axis=1), received)
    ends = np.where(answered, starts + services, starts)
    busy = np.clip(np.minimum(ends, warmup + interval) - np.maximum(starts, warmup), 0, None)
    occupancy = np.where(answered, busy, 0.0).sum(axis=1) / (agents * interval)
    return SimulationReport(
        replications=replications,
        calls=float(measured.sum(axis=1).mean()),
        answer_rate=ratio_interval((answered & measured).sum(axis=1), received),
        average_wait=ratio_interval(waits.sum(axis=1), received),
        service_level=service_level,
        occupancy=confidence_interval(occupancy),
    )


# --- Replay of a real day --------------------------------------------------------------------


@dataclass(frozen=True)
class CallTrace:
    """Calls that reached the queue: entry time (s since midnight), wait, outcome, talk time."""

    arrivals: np.ndarray
    waits: np.ndarray
    abandoned: np.ndarray
    services: np.ndarray  # NaN for abandoned calls

    @property
    def mean_patience(self) -> float:
        """Exponential-patience estimate: total queue wait / abandonments (censored MLE)."""
        return float(self.waits.sum() / max(int(self.abandoned.sum()), 1))

    @property
    def answer_rate(self) -> float:
        return float(1 - self.abandoned.mean())

    @property
    def average_wait(self) -> float:
        return float(self.waits.mean())


def _seconds(clock: str) -> int:
    hours, minutes, seconds = (int(part) for part in clock.split(":"))
    return hours * 3600 + minutes * 60 + seconds


def read_technion_calls(rows) -> CallTrace:
    """Queued calls of the Technion SEE bank extract (``technion_bank_calls_one_day.csv``).

    PHANTOM records are dropped; HANG with q_time 0 hung up in the IVR and never queued;
    HANG with q_time > 0 abandoned in the queue; AGENT calls with q_time 0 were answered at
    once (their entry time is ser_start, q_start being blank).
    """
    arrivals, waits, abandoned, services = [], [], [], []
    for row in rows:
        wait = int(row["q_time"])
        if row["outcome"] == "AGENT":
            entry = _seconds(row["q_start"]) if wait > 0 else _seconds(row["ser_start"])
            arrivals.append(entry)
            services.append(float(row["ser_time"]))
            abandoned.append(False)
        elif row["outcome"] == "HANG" and wait > 0:
            arrivals.append(_seconds(row["q_start"]))
            services.append(math.nan)
            abandoned.append(True)
        else:
            continue
        waits.append(wait)
    order = np.argsort(arrivals, kind="stable")
    return CallTrace(
        arrivals=np.asarray(arrivals, dtype=float)[order],
        waits=np.asarray(waits, dtype=float)[order],
        abandoned=np.asarray(abandoned)[order],
        services=np.asarray(services, dtype=float)[order],
    )


def replay(
    trace: CallTrace,
    staffing: np.ndarray,
    *,
    period: float = 1800.0,
    replications: int = 50,
    seed: int = 0,
) -> SimulationReport:
    """Replay the real calls (arrival times kept) against ``staffing`` agents per period.

    What the data does not show is drawn at random, hence replications: talk time of calls
    that abandoned (from the answered calls' talk times) and patience of answered calls (their
    observed wait plus an exponential residual with the estimated mean: patience is censored
    by the answer, and memoryless under the Erlang A assumption). Observed abandoners keep
    their observed patience.
    """
    rng = np.random.default_rng(seed)
    shape = (replications, trace.arrivals.size)
    arrivals = np.broadcast_to(trace.arrivals, shape).copy()
    answered_talk = trace.services[~trace.abandoned]
    services = np.where(trace.abandoned, rng.choice(answered_talk, size=shape), trace.services)
    residual = rng.exponential(trace.mean_patience, shape)
    patience = np.where(trace.abandoned, trace.waits, trace.waits + residual)
    starts, answered = run_fcfs(arrivals, services, patience, np.asarray(staffing), period)
    waits = starts - arrivals
    ends = np.where(answered, starts + services, starts)
    horizon = period * len(staffing)
    busy = np.where(answered, np.clip(np.minimum(ends, horizon) - starts, 0, None), 0.0)
    agent_time = period * float(np.sum(staffing))
    return SimulationReport(
        replications=replications,
        calls=float(trace.arrivals.size),
        answer_rate=confidence_interval(answered.mean(axis=1)),
        average_wait=confidence_interval(waits.mean(axis=1)),
        service_level=None,
        occupancy=confidence_interval(busy.sum(axis=1) / max(agent_time, 1.0)),
    )


def observed_staffing(rows, *, period: float = 1800.0, periods: int = 48) -> np.ndarray:
    """Distinct agents who started a call in each period.

    An upper bound of the agents effectively on the phones: someone who took one call in
    the half-hour counts as a full agent, even if they spent the rest of it elsewhere.
    """
    agents: list[set[str]] = [set() for _ in range(periods)]
    for row in rows:
        if row["outcome"] == "AGENT":
            index = min(int(_seconds(row["ser_start"]) // period), periods - 1)
            agents[index].add(row["server"])
    return np.array([len(names) for names in agents], dtype=np.int64)
