"""The kinds of file `decroche import KIND FILE` takes, each registered by the app that owns it.

An app registers its kinds in its `AppConfig.ready()` (contacts: calls, forms, advisor
states, queue_log), so the command lives here at the bottom and never imports the apps
above it. A kind's `run` takes keyword arguments `path`, `mapping_path`, `user`,
`show_progress`, `batch_size`, `rejects_path`, returns an `ImportSummary`, and raises
`ImportFileError` when the file cannot be imported at all. A kind may also offer a
`preview` (same arguments, writes nothing) for `decroche import KIND FILE --dry-run`: it
returns an object with `as_dict()` (printed with `--json`) and `as_text()`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class ImportSummary:
    """What an import of any kind accounts for: rows = accepted + rejected + duplicates."""

    batch_id: int | None
    kind: str
    file_name: str
    rows: int
    accepted: int
    rejected: int
    duplicates: int
    rejects_path: str | None  # CSV of rejected rows (line, field, reason, raw), None when no reject
    # NIRs, phone numbers and e-mail addresses masked in free-text fields (issue 17.13).
    masked_identifiers: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class ImportKind:
    name: str  # the command's KIND, e.g. "calls", "orders", "roster"
    description: str  # one line for `decroche import --help`
    run: Callable[..., Any]
    preview: Callable[..., Any] | None = None  # what the import would change, writing nothing


_KINDS: dict[str, ImportKind] = {}


def import_kind_register(kind: ImportKind) -> None:
    """Register one kind (an app's `ready()` calls this; a later call replaces it)."""
    _KINDS[kind.name] = kind


def import_kinds() -> dict[str, ImportKind]:
    """The registered kinds by name, in registration order."""
    return dict(_KINDS)
