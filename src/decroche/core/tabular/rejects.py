"""The rejects file: one CSV line per rejected row (line, field, reason, raw).

Rejected lines are raw source lines, personal data included, so (issue 17.12;
docs/formats.md, "Rejected rows"):
- the raw line is masked before it is written: the cells of the personal columns the
  import names (`personal`) are replaced by `***`, and NIRs, phone numbers and e-mail
  addresses anywhere in the line by a token (`identifiers.mask_identifiers`);
- the file is created private (mode 600, in a directory of mode 700);
- it keeps the first `KEPT_IN_FULL` rejected lines (each cut at `RAW_MAX_CHARACTERS`),
  then only counts by reason, written at the end of the file, so that a hostile file
  cannot fill the disk;
- `summary()` gives the counts by reason and the first few masked lines, for the
  results page.
Pure module (no Django import).
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Callable, Collection
from pathlib import Path
from typing import IO, Any

from ..formula_injection import csv_safe
from .identifiers import mask_identifiers

HEADER = ("line", "field", "reason", "raw")
KEPT_IN_FULL = 1000  # rejected lines kept in full; beyond, counts by reason only
RAW_MAX_CHARACTERS = 4096  # a longer line is cut (a CSV field can reach 128 kB)
SAMPLE_SIZE = 5  # first rejected lines shown on the results page
PERSONAL_MASK = "***"
FILE_MODE = 0o600
DIRECTORY_MODE = 0o700

# What varies in a reason (quoted values, numbers) is left out of the key it is counted by.
_QUOTED = re.compile(r"""'[^']*'|"[^"]*"|(?<!ISO )\b\d+(?:\.\d+)?\b""")
_TRAILING_VALUE = re.compile(r"(?:\s+N)+$")
_DETAIL = re.compile(r":\s|\s\(")


def reason_key(reason: str) -> str:
    """The part of a reason that names the kind of fault, without the values:
    `not a number of seconds: 'abc'` → `not a number of seconds`,
    `3 values for 5 columns (truncated line?)` → `N values for N columns`."""
    head = _DETAIL.split(reason, maxsplit=1)[0]
    key = _TRAILING_VALUE.sub("", " ".join(_QUOTED.sub("N", head).split()))
    return key or reason[:80]


def line_masker(
    header: list[str], personal: Collection[str], separator: str
) -> Callable[[str], str]:
    """A function masking the cells of `personal` columns in a raw line joined by
    `separator` (as `source.Row.raw` builds it); a line of another width keeps its cells
    and is masked by pattern only."""
    indexes = [index for index, name in enumerate(header) if name in personal]
    width = len(header)

    def mask(raw: str) -> str:
        if not indexes:
            return raw
        cells = raw.split(separator)
        if len(cells) != width:
            return raw
        for index in indexes:
            if cells[index]:
                cells[index] = PERSONAL_MASK
        return separator.join(cells)

    return mask


class RejectsWriter:
    """Opens its file at the first reject only, so a clean import leaves no file."""

    def __init__(self, path: Path, *, kept_in_full: int | None = None) -> None:
        self.path = path
        self.count = 0
        self.kept_in_full = KEPT_IN_FULL if kept_in_full is None else kept_in_full
        # Set by the import once it knows the columns (`line_masker`).
        self.mask_line: Callable[[str], str] = lambda raw: raw
        self.by_reason: dict[tuple[str, str], int] = {}
        self.sample: list[tuple[int, str, str, str]] = []
        self._kept = 0
        self._not_kept: dict[tuple[str, str], int] = {}
        self._pending: list[tuple[int, str, str, str]] = []
        self._pending_keys: list[tuple[str, str]] = []
        self._handle: IO[str] | None = None
        self._writer: Any = None

    def add(self, line: int, field: str, reason: str, raw: str) -> None:
        key = (field, reason_key(reason))
        self._pending_keys.append(key)
        if self._kept + len(self._pending) < self.kept_in_full:
            raw = self.mask_line(raw)
            if len(raw) > RAW_MAX_CHARACTERS:
                raw = f"{raw[:RAW_MAX_CHARACTERS]}… ({len(raw)} characters, cut)"
            masked, _count = mask_identifiers(raw)
            self._pending.append((line, field, reason, masked))

    def flush(self) -> None:
        for key in self._pending_keys:
            self.by_reason[key] = self.by_reason.get(key, 0) + 1
        kept = len(self._pending)
        for key in self._pending_keys[kept:]:
            self._not_kept[key] = self._not_kept.get(key, 0) + 1
        if self._pending_keys:
            self._open()
        if self._pending and self._handle is not None:
            self._writer.writerows([csv_safe(v) for v in row] for row in self._pending)
            self._handle.flush()
            room = SAMPLE_SIZE - len(self.sample)
            self.sample.extend(self._pending[: max(0, room)])
        self.count += len(self._pending_keys)
        self._kept += kept
        self._pending.clear()
        self._pending_keys.clear()

    def discard_pending(self) -> None:
        self._pending.clear()
        self._pending_keys.clear()

    def close(self) -> None:
        if self._handle is None:
            return
        for (field, key), count in sorted(self._not_kept.items()):
            self._writer.writerow(
                ("", field, key, f"{count} more rejected line(s) for this reason, not kept")
            )
        self._not_kept.clear()
        self._handle.close()
        self._handle = None

    def summary(self) -> dict:
        """Counts by (field, reason) and the first masked lines, as stored JSON."""
        return {
            "by_reason": [
                {"field": field, "reason": key, "count": count}
                for (field, key), count in sorted(self.by_reason.items(), key=lambda i: -i[1])
            ],
            "sample": [
                {"line": line, "field": field, "reason": reason, "raw": raw}
                for line, field, reason, raw in self.sample
            ],
            "kept_in_full": min(self.count, self.kept_in_full),
        }

    def _open(self) -> None:
        if self._handle is not None:
            return
        self.path.parent.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
        descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
        os.fchmod(descriptor, FILE_MODE)  # an existing file keeps its mode otherwise
        self._handle = open(descriptor, "w", encoding="utf-8", newline="")  # noqa: SIM115
        self._writer = csv.writer(self._handle)
        self._writer.writerow(HEADER)
