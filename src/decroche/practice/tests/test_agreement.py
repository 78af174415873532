"""Agreement between two evaluators (issue 15 §5), on a hand-computed table."""

from __future__ import annotations

import pytest

from decroche.practice.agreement import cohen_kappa, exact_agreement


def test_kappa_on_a_hand_computed_table():
    # 10 items, levels 0..2. Contingency (rows A, columns B):
    #        B0 B1 B2
    #   A0 [  3  1  0 ]   A0 = 4
    #   A1 [  0  3  1 ]   A1 = 4
    #   A2 [  0  0  2 ]   A2 = 2
    #   B:    3  4  3
    # p_o = (3 + 3 + 2) / 10 = 0.8
    # p_e = (4·3 + 4·4 + 2·3) / 100 = (12 + 16 + 6) / 100 = 0.34
    # κ = (0.8 − 0.34) / (1 − 0.34) = 0.46 / 0.66 = 0.69697…
    pairs = [(0, 0)] * 3 + [(0, 1)] + [(1, 1)] * 3 + [(1, 2)] + [(2, 2)] * 2
    assert exact_agreement(pairs) == pytest.approx(0.8)
    assert cohen_kappa(pairs) == pytest.approx(0.46 / 0.66)


def test_kappa_edge_cases():
    assert cohen_kappa([]) is None and exact_agreement([]) is None
    assert cohen_kappa([(1, 1), (1, 1)]) is None  # p_e = 1: undefined
    # Complete disagreement on two balanced categories: p_o = 0, p_e = 0.5, κ = −1
    assert cohen_kappa([(0, 1), (1, 0)]) == pytest.approx(-1.0)
