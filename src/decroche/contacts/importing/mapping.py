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
from decroche.core.tabular.mapping import FieldRule, field_rules, mapping_file_read, row_values

from .queue_log_events import OUTCOME_EVENTS, SINGLE_LINE_OUTCOMES
from .records import CALL_OUTCOMES, INSTANT_COLUMNS, OPTIONAL_COLUMNS, REQUIRED_COLUMNS

KINDS = ("calls", "forms", "agent-states", "queue-log")


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
    if "timezone" in data:
        try:
            timezone = ZoneInfo(str(data["timezone"]))
        except (ZoneInfoNotFoundError, ValueError):
            raise ImportFileError(f"{path.name}: unknown timezone {data['timezone']!r}") from None
    day = data.get("date")
    if day is not None and not isinstance(day, dt.date):
        raise ImportFileError(f"{path.name}: date must be a TOML date such as 2010-08-01")
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
    create = data.get("create_advisors", {})
    return Mapping(
        name=path.name,
        kind=kind,
        encoding=data.get("encoding"),
        delimiter=data.get("delimiter"),
        sheet=data.get("sheet"),
        timezone=timezone,
        date=day,
        tolerance_seconds=data.get("time_order_tolerance_seconds"),
        source_system=data.get("source_system"),
        create_advisors_on_site=str(create.get("site", "")) if isinstance(create, dict) else "",
        fields=fields,
        queues={str(k): str(v) for k, v in data.get("queues", {}).items()},
        agents={str(k): str(v) for k, v in data.get("agents", {}).items()},
        outcomes=_queue_log_outcomes(path, data.get("outcomes", {})),
        default_site=str(data.get("default_site", "")),
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
