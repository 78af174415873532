"""Erlang B, C and A against published values, hand computations and exact rationals."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from decroche.planning import erlang
from decroche.planning.erlang import Targets, Workload

# Published reference: CRAN package ErlangC 0.1.0 (Damonsoul, 2024-12-05), README example
# https://rdocumentation.org/packages/ErlangC/versions/0.1.0 — 100 calls in 30 min, AHT 180 s,
# 20 s threshold: with 14 agents traffic 10, wait probability 0.1741319, service level
# 0.88835, ASA 7.83593701177724 s, occupancy 0.7142857; 14 agents needed for 80% in 20 s;
# its search trace starts at 11 agents with wait probability 0.6821182.
CRAN_EXAMPLE = Workload(calls=100, aht=180, interval=1800)


def test_erlang_c_matches_the_published_cran_example():
    result = erlang.evaluate(CRAN_EXAMPLE, 14, model=erlang.ERLANG_C, answer_within=20)
    assert result.offered_load == pytest.approx(10.0)
    assert result.probability_wait == pytest.approx(0.1741319, abs=5e-8)
    assert result.service_level == pytest.approx(0.88835, abs=5e-6)
    assert result.average_wait == pytest.approx(7.83593701177724, rel=1e-9)
    assert result.occupancy == pytest.approx(0.7142857, abs=5e-8)
    eleven = erlang.evaluate(CRAN_EXAMPLE, 11, model=erlang.ERLANG_C)
    assert eleven.probability_wait == pytest.approx(0.6821182, abs=5e-8)
    staffing = erlang.required_agents(CRAN_EXAMPLE, Targets(service_level=0.8, answer_within=20))
    assert staffing.agents == 14


def test_erlang_b_and_c_by_hand():
    # B(2, 1) = (1²/2!) / (1 + 1 + 1²/2!) = 0.5 / 2.5 = 0.2
    assert erlang.erlang_b(2, 1.0) == pytest.approx(0.2)
    # C(2, 1) = B / (1 − ρ(1 − B)) = 0.2 / (1 − 0.5 × 0.8) = 1/3
    assert erlang.erlang_c(2, 1.0) == pytest.approx(1 / 3)
    # Wolfram Language ErlangB documentation: 30 lines, 25 erlangs → "approximately 0.05";
    # the exact sum (25^30/30!) / Σ_{k≤30} 25^k/k! computed in rationals gives 0.0526…
    exact = Fraction(25**30, math.factorial(30)) / sum(
        Fraction(25**k, math.factorial(k)) for k in range(31)
    )
    assert erlang.erlang_b(30, 25.0) == pytest.approx(float(exact), rel=1e-12)
    assert round(erlang.erlang_b(30, 25.0), 2) == 0.05
    assert erlang.erlang_c(3, 3.0) == 1.0  # unstable: everybody waits


def test_large_loads_do_not_overflow_and_match_a_log_space_sum():
    load, agents = 900.0, 950
    # Independent: log of a^k/k! with lgamma, summed with a log-sum-exp.
    logs = np.array([k * math.log(load) - math.lgamma(k + 1) for k in range(agents + 1)])
    expected_b = math.exp(logs[-1] - np.logaddexp.reduce(logs))
    assert erlang.erlang_b(agents, load) == pytest.approx(expected_b, rel=1e-9)
    workload = Workload(calls=900 * 1800 / 250, aht=250, interval=1800, patience=180)
    result = erlang.evaluate(workload, agents, answer_within=20)
    assert 0 < result.probability_wait < 1
    assert 0 < result.answer_rate <= 1 and math.isfinite(result.average_wait)
    staffing = erlang.required_agents(workload, Targets(answer_rate=0.9, average_wait=120))
    assert 700 < staffing.agents < 1000


def test_erlang_a_single_agent_by_hand():
    # M/M/1+M with λ = μ = θ = 1: π_k = π_0/k! (rates λ up, 1 + (k−1) = k down), so the
    # number in system is Poisson(1), π_0 = e^-1. P(wait) = 1 − e^-1, E[queue] =
    # E[K] − P(K ≥ 1) = 1 − (1 − e^-1) = e^-1, P(abandon) = θ E[queue] / λ = e^-1,
    # average wait (Little) = E[queue] / λ = e^-1 s.
    workload = Workload(calls=1800, aht=1, interval=1800, patience=1)
    result = erlang.evaluate(workload, 1, answer_within=0)
    assert result.probability_wait == pytest.approx(1 - math.exp(-1), rel=1e-12)
    assert result.abandonment_rate == pytest.approx(math.exp(-1), rel=1e-12)
    assert result.average_wait == pytest.approx(math.exp(-1), rel=1e-12)
    assert result.service_level == pytest.approx(math.exp(-1), rel=1e-12)  # answered at once


def _erlang_a_exact(arrival: Fraction, service: Fraction, theta: Fraction, agents: int, depth=80):
    """Stationary birth–death chain in exact rationals, truncated far in the tail."""
    weights = [Fraction(1)]
    for k in range(1, agents + depth):
        death = min(k, agents) * service + max(k - agents, 0) * theta
        weights.append(weights[-1] * arrival / death)
    total = sum(weights)
    waiting = sum(weights[agents:]) / total
    queue = sum((k - agents) * w for k, w in enumerate(weights) if k > agents) / total
    return waiting, theta * queue / arrival, queue / arrival


@pytest.mark.parametrize(
    ("calls", "aht", "patience", "agents"),
    [(40, 300, 120, 5), (60, 200, 300, 6), (20, 600, 60, 4), (90, 240, 200, 8)],
)
def test_erlang_a_against_exact_rational_chain(calls, aht, patience, agents):
    workload = Workload(calls=calls, aht=aht, interval=1800, patience=patience)
    arrival = Fraction(calls, 1800)
    waiting, abandonment, wait = _erlang_a_exact(
        arrival, Fraction(1, aht), Fraction(1, patience), agents
    )
    result = erlang.evaluate(workload, agents)
    assert result.probability_wait == pytest.approx(float(waiting), rel=1e-10)
    assert result.abandonment_rate == pytest.approx(float(abandonment), rel=1e-10)
    assert result.average_wait == pytest.approx(float(wait), rel=1e-10)
    assert result.answer_rate == pytest.approx(1 - float(abandonment), rel=1e-10)


def test_erlang_a_limits():
    patient = Workload(calls=100, aht=180, interval=1800, patience=1e9)
    c = erlang.evaluate(CRAN_EXAMPLE, 12, model=erlang.ERLANG_C, answer_within=20)
    a = erlang.evaluate(patient, 12, model=erlang.ERLANG_A, answer_within=20)
    assert a.probability_wait == pytest.approx(c.probability_wait, rel=1e-5)
    assert a.average_wait == pytest.approx(c.average_wait, rel=1e-4)
    assert a.service_level == pytest.approx(c.service_level, rel=1e-5)
    # Callers who hang up at once: abandonment = blocking of the loss system, Erlang B.
    hasty = Workload(calls=100, aht=180, interval=1800, patience=1e-6)
    assert erlang.evaluate(hasty, 12).abandonment_rate == pytest.approx(
        erlang.erlang_b(12, 10.0), rel=1e-4
    )
    # A very long threshold: everyone answered is answered within it.
    impatient = Workload(calls=250, aht=250, interval=1800, patience=180)
    long_wait = erlang.evaluate(impatient, 33, answer_within=50_000)
    assert long_wait.service_level == pytest.approx(long_wait.answer_rate, rel=1e-9)


def test_service_level_is_between_immediate_answers_and_answer_rate():
    workload = Workload(calls=250, aht=250, interval=1800, patience=180)
    previous = None
    for within in (0, 10, 20, 60, 120, 600):
        result = erlang.evaluate(workload, 34, answer_within=within)
        assert 1 - result.probability_wait - 1e-12 <= result.service_level
        assert result.service_level <= result.answer_rate + 1e-12
        assert previous is None or result.service_level > previous
        previous = result.service_level


def test_required_agents_is_the_minimum_meeting_every_target():
    targets = Targets(
        answer_rate=0.9, average_wait=120, service_level=0.7, answer_within=20, max_occupancy=0.95
    )
    for calls in (5, 37, 120, 250, 600):
        for model, patience in ((erlang.ERLANG_A, 180), (erlang.ERLANG_C, None)):
            workload = Workload(calls=calls, aht=250, interval=1800, patience=patience)
            staffing = erlang.required_agents(workload, targets, model=model)
            scan = next(
                n
                for n in range(1, 500)
                if erlang.meets(
                    erlang.evaluate(workload, n, model=model, answer_within=20), targets
                )
            )
            assert staffing.agents == scan, (calls, model)


def test_contract_example_needs_fewer_agents_with_erlang_a():
    workload = Workload(calls=250, aht=250, interval=1800, patience=180)
    targets = Targets(answer_rate=0.9, average_wait=120)
    erlang_a = erlang.required_agents(workload, targets, shrinkage=0.3)
    assert erlang_a.agents == 34  # 33 agents: answer rate 0.8996 < 0.90
    assert erlang.evaluate(workload, 33).answer_rate < 0.9 < erlang_a.performance.answer_rate
    assert erlang_a.scheduled_agents == 49  # ceil(34 / 0.7) = ceil(48.57)
    erlang_c = erlang.required_agents(workload, targets, model=erlang.ERLANG_C)
    assert erlang_c.agents == 37  # first n > 34.72 erlangs with ASA ≤ 120 s


def test_scheduled_agents_rounds_up_without_float_noise():
    assert erlang.scheduled_agents(7, 0.3) == 10  # 7 / 0.7 is 10.000000000000002 in floats
    assert erlang.scheduled_agents(34, 0.3) == 49
    assert erlang.scheduled_agents(34, 0.0) == 34
    with pytest.raises(ValueError):
        erlang.scheduled_agents(3, 1.0)


def test_vectorised_search_matches_the_single_search():
    rng = np.random.default_rng(3)
    calls = np.concatenate(([0, 1, 2], rng.integers(1, 2000, 200)))
    aht = rng.uniform(120, 400, calls.size)
    targets = Targets(service_level=0.8, answer_within=20, max_occupancy=0.9)
    batch = erlang.erlang_c_required_agents_many(calls, aht=aht, interval=1800, targets=targets)
    for count, handling, agents in zip(calls, aht, batch, strict=True):
        single = erlang.required_agents(
            Workload(count, handling, 1800), targets, model=erlang.ERLANG_C
        )
        assert agents == single.agents


def test_invalid_inputs_are_refused():
    with pytest.raises(ValueError):
        Workload(calls=10, aht=0, interval=1800)
    with pytest.raises(ValueError):
        Targets(service_level=0.8)
    with pytest.raises(ValueError):
        erlang.evaluate(Workload(calls=10, aht=100, interval=1800), 2, model=erlang.ERLANG_A)
    with pytest.raises(ValueError):
        erlang.required_agents(Workload(10, 100, 1800, patience=60), Targets(max_occupancy=0.0))


def test_targets_out_of_reach_are_refused_at_construction():
    for bad in (
        {"average_wait": 0.0},
        {"average_wait": -1.0},
        {"service_level": 1.0, "answer_within": 20},
        {"answer_rate": 1.2},
        {"max_occupancy": 0.0},
        {"service_level": 0.8, "answer_within": -1},
    ):
        with pytest.raises(ValueError):
            Targets(**bad)
    # A threshold alone is fine: it only says where to measure the service level.
    assert Targets(answer_within=20).service_level is None
    with pytest.raises(ValueError, match="Erlang A"):
        erlang.required_agents(Workload(10, 100, 1800, patience=60), Targets(answer_rate=1.0))
