"""Column-mapping files: read another system's export without code (docs/formats.md).

A mapping is a TOML file saying, for each field of the documented format, where its
value comes from in the source file (a column, several joined, the first non-empty of
several, or a constant), which source values mean "empty", how source codes translate,
and which source codes reject a row with a given reason. Pure module.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from decroche.core.tabular.errors import ImportFileError, RowRejected

from .records import INSTANT_COLUMNS, OPTIONAL_COLUMNS, REQUIRED_COLUMNS

KINDS = ("calls", "forms", "agent-states", "queue-log")


@dataclass(frozen=True)
class FieldRule:
    """Where one documented field takes its value from."""

    columns: tuple[str, ...] = ()
    how: str = "column"  # column | join | first_of | value
    separator: str = "-"
    constant: str = ""
    empty: frozenset[str] = frozenset()
    values: dict[str, str] = field(default_factory=dict)
    reject: dict[str, str] = field(default_factory=dict)


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
        row: dict[str, object] = {}
        for name, rule in self.fields.items():
            value = _pick(rule, source)
            if value in rule.reject:
                raise RowRejected(name, rule.reject[value])
            if rule.values:
                value = rule.values.get(value, value)
            if value and self.date is not None and name in INSTANT_COLUMNS and "-" not in value:
                row[name] = _on_date(name, value, self.date)
            else:
                row[name] = value
        return row


def _pick(rule: FieldRule, source: dict[str, str]) -> str:
    if rule.how == "value":
        return rule.constant
    if rule.how == "first_of":
        for column in rule.columns:
            value = (source.get(column) or "").strip()
            if value and value not in rule.empty:
                return value
        return ""
    if rule.how == "join":
        parts = [(source.get(column) or "").strip() for column in rule.columns]
        return "" if not all(parts) else rule.separator.join(parts)
    value = (source.get(rule.columns[0]) or "").strip()
    return "" if value in rule.empty else value


def _on_date(name: str, value: str, day: dt.date) -> dt.datetime:
    """A time of day (h:mm[:ss]) on the mapping's constant date."""
    try:
        parts = [int(part) for part in value.split(":")]
        return dt.datetime.combine(day, dt.time(*parts))
    except (TypeError, ValueError):
        raise RowRejected(name, f"not a time of day (h:mm:ss): {value!r}") from None


def _rule(path: Path, name: str, spec: object, global_empty: frozenset[str]) -> FieldRule:
    where = f"{path.name}: field {name!r}"
    if isinstance(spec, str):
        return FieldRule(columns=(spec,), empty=global_empty)
    if not isinstance(spec, dict):
        raise ImportFileError(f"{where}: expected a column name or a table")
    empty = global_empty | frozenset(str(value) for value in spec.get("empty", []))
    common = {
        "empty": empty,
        "values": {str(k): str(v) for k, v in spec.get("values", {}).items()},
        "reject": {str(k): str(v) for k, v in spec.get("reject", {}).items()},
    }
    if "value" in spec:
        return FieldRule(how="value", constant=str(spec["value"]), **common)
    if "column" in spec:
        return FieldRule(columns=(str(spec["column"]),), **common)
    if "join" in spec:
        return FieldRule(
            columns=tuple(spec["join"]),
            how="join",
            separator=str(spec.get("separator", "-")),
            **common,
        )
    if "first_of" in spec:
        return FieldRule(columns=tuple(spec["first_of"]), how="first_of", **common)
    raise ImportFileError(f"{where}: give one of column, join, first_of or value")


def load_mapping(path: Path, *, kind: str) -> Mapping:
    """Read and check a mapping file; errors name the file and the key at fault."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ImportFileError(
            f"{path.name}: cannot read the mapping file ({error.strerror})"
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ImportFileError(f"{path.name}: not a valid TOML mapping file ({error})") from None
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
    global_empty = frozenset(str(value) for value in data.get("empty", []))
    fields = {
        name: _rule(path, name, spec, global_empty) for name, spec in data.get("fields", {}).items()
    }
    if kind != "queue-log":
        known = set(REQUIRED_COLUMNS[kind]) | set(OPTIONAL_COLUMNS[kind])
        unknown = sorted(set(fields) - known)
        if unknown:
            raise ImportFileError(
                f"{path.name}: unknown field(s) {', '.join(unknown)} for {kind} (known: {', '.join(sorted(known))})"
            )
        defaulted = {"source_system"} if data.get("source_system") else set()
        missing = [
            name for name in REQUIRED_COLUMNS[kind] if name not in fields and name not in defaulted
        ]
        if missing:
            raise ImportFileError(
                f"{path.name}: required field(s) not mapped: {', '.join(missing)}"
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
        outcomes={str(k): str(v) for k, v in data.get("outcomes", {}).items()},
        default_site=str(data.get("default_site", "")),
    )
