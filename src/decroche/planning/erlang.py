"""Staffing formulas for one interval: Erlang B, Erlang C (M/M/n) and Erlang A (M/M/n+M).

Pure module (numpy only, no Django). Times are in seconds. SPEC §3 gives the two contract
targets (answer rate ≥ 90%, average wait < 2 min) and SPEC §6 asks for staffing per interval.

Conventions, written once so every caller reads them the same way:

- ``average_wait`` is the contract's indicator (SPEC §3): total queue wait divided by calls
  received, i.e. over *all* callers, abandoned ones included (their wait is their patience).
  ``average_wait_answered`` is the classic ASA over answered calls only.
- ``service_level`` is P(answered within ``answer_within`` seconds) over all calls received;
  a caller who abandons counts as not answered within the threshold.
- ``occupancy`` is the carried load per agent: λ·(1 − P(abandon))·AHT / n.

Erlang A (Palm 1943; Garnett, Mandelbaum & Reiman 2002, "Designing a call center with
impatient customers", MSOM 4(3)) is evaluated exactly from the birth–death chain, with every
product kept in log space so hundreds of agents never overflow. For a caller who finds
``n + j`` calls in the system (j waiting ahead), its position falls at rate nμ + mθ (m =
its rank) and it abandons at rate θ, which gives in closed form:

- P(answered | j) = nμ / (nμ + (j+1)θ) (the product telescopes);
- E[wait | j] = (j+1) / (nμ + (j+1)θ);
- the time to reach an agent is a sum of Exp(nμ + mθ), m = 1..j+1, whose law is
  e^{−θS} ~ Beta(nμ/θ + 1, j+1), so P(S ≤ t) has a finite-sum incomplete beta.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is imported where it is used (docs/architecture.md)
    import numpy as np

ERLANG_C = "erlang-c"
ERLANG_A = "erlang-a"
MODELS = (ERLANG_C, ERLANG_A)
MAX_AGENTS = 100_000


@dataclass(frozen=True)
class Workload:
    """Calls offered in one interval: count, average handling time, length, mean patience."""

    calls: float
    aht: float
    interval: float
    patience: float | None = None

    def __post_init__(self) -> None:
        if self.calls < 0 or self.aht <= 0 or self.interval <= 0:
            raise ValueError("calls must be >= 0, aht and interval > 0")
        if self.patience is not None and self.patience <= 0:
            raise ValueError("patience must be > 0")

    @property
    def arrival_rate(self) -> float:
        return self.calls / self.interval

    @property
    def offered_load(self) -> float:
        """Offered load in erlangs (λ · AHT)."""
        return self.calls * self.aht / self.interval


@dataclass(frozen=True)
class Targets:
    """Targets a staffing must meet; ``None`` means "no target" (SPEC §3, §5)."""

    answer_rate: float | None = None
    average_wait: float | None = None
    service_level: float | None = None
    answer_within: float | None = None
    max_occupancy: float | None = None

    def __post_init__(self) -> None:
        # Targets no finite staffing can reach are refused here, once for every caller: the
        # search would otherwise stop where floating point rounds the wait to 0 (issue 17).
        if self.service_level is not None and self.answer_within is None:
            raise ValueError("a service_level target needs its answer_within threshold")
        if self.answer_rate is not None and not 0 <= self.answer_rate <= 1:
            raise ValueError("answer_rate target must be between 0 and 1")
        if self.average_wait is not None and not self.average_wait > 0:
            raise ValueError(
                "average_wait target must be > 0 seconds: no finite staffing has a zero wait"
            )
        if self.service_level is not None and not 0 <= self.service_level < 1:
            raise ValueError(
                "service_level target must be in [0, 1): some callers always wait, "
                "so 100% is never reached"
            )
        if self.answer_within is not None and not self.answer_within >= 0:
            raise ValueError("answer_within must be >= 0 seconds")
        if self.max_occupancy is not None and not 0 < self.max_occupancy <= 1:
            raise ValueError("max_occupancy target must be in (0, 1]")


@dataclass(frozen=True)
class Performance:
    """What a model predicts for ``agents`` agents on the phones."""

    model: str
    agents: int
    offered_load: float
    probability_wait: float
    answer_rate: float
    abandonment_rate: float
    average_wait: float
    average_wait_answered: float
    service_level: float | None
    answer_within: float | None
    occupancy: float
    stable: bool

    def as_dict(self) -> dict:
        return asdict(self)


# --- Erlang B and C --------------------------------------------------------------------------


def log_erlang_b_table(load: float, max_agents: int) -> np.ndarray:
    """log B(n, load) for n = 0..max_agents, by the stable recurrence B_n = aB/(n + aB)."""
    import numpy as np

    if load <= 0:
        return np.concatenate(([0.0], np.full(max_agents, -np.inf)))
    # Plain floats: this sequential loop is the hot spot of the one-interval search.
    log_load, log, exp = math.log(load), math.log, math.exp
    logs = [0.0]
    previous = 0.0
    for n in range(1, max_agents + 1):
        previous = log_load + previous - log(n + load * exp(previous))
        logs.append(previous)
    return np.array(logs)


def erlang_b(agents: int, load: float) -> float:
    """Blocking probability of M/M/n/n (Erlang B)."""
    return float(math.exp(log_erlang_b_table(load, agents)[agents]))


def erlang_c(agents: int, load: float) -> float:
    """Probability of waiting in M/M/n (Erlang C); 1 when the queue is unstable (n ≤ load)."""
    if agents <= load:
        return 1.0
    blocking = erlang_b(agents, load)
    return blocking / (1 - (load / agents) * (1 - blocking))


def _erlang_c_performance(
    workload: Workload, agents: int, answer_within: float | None, log_b: float
) -> Performance:
    load = workload.offered_load
    stable = agents > load
    if not stable:
        # Unstable: the queue grows without end; in the long run agents/load of calls get through.
        return Performance(
            ERLANG_C,
            agents,
            load,
            1.0,
            agents / load,
            0.0,
            math.inf,
            math.inf,
            0.0 if answer_within is not None else None,
            answer_within,
            1.0,
            False,
        )
    blocking = math.exp(log_b)
    wait_probability = blocking / (1 - (load / agents) * (1 - blocking)) if load > 0 else 0.0
    average_wait = wait_probability * workload.aht / (agents - load)
    service_level = None
    if answer_within is not None:
        decay = (agents - load) * answer_within / workload.aht
        service_level = 1 - wait_probability * math.exp(-decay)
    return Performance(
        ERLANG_C,
        agents,
        load,
        wait_probability,
        1.0,
        0.0,
        average_wait,
        average_wait,
        service_level,
        answer_within,
        load / agents,
        True,
    )


# --- Erlang A --------------------------------------------------------------------------------


def _queue_depth(workload: Workload, agents: int) -> int:
    """How many waiting positions to keep so the neglected tail is below e^-50."""
    assert workload.patience is not None  # Erlang A only (`performance` checks it)
    ratio = workload.arrival_rate * workload.patience  # λ/θ
    overload = max(0.0, ratio - agents * workload.patience / workload.aht)  # (λ − nμ)/θ
    return int(min(overload + 12 * math.sqrt(ratio + 1) + 60, 2_000_000))


def _erlang_a_performance(
    workload: Workload, agents: int, answer_within: float | None, log_b: float
) -> Performance:
    import numpy as np

    assert workload.patience is not None  # Erlang A only (`performance` checks it)
    arrival, theta = workload.arrival_rate, 1 / workload.patience
    service_capacity = agents / workload.aht  # nμ
    load = workload.offered_load
    if arrival == 0:
        return Performance(
            ERLANG_A,
            agents,
            0.0,
            0.0,
            1.0,
            0.0,
            0.0,
            0.0,
            1.0 if answer_within is not None else None,
            answer_within,
            0.0,
            True,
        )
    depth = _queue_depth(workload, agents)
    ranks = np.arange(1, depth + 1)  # rank of the arriving caller in the queue: j + 1
    exit_rates = service_capacity + ranks * theta  # nμ + (j+1)θ
    # log of π_{n+j} / π_n for j = 0..depth-1: Π_{i=1..j} λ / (nμ + iθ)
    log_tail = np.concatenate(([0.0], np.cumsum(np.log(arrival / exit_rates[:-1]))))
    log_total = np.logaddexp(-log_b, np.logaddexp.reduce(log_tail[1:])) if depth > 1 else -log_b
    found = np.exp(log_tail - log_total)  # P(arrival finds j waiting), PASTA
    wait_probability = float(found.sum())
    answered_if_found = service_capacity / exit_rates
    mean_wait = float(np.sum(found * ranks / exit_rates))
    abandonment = theta * mean_wait
    answer_rate = 1 - abandonment
    time_to_agent = np.cumsum(1 / exit_rates)  # E[S_{j+1}] = Σ_{m=1..j+1} 1/(nμ+mθ)
    waited_and_answered = float(np.sum(found * answered_if_found * time_to_agent))
    answered_wait = waited_and_answered / answer_rate if answer_rate > 0 else math.inf
    service_level = None
    if answer_within is not None:
        reached = _probability_reached_within(
            service_capacity / theta + 1, theta, answer_within, depth
        )
        service_level = (1 - wait_probability) + float(np.sum(found * answered_if_found * reached))
    occupancy = min(1.0, load * answer_rate / agents) if agents else 1.0
    return Performance(
        ERLANG_A,
        agents,
        load,
        wait_probability,
        answer_rate,
        abandonment,
        mean_wait,
        answered_wait,
        service_level,
        answer_within,
        occupancy,
        True,
    )


def _probability_reached_within(
    shape: float, theta: float, within: float, depth: int
) -> np.ndarray:
    """P(S_J ≤ t) for J = 1..depth, S_J = Σ_{m=1..J} Exp(θ(shape − 1 + m)).

    e^{−θ S_J} ~ Beta(shape, J), and for integer J the regularised incomplete beta is the
    finite sum I_z(a, J) = z^a Σ_{k<J} Γ(a+k)/(Γ(a) k!) (1−z)^k, with z = e^{−θt}.
    """
    import numpy as np

    if within <= 0:
        return np.zeros(depth)
    log_z = -theta * within
    log_one_minus_z = math.log(-math.expm1(log_z))
    k = np.arange(depth)
    log_terms = np.concatenate(([0.0], np.cumsum(np.log((shape + k[1:] - 1) / k[1:]))))
    log_terms = log_terms + k * log_one_minus_z
    log_cdf_beta = shape * log_z + np.logaddexp.accumulate(log_terms)
    return -np.expm1(np.minimum(log_cdf_beta, 0.0))


# --- Evaluation and search -------------------------------------------------------------------


def default_model(workload: Workload) -> str:
    """Erlang A when a patience is known, Erlang C otherwise (issue 5)."""
    return ERLANG_A if workload.patience is not None else ERLANG_C


def evaluate(
    workload: Workload, agents: int, *, model: str | None = None, answer_within: float | None = None
) -> Performance:
    """Predicted performance of ``agents`` agents on the phones (the reverse calculation)."""
    model = model or default_model(workload)
    if agents < 1:
        raise ValueError("agents must be >= 1")
    log_b = float(log_erlang_b_table(workload.offered_load, agents)[agents])
    return _evaluate(workload, agents, model, answer_within, log_b)


def _evaluate(workload, agents, model, answer_within, log_b) -> Performance:
    if model == ERLANG_C:
        return _erlang_c_performance(workload, agents, answer_within, log_b)
    if model == ERLANG_A:
        if workload.patience is None:
            raise ValueError("Erlang A needs a mean patience")
        return _erlang_a_performance(workload, agents, answer_within, log_b)
    raise ValueError(f"unknown model {model!r}")


def meets(performance: Performance, targets: Targets) -> bool:
    """True when every given target holds (answer rate, average wait, service level, occupancy)."""
    if not performance.stable:
        return False
    if targets.answer_rate is not None and performance.answer_rate < targets.answer_rate:
        return False
    if targets.average_wait is not None and (
        performance.average_wait is None or performance.average_wait > targets.average_wait
    ):
        return False
    if targets.service_level is not None and (
        performance.service_level is None or performance.service_level < targets.service_level
    ):
        return False
    return not (targets.max_occupancy is not None and performance.occupancy > targets.max_occupancy)


@dataclass(frozen=True)
class Staffing:
    """Minimal agents on the phones (``agents``) and agents to schedule after shrinkage."""

    agents: int
    scheduled_agents: int
    shrinkage: float
    performance: Performance


def scheduled_agents(agents: int, shrinkage: float) -> int:
    """Agents to schedule so ``agents`` remain on the phones: ceil(agents / (1 − shrinkage))."""
    if not 0 <= shrinkage < 1:
        raise ValueError("shrinkage must be in [0, 1)")
    # Round before ceil so 7 / (1 - 0.3) = 10.000000000000002 stays 10.
    return math.ceil(round(agents / (1 - shrinkage), 9))


def required_agents(
    workload: Workload, targets: Targets, *, model: str | None = None, shrinkage: float = 0.0
) -> Staffing:
    """Fewest agents meeting all ``targets``, then shrinkage applied (SPEC §3, §6).

    Every measure is monotone in the number of agents, so a bracketing then bisection search
    finds the minimum in O(log n) evaluations over one precomputed Erlang B table.
    """
    model = model or default_model(workload)
    if model == ERLANG_A and targets.answer_rate is not None and targets.answer_rate >= 1:
        # With impatient callers some always hang up: 100% is a limit, never a staffing.
        raise ValueError("answer_rate target of 100% cannot be met under Erlang A")
    if workload.offered_load > MAX_AGENTS:
        # Checked before building an Erlang B table of that size: the answer is known.
        raise ValueError(
            f"targets cannot be met (an offered load of {workload.offered_load:.0f} erlangs "
            f"needs more than {MAX_AGENTS} agents)"
        )
    if workload.calls == 0:
        performance = evaluate(workload, 1, model=model, answer_within=targets.answer_within)
        return Staffing(0, 0, shrinkage, performance)
    table_size = max(16, int(workload.offered_load * 2) + 16)
    log_b = log_erlang_b_table(workload.offered_load, table_size)

    def check(agents: int) -> tuple[bool, Performance]:
        nonlocal log_b
        if agents >= len(log_b):
            log_b = log_erlang_b_table(workload.offered_load, 2 * agents)
        result = _evaluate(workload, agents, model, targets.answer_within, float(log_b[agents]))
        return meets(result, targets), result

    # Bracket the answer around the offered load (√load steps, doubling), then bisect.
    step = max(1, math.ceil(math.sqrt(workload.offered_load)))
    guess = max(1, round(workload.offered_load))
    ok, result = check(guess)
    if ok:
        high, low = guess, guess - step
        while low > 0:
            ok_low, result_low = check(low)
            if not ok_low:
                break
            high, result, low = low, result_low, low - step
        low = max(low, 0)
    else:
        low, high = guess, guess + step
        ok, result = check(high)
        while not ok:
            if high > MAX_AGENTS:
                raise ValueError(f"targets cannot be met (no staffing up to {MAX_AGENTS} agents)")
            step *= 2
            low, high = high, high + step
            ok, result = check(high)
    best = result
    while high - low > 1:
        middle = (low + high) // 2
        ok, result = check(middle)
        if ok:
            high, best = middle, result
        else:
            low = middle
    return Staffing(high, scheduled_agents(high, shrinkage), shrinkage, best)


def erlang_c_required_agents_many(
    calls: np.ndarray,
    *,
    aht: float | np.ndarray,
    interval: float,
    targets: Targets,
) -> np.ndarray:
    """Minimal Erlang C agents for many intervals at once (before shrinkage).

    One pass over n = 1, 2, … updates Erlang B for every interval with the stable recurrence
    and records the first n meeting the targets; intervals with no call need 0 agents.
    """
    import numpy as np

    calls = np.asarray(calls, dtype=float)
    load = calls * np.asarray(aht, dtype=float) / interval
    needed = np.where(calls > 0, 0, 0).astype(np.int64)
    pending = calls > 0
    blocking = np.ones_like(load)
    n = 0
    while pending.any():
        n += 1
        if n > MAX_AGENTS:
            raise ValueError("targets cannot be met")
        blocking = load * blocking / (n + load * blocking)
        stable = pending & (n > load)
        if not stable.any():
            continue
        idx = np.flatnonzero(stable)
        a, b = load[idx], blocking[idx]
        wait_probability = b / (1 - (a / n) * (1 - b))
        ok = np.ones(idx.size, dtype=bool)
        aht_i = np.broadcast_to(np.asarray(aht, dtype=float), load.shape)[idx]
        if targets.average_wait is not None:
            ok &= wait_probability * aht_i / (n - a) <= targets.average_wait
        if targets.service_level is not None:
            level = 1 - wait_probability * np.exp(-(n - a) * targets.answer_within / aht_i)
            ok &= level >= targets.service_level
        if targets.max_occupancy is not None:
            ok &= a / n <= targets.max_occupancy
        done = idx[ok]
        needed[done] = n
        pending[done] = False
    return needed
