"""The rejects file: one CSV line per rejected row (line, field, reason, raw)."""

from __future__ import annotations

import csv
from pathlib import Path

HEADER = ("line", "field", "reason", "raw")


class RejectsWriter:
    """Opens its file at the first reject only, so a clean import leaves no file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self._pending: list[tuple[int, str, str, str]] = []
        self._handle = None

    def add(self, line: int, field: str, reason: str, raw: str) -> None:
        self._pending.append((line, field, reason, raw))

    def flush(self) -> None:
        if not self._pending:
            return
        if self._handle is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self.path.open("w", encoding="utf-8", newline="")
            self._writer = csv.writer(self._handle)
            self._writer.writerow(HEADER)
        self._writer.writerows(self._pending)
        self._handle.flush()
        self.count += len(self._pending)
        self._pending.clear()

    def discard_pending(self) -> None:
        self._pending.clear()

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
