"""Folding finest-grain measure values into coarser grains (SPEC §3), with no Django import.

Every measure is a count or a sum, so the value of a coarse group is exactly the sum of
the values of the fine groups it contains: one query at the finest grain serves every
grain asked for. A coarse group exists when at least one fine group falls into it, as in
a database `GROUP BY`.

Buckets and key parts are held as integer codes (factorised once, column by column, only
for the columns a grain needs), so folding is a `numpy` group-by, not a Python loop.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is imported where it is used (docs/architecture.md)
    import numpy as np

GrainKey = tuple[str | None, ...]


def factorise(values: Sequence[Hashable]) -> tuple[np.ndarray, list]:
    """Integer codes for `values` and the value of each code, in order of appearance."""
    import numpy as np

    labels: dict = {}
    codes = np.fromiter(
        (labels.setdefault(value, len(labels)) for value in values), np.int64, len(values)
    )
    return codes, list(labels)


@dataclass
class Coded:
    """One key column (or the buckets): a code per row and the value of each code."""

    codes: np.ndarray
    labels: list


@dataclass
class FineValues:
    """Measure values per (bucket start, fine key): one row of `values` per row of key.

    `columns` names the key's parts (e.g. `("site", "team", "reason", "advisor")`). Build it
    from Python rows (`from_rows`) or from codes already at hand (`from_codes`).
    """

    columns: tuple[str, ...]
    values: np.ndarray  # shape (rows, number of measures), float64
    buckets: Coded
    _keys: list[GrainKey] | None = None
    _coded: dict[str, Coded] = field(default_factory=dict)

    @classmethod
    def from_rows(
        cls,
        columns: Sequence[str],
        buckets: Sequence[dt.date],
        keys: Sequence[GrainKey],
        values: np.ndarray,
    ) -> FineValues:
        return cls(tuple(columns), values, Coded(*factorise(buckets)), list(keys))

    @classmethod
    def from_codes(
        cls, columns: Sequence[str], buckets: Coded, keys: dict[str, Coded], values: np.ndarray
    ) -> FineValues:
        return cls(tuple(columns), values, buckets, None, dict(keys))

    @classmethod
    def empty(cls, columns: Sequence[str], measure_count: int) -> FineValues:
        import numpy as np

        return cls.from_rows(columns, [], [], np.zeros((0, measure_count)))

    def __len__(self) -> int:
        return len(self.values)

    def column(self, name: str) -> Coded:
        """The codes of one key column, factorised on first use."""
        if name not in self._coded:
            position = self.columns.index(name)
            assert self._keys is not None
            self._coded[name] = Coded(*factorise([key[position] for key in self._keys]))
        return self._coded[name]


def group_sum(codes: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of `codes` (rows, parts) and the sum of `values` for each.

    Each row of codes is packed into one int64 (mixed radix, one digit per part), then
    sorted once: a group-by in a handful of vectorised passes.
    """
    import numpy as np

    if len(codes) == 0:
        return codes, np.zeros((0, values.shape[1]))
    packed = np.zeros(len(codes), dtype=np.int64)
    for part in range(codes.shape[1]):
        packed = packed * (int(codes[:, part].max()) + 1) + codes[:, part]
    order = np.argsort(packed, kind="stable")
    ordered = packed[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    return codes[order[starts]], np.add.reduceat(values[order], starts, axis=0)


def fold(
    fine: FineValues,
    grain: Sequence[str],
    constants: dict[str, str] | None = None,
) -> dict[tuple[dt.date, GrainKey], np.ndarray]:
    """Sum the fine rows into (bucket start, grain key) groups.

    A grain part found in `constants` (a source's fixed channel) takes that value on
    every row; every other part must be one of `fine.columns`.
    """
    import numpy as np

    constants = constants or {}
    if len(fine) == 0:
        return {}
    names = [g for g in grain if g not in constants]
    parts = {name: fine.column(name) for name in names}
    codes = np.column_stack([fine.buckets.codes, *(part.codes for part in parts.values())])
    groups, totals = group_sum(codes, fine.values)
    folded: dict[tuple[dt.date, GrainKey], np.ndarray] = {}
    for group, total in zip(groups.tolist(), totals, strict=True):
        code_of = dict(zip(names, group[1:], strict=True))
        key = tuple(constants[g] if g in constants else parts[g].labels[code_of[g]] for g in grain)
        folded[(fine.buckets.labels[group[0]], key)] = total
    return folded
