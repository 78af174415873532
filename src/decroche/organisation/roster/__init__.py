"""The roster import (docs/formats.md, "Roster"): sites, teams and advisors from one
CSV or XLSX file, one row per advisor, shown as a diff before it is applied.

- `rows`: reading the file and its mapping into checked `RosterRow`s (no database);
- `diff`: comparing the rows with the stored roster (`state.RosterState`) into a
  `result.RosterDiff` (no database either: the state is read by
  `organisation.selectors.roster_state`);
- `organisation.services.roster_import` / `roster_preview` apply it or only show it.
"""

from .diff import roster_diff
from .result import RosterDiff
from .rows import FIELDS, REQUIRED, RosterFile, RosterRow, roster_file_read
from .state import RosterState

__all__ = [
    "FIELDS",
    "REQUIRED",
    "RosterDiff",
    "RosterFile",
    "RosterRow",
    "RosterState",
    "roster_diff",
    "roster_file_read",
]
