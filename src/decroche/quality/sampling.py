"""The monthly draw of contacts to evaluate (SPEC §7: "random quality checks", a committed
number of evaluations per advisor per month). Plain Python, no Django (checked by mypy).

The draw is stratified by contact reason: the committed count is shared between reasons
in proportion to the advisor's contacts of each (largest remainders, ties broken by the
reason's name), then drawn at random within each reason. The same candidates, count and
seed always give the same draw, so a plan can be re-drawn and checked by an auditor.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Hashable, Sequence
from fractions import Fraction
from typing import TypeVar

T = TypeVar("T", bound=Hashable)


def stratum_allocation(sizes: dict[str, int], count: int) -> dict[str, int]:
    """How many to draw from each stratum: proportional, largest remainders, never more
    than a stratum holds."""
    total = sum(sizes.values())
    count = min(count, total)
    if count <= 0:
        return {name: 0 for name in sizes}
    quotas = {name: Fraction(size * count, total) for name, size in sizes.items()}
    allocation = {name: int(quota) for name, quota in quotas.items()}
    remaining = count - sum(allocation.values())
    by_remainder = sorted(sizes, key=lambda name: (-(quotas[name] - allocation[name]), name))
    for name in by_remainder[:remaining]:
        allocation[name] += 1
    return allocation


def stratified_draw(candidates: Sequence[tuple[T, str]], count: int, seed: int) -> list[T]:
    """`count` candidates (id, stratum) drawn at random, stratified; reproducible from `seed`."""
    strata: dict[str, list[T]] = defaultdict(list)
    for item, stratum in candidates:
        strata[stratum].append(item)
    allocation = stratum_allocation({name: len(items) for name, items in strata.items()}, count)
    rng = random.Random(seed)
    drawn: list[T] = []
    for name in sorted(strata):
        drawn.extend(rng.sample(sorted(strata[name], key=str), allocation[name]))
    return drawn
