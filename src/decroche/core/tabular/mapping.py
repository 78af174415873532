"""Column-mapping rules shared by every import kind (docs/formats.md, "Mapping files").

A mapping file is TOML; for each documented field it says where the value comes from in
the source file: a column, several joined, the first non-empty of several, or a constant;
which source values mean "empty", how source codes translate, which source codes
reject the row with a given reason, and which value the field takes when another field of
the row is empty (`when_empty`). Each app checks the field names against its own format.
Pure module.
"""

from __future__ import annotations

import codecs
import math
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ImportFileError, RowRejected


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
    # other field → the value this one takes when that field is empty in the row: one value
    # whatever the source says (str), or one per source code (dict, other codes unchanged).
    when_empty: dict[str, str | dict[str, str]] = field(default_factory=dict)


def mapping_file_read(path: Path) -> dict:
    """The TOML content of a mapping file; errors name the file."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ImportFileError(
            f"{path.name}: cannot read the mapping file ({error.strerror})"
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ImportFileError(f"{path.name}: not a valid TOML mapping file ({error})") from None


@dataclass(frozen=True)
class FileOptions:
    """How to read the source file, from the top of a mapping (each key optional)."""

    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None


def file_options(path: Path, data: dict) -> FileOptions:
    """`encoding` (a text encoding Python knows: `cp1252`, `utf-16-le`...), `delimiter`
    (one character) and `sheet` (an XLSX sheet name, at most 31 characters), checked:
    an error names the file, the key and what it accepts."""
    encoding = mapping_text(path, data, "encoding", max_length=40)
    if encoding is not None:
        try:
            is_text = codecs.lookup(encoding)._is_text_encoding  # type: ignore[attr-defined]
        except LookupError:
            is_text = None
        if not is_text:
            what = "not a text encoding" if is_text is False else "unknown encoding"
            raise ImportFileError(
                f"{path.name}: encoding = {encoding!r}: {what} (expected a text encoding "
                'such as "utf-8", "cp1252", "latin-1" or "utf-16-le")'
            )
    delimiter = mapping_text(path, data, "delimiter", max_length=1)
    if delimiter is not None and (len(delimiter) != 1 or delimiter in '"\r\n'):
        raise ImportFileError(
            f"{path.name}: delimiter = {delimiter!r}: expected one character other than a "
            'quote or a line break (such as ";", ",", "|" or a tab)'
        )
    return FileOptions(
        encoding=encoding,
        delimiter=delimiter,
        sheet=mapping_text(path, data, "sheet", max_length=31),
    )


def mapping_text(path: Path, data: dict, key: str, *, max_length: int) -> str | None:
    """The text value of a top-level key (None when absent): a string of at most
    `max_length` characters, else an error naming the file and the key."""
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > max_length:
        raise ImportFileError(
            f"{path.name}: {key} = {_shown(value)}: expected a text of at most {max_length} "
            "character(s)"
        )
    return value


def mapping_number(
    path: Path, data: dict, key: str, *, minimum: float, maximum: float, unit: str = ""
) -> int | None:
    """The whole-number value of a top-level key (None when absent), within
    [`minimum`, `maximum`], else an error naming the file, the key and the allowed range."""
    value = data.get(key)
    if value is None:
        return None
    whole = (
        isinstance(value, int)
        and not isinstance(value, bool)
        or isinstance(value, float)
        and math.isfinite(value)
        and value.is_integer()
    )
    if not whole or not minimum <= value <= maximum:
        suffix = f" {unit}" if unit else ""
        raise ImportFileError(
            f"{path.name}: {key} = {_shown(value)}: expected a whole number from {minimum:g} "
            f"to {maximum:g}{suffix}"
        )
    return int(value)


def mapping_table(where: str, data: dict, key: str) -> dict[str, str]:
    """A table of texts (`[queues]`, `[agents]`, a field's `values`...) as text keys and
    values; a value that is itself a table or a list is an error naming `where` (the
    file, and the field) and the key."""
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ImportFileError(f"{where}: {key} must be a table (name = value)")
    for name, item in value.items():
        if isinstance(item, dict | list | bool):
            raise ImportFileError(
                f"{where}: {key}.{name} = {_shown(item)}: expected a text or a number"
            )
    return {str(name): str(item) for name, item in value.items()}


def _texts(where: str, key: str, value: object) -> list[str]:
    """A list of texts (`empty`, `join`, `first_of`); an error names where and the key."""
    if not isinstance(value, list) or any(isinstance(item, dict | list) for item in value):
        raise ImportFileError(f"{where}: {key} must be a list of texts")
    return [str(item) for item in value]


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def field_rules(
    path: Path,
    data: dict,
    *,
    kind: str,
    known: Iterable[str],
    required: Iterable[str] = (),
    defaulted: Iterable[str] = (),
) -> dict[str, FieldRule]:
    """The `[fields]` table of a mapping, checked against the kind's documented fields:
    an unknown field or a required one left unmapped names the file and the fields."""
    global_empty = frozenset(_texts(path.name, "empty", data.get("empty", [])))
    specs = data.get("fields", {})
    if not isinstance(specs, dict):
        raise ImportFileError(f"{path.name}: fields must be a table (field = column)")
    fields = {name: _rule(path, name, spec, global_empty) for name, spec in specs.items()}
    known = set(known)
    unknown = sorted(set(fields) - known)
    if unknown:
        raise ImportFileError(
            f"{path.name}: unknown field(s) {', '.join(unknown)} for {kind} (known: {', '.join(sorted(known))})"
        )
    missing = [name for name in required if name not in fields and name not in set(defaulted)]
    if missing:
        raise ImportFileError(f"{path.name}: required field(s) not mapped: {', '.join(missing)}")
    for name, rule in fields.items():
        for other in rule.when_empty:
            if other == name or other not in fields:
                raise ImportFileError(
                    f"{path.name}: field {name!r}: when_empty names {other!r}, "
                    "which is not another mapped field"
                )
    return fields


def row_values(rules: dict[str, FieldRule], source: dict[str, str]) -> dict[str, str]:
    """The value of every mapped field from one source row (cells by column name).

    Each field's source value is picked first, so that a `when_empty` rule sees whether
    another field is empty (blank or one of its `empty` values) before any translation.
    """
    picked = {name: _pick(rule, source) for name, rule in rules.items()}
    return {name: _field_value(rule, name, picked[name], picked) for name, rule in rules.items()}


def _field_value(
    rule: FieldRule, field_name: str, value: str, picked: dict[str, str] | None = None
) -> str:
    """One field's picked source value, translated. A source code listed under `reject`
    rejects the row, whatever the other fields; then, when a field named in `when_empty`
    is empty in the row (`picked`), its value replaces the translation."""
    if value in rule.reject:
        raise RowRejected(field_name, rule.reject[value])
    for other, override in rule.when_empty.items():
        if picked is not None and not picked.get(other):
            if isinstance(override, str):
                return override
            if value in override:
                return override[value]
    return rule.values.get(value, value) if rule.values else value


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


def _rule(path: Path, name: str, spec: object, global_empty: frozenset[str]) -> FieldRule:
    where = f"{path.name}: field {name!r}"
    if isinstance(spec, str):
        return FieldRule(columns=(spec,), empty=global_empty)
    if not isinstance(spec, dict):
        raise ImportFileError(f"{where}: expected a column name or a table")
    empty = global_empty | frozenset(_texts(where, "empty", spec.get("empty", [])))
    common = {
        "empty": empty,
        "values": mapping_table(where, spec, "values"),
        "reject": mapping_table(where, spec, "reject"),
        "when_empty": _when_empty(where, spec.get("when_empty", {})),
    }
    for key in ("value", "column", "separator"):
        if isinstance(spec.get(key), dict | list):
            raise ImportFileError(f"{where}: {key} must be a text")
    if "value" in spec:
        return FieldRule(how="value", constant=str(spec["value"]), **common)
    if "column" in spec:
        return FieldRule(columns=(str(spec["column"]),), **common)
    for how in ("join", "first_of"):
        if how in spec:
            columns = tuple(_texts(where, how, spec[how]))
            if not columns:
                raise ImportFileError(f"{where}: {how} names no column")
            separator = str(spec.get("separator", "-"))
            return FieldRule(columns=columns, how=how, separator=separator, **common)
    raise ImportFileError(f"{where}: give one of column, join, first_of or value")


def _when_empty(where: str, spec: object) -> dict[str, str | dict[str, str]]:
    """`when_empty = { other = "value" }` or `{ other = { CODE = "value" } }`."""
    if not isinstance(spec, dict):
        raise ImportFileError(f"{where}: when_empty must be a table (other field = value)")
    rules: dict[str, str | dict[str, str]] = {}
    for other, override in spec.items():
        if isinstance(override, dict):
            rules[str(other)] = {str(k): str(v) for k, v in override.items()}
        elif isinstance(override, str):
            rules[str(other)] = override
        else:
            raise ImportFileError(
                f"{where}: when_empty.{other} must be a value or a table of source codes"
            )
    return rules
