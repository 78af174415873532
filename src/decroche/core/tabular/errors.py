"""Errors of an import: whole-file problems stop it, row problems reject one row."""

from __future__ import annotations


class ImportFileError(Exception):
    """The file cannot be imported at all (empty, wrong encoding, missing columns...).

    The message names the file and, where it applies, the line and the field.
    """


class RowRejected(Exception):
    """One row is rejected: `field` names the column at fault (may be empty)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}" if field else reason)
        self.field = field
        self.reason = reason
