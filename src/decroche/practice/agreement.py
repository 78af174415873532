"""Inter-rater agreement of the two-evaluator assessment (issue 15 §5): share of exact
agreement and Cohen's kappa, per criterion or per evaluator pair. Pure: no Django import.

Cohen's kappa: κ = (p_o − p_e) / (1 − p_e), where p_o is the share of items both raters
put in the same category and p_e = Σ_k (n_k,a / n)(n_k,b / n) the agreement expected by
chance from each rater's own distribution. When p_e = 1 (both raters always used one and
the same category) κ is undefined: None."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence


def exact_agreement(pairs: Sequence[tuple[Hashable, Hashable]]) -> float | None:
    """Share of pairs where both raters gave the same category; None without pairs."""
    if not pairs:
        return None
    return sum(1 for a, b in pairs if a == b) / len(pairs)


def cohen_kappa(pairs: Sequence[tuple[Hashable, Hashable]]) -> float | None:
    if not pairs:
        return None
    n = len(pairs)
    observed = exact_agreement(pairs)
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[k] * second[k] for k in first) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)
