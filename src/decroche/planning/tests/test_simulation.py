"""The simulation engine by hand, against the Erlang formulas, and on the real bank day."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from decroche.planning import erlang, simulation
from decroche.planning.simulation import exponential

REAL_CALLS = Path("/work/shared/data/real/technion_bank_calls_one_day.csv")


def test_fcfs_engine_by_hand():
    # One agent, talk 10 s each. Call 1 at 0 s is answered at once (ends 10). Call 2 at 1 s
    # has 5 s of patience: the agent frees at 10, later than 1 + 5, so it abandons at 6.
    # Call 3 at 2 s (patience 20) takes the agent at 10 (wait 8): the abandoner used no one.
    arrivals = np.array([[0.0, 1.0, 2.0]])
    services = np.full((1, 3), 10.0)
    patience = np.array([[np.inf, 5.0, 20.0]])
    starts, answered = simulation.run_fcfs(arrivals, services, patience, np.array([1]), np.inf)
    assert answered.tolist() == [[True, False, True]]
    assert (starts - arrivals).tolist() == [[0.0, 5.0, 8.0]]


def test_fcfs_engine_follows_staffing_per_period():
    # Periods of 10 s staffed 1, 0, 1: a call at 12 s waits for the agent's return at 20 s;
    # a call at 5 s taking 8 s is finished past the period's end (13 s) by the same agent.
    arrivals = np.array([[5.0, 12.0]])
    services = np.array([[8.0, 1.0]])
    patience = np.full((1, 2), np.inf)
    starts, answered = simulation.run_fcfs(arrivals, services, patience, np.array([1, 0, 1]), 10)
    assert answered.all()
    assert starts.tolist() == [[5.0, 20.0]]


def test_ratio_interval_by_hand():
    # Σx / Σn = (1 + 3) / (2 + 2) = 1; residuals x − n = (−1, 1), sd √2, mean n = 2,
    # t(1 dof, Cornish–Fisher) ≈ 9.0: half-width = t·√2 / (√2·2) = t / 2.
    estimate = simulation.ratio_interval(np.array([1, 3]), np.array([2, 2]))
    assert estimate.mean == 1.0
    half = simulation.student_quantile(1) / 2
    assert estimate.high == pytest.approx(1 + half)
    assert simulation.student_quantile(1000) == pytest.approx(1.9623, abs=1e-3)


def test_erlang_c_agrees_with_simulation_when_callers_are_patient():
    report = simulation.simulate_interval(
        calls=100,
        interval=1800,
        agents=12,
        service=exponential(180),
        answer_within=20,
        replications=600,
        seed=11,
    )
    model = erlang.evaluate(erlang.Workload(100, 180, 1800), 12, answer_within=20)
    assert report.answer_rate.mean == 1.0
    assert report.average_wait.contains(model.average_wait)
    assert report.service_level.contains(model.service_level)
    assert report.occupancy.contains(model.occupancy)


@pytest.mark.parametrize("agents", [31, 37])
def test_erlang_a_agrees_with_simulation(agents):
    report = simulation.simulate_interval(
        calls=250,
        interval=1800,
        agents=agents,
        service=exponential(250),
        patience=exponential(180),
        answer_within=20,
        replications=600,
        seed=agents,
    )
    workload = erlang.Workload(250, 250, 1800, patience=180)
    model = erlang.evaluate(workload, agents, answer_within=20)
    assert report.answer_rate.contains(model.answer_rate)
    assert report.average_wait.contains(model.average_wait)
    assert report.service_level.contains(model.service_level)


def test_erlang_c_mispredicts_when_callers_hang_up():
    # The contract example staffed by Erlang C (37 agents): callers who hang up after 180 s
    # on average shorten the queue, so the real wait is far below Erlang C's 67 s.
    workload = erlang.Workload(250, 250, 1800)
    model = erlang.evaluate(workload, 37, model=erlang.ERLANG_C)
    report = simulation.simulate_interval(
        calls=250,
        interval=1800,
        agents=37,
        service=exponential(250),
        patience=exponential(180),
        replications=300,
        seed=5,
    )
    assert model.average_wait > 60
    assert report.average_wait.high < model.average_wait / 3
    assert report.answer_rate.high < 1.0  # Erlang C says nobody is lost


def test_empirical_samplers_draw_observed_values():
    rng = np.random.default_rng(0)
    draws = simulation.empirical(np.array([3.0, 7.0]))(rng, (50,))
    assert set(draws.tolist()) == {3.0, 7.0}


@pytest.fixture
def real_rows():
    if not REAL_CALLS.exists():
        pytest.skip("real call data (/work/shared/data/real) is not available on this machine")
    with REAL_CALLS.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_real_day_is_read_as_documented(real_rows):
    trace = simulation.read_technion_calls(real_rows)
    # 2,375 records − 18 PHANTOM − 120 HANG in the IVR (q_time 0) = 2,237 queued calls,
    # of which 726 HANG with q_time > 0 abandoned in the queue.
    assert trace.arrivals.size == 2237
    assert int(trace.abandoned.sum()) == 726
    assert np.all(np.diff(trace.arrivals) >= 0)
    assert trace.mean_patience == pytest.approx(trace.waits.sum() / 726)


def test_replaying_the_real_day(real_rows):
    trace = simulation.read_technion_calls(real_rows)
    staffing = simulation.observed_staffing(real_rows)
    report = simulation.replay(trace, staffing, replications=8, seed=1)
    assert report.calls == 2237
    assert 0.5 < report.answer_rate.mean < 1.0
    assert 0 < report.average_wait.mean < 600
