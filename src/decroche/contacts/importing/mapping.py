"""Column-mapping files: read another system's export without code (docs/formats.md).

A mapping is a TOML file saying, for each field of the documented format, where its
value comes from in the source file (a column, several joined, the first non-empty of
several, or a constant), which source values mean "empty", how source codes translate,
which source codes reject a row with a given reason, and what a field becomes when
another is empty (`when_empty`). Pure module.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from decroche.core.tabular.errors import ImportFileError, RowRejected
from decroche.core.tabular.mapping import (
    FieldRule,
    field_rules,
    file_options,
    mapping_file_read,
    mapping_number,
    mapping_table,
    mapping_text,
    row_values,
)

from .convert import EARLIEST_YEAR, LATEST_YEAR
from .queue_log_events import OUTCOME_EVENTS, SINGLE_LINE_OUTCOMES
from .records import CALL_OUTCOMES, INSTANT_COLUMNS, OPTIONAL_COLUMNS, REQUIRED_COLUMNS

KINDS = ("calls", "forms", "agent-states", "queue-log")
# Clocks of the IVR and of the ACD disagree by a second or two; beyond ten minutes the
# order check would no longer catch a call that ends before it starts (docs/formats.md).
MAX_TOLERANCE_SECONDS = 600


@dataclass(frozen=True)
class Mapping:
    name: str
    kind: str
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    timezone: dt.tzinfo | None = None
    date: dt.date | None = None
    tolerance_seconds: int | None = None
    source_system: str | None = None
    create_advisors_on_site: str = ""
    fields: dict[str, FieldRule] = field(default_factory=dict)
    # queue_log only: queue → site code, agent channel → advisor login, event → outcome.
    queues: dict[str, str] = field(default_factory=dict)
    agents: dict[str, str] = field(default_factory=dict)
    outcomes: dict[str, str] = field(default_factory=dict)
    default_site: str = ""

    def source_columns(self) -> set[str]:
        return {column for rule in self.fields.values() for column in rule.columns}

    def apply(self, source: dict[str, str]) -> dict[str, object]:
        """The documented-format row built from one source row (cells by column name)."""
        values = row_values(self.fields, source)
        row: dict[str, object] = dict(values)
        if self.date is not None:
            for name in INSTANT_COLUMNS.intersection(values):
                value = values[name]
                if value and "-" not in value:
                    row[name] = _on_date(name, value, self.date)
        return row


def _on_date(name: str, value: str, day: dt.date) -> dt.datetime:
    """A time of day (h:mm[:ss]) on the mapping's constant date."""
    try:
        parts = [int(part) for part in value.split(":")]
        return dt.datetime.combine(day, dt.time(*parts))
    except (TypeError, ValueError):
        raise RowRejected(name, f"not a time of day (h:mm:ss): {value!r}") from None


def load_mapping(path: Path, *, kind: str) -> Mapping:
    """Read and check a mapping file; errors name the file and the key at fault."""
    data = mapping_file_read(path)
    mapped_kind = data.get("kind", kind)
    if mapped_kind != kind:
        raise ImportFileError(
            f"{path.name}: this mapping is for {mapped_kind!r} imports, not {kind!r}"
        )
    timezone = None
    zone_name = mapping_text(path, data, "timezone", max_length=64)
    if zone_name is not None:
        try:
            timezone = ZoneInfo(zone_name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise ImportFileError(
                f"{path.name}: timezone = {zone_name!r}: unknown timezone "
                '(expected a name such as "Europe/Paris" or "America/Cayenne")'
            ) from None
    day = data.get("date")
    if day is not None and (
        not isinstance(day, dt.date) or not EARLIEST_YEAR <= day.year <= LATEST_YEAR
    ):
        raise ImportFileError(
            f"{path.name}: date = {day!r}: expected a TOML date such as 2010-08-01, "
            f"in the years {EARLIEST_YEAR} to {LATEST_YEAR}"
        )
    create = mapping_table(path.name, data, "create_advisors")
    options = file_options(path, data)
    tolerance = mapping_number(
        path,
        data,
        "time_order_tolerance_seconds",
        minimum=0,
        maximum=MAX_TOLERANCE_SECONDS,
        unit="seconds",
    )
    source_system = mapping_text(path, data, "source_system", max_length=32)
    queues = mapping_table(path.name, data, "queues")
    agents = mapping_table(path.name, data, "agents")
    outcomes = mapping_table(path.name, data, "outcomes")
    default_site = mapping_text(path, data, "default_site", max_length=32) or ""
    if kind == "queue-log":
        fields = field_rules(path, data, kind=kind, known=data.get("fields", {}))
    else:
        fields = field_rules(
            path,
            data,
            kind=kind,
            known=(*REQUIRED_COLUMNS[kind], *OPTIONAL_COLUMNS[kind]),
            required=REQUIRED_COLUMNS[kind],
            defaulted={"source_system"} if data.get("source_system") else (),
        )
    return Mapping(
        name=path.name,
        kind=kind,
        encoding=options.encoding,
        delimiter=options.delimiter,
        sheet=options.sheet,
        timezone=timezone,
        date=day,
        tolerance_seconds=tolerance,
        source_system=source_system,
        create_advisors_on_site=create.get("site", ""),
        fields=fields,
        queues=queues,
        agents=agents,
        outcomes=_queue_log_outcomes(path, outcomes),
        default_site=default_site,
    )


def _queue_log_outcomes(path: Path, outcomes: object) -> dict[str, str]:
    """`[outcomes]` of a queue-log mapping: each entry must be able to take effect, that is
    name an event that ends a call unanswered and an outcome such a call can have."""
    if not isinstance(outcomes, dict):
        raise ImportFileError(f'{path.name}: [outcomes] must be a table of EVENT = "outcome"')
    checked = {}
    for event, outcome in outcomes.items():
        where = f"{path.name}: [outcomes] {event}"
        if event not in OUTCOME_EVENTS:
            raise ImportFileError(
                f"{where}: not a queue_log event that ends a call unanswered, so the entry "
                f"would have no effect (one of {', '.join(sorted(OUTCOME_EVENTS))})"
            )
        allowed = CALL_OUTCOMES - {"answered"}
        if event not in SINGLE_LINE_OUTCOMES:
            # The caller waited in the queue: not a call that ended in the IVR.
            allowed -= {"ended_in_ivr"}
        if outcome not in allowed:
            raise ImportFileError(
                f"{where} = {outcome!r}: not an outcome of a call ending on {event} "
                f"(one of {', '.join(sorted(allowed))})"
            )
        checked[str(event)] = str(outcome)
    return checked
