"""Reading and checking the indicator catalogue file (SPEC §3). No Django import.

The catalogue is data: `catalogue.toml` ships the contract's indicators; users edit and
version them in the app. Everything here checks a catalogue before it is used, so that a
typo in a formula is reported with its position rather than found in a dashboard.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .formula import Expression, FormulaError, names_in, parse
from .sources import SOURCES

CATALOGUE_FILE = Path(__file__).with_name("catalogue.toml")
UNITS = frozenset({"rate", "seconds", "count", "score"})
CATEGORIES = frozenset(
    {"phone", "forms", "quality", "training", "satisfaction", "resources", "continuity"}
)
# The shipped versions hold from the beginning: the contract's start matters to penalties
# (contract settings), not to how a figure is computed, so imported history (the forecast's)
# and another centre's data are measured too. 1900-01-01 is the earliest date Excel stores.
BEGINNING = dt.date(1900, 1, 1)
_TARGET = re.compile(r"^\s*(>=|<=|>|<|=)\s*(-?\d+(?:\.\d+)?)\s*$")


class CatalogueError(ValueError):
    """A catalogue entry that cannot be used; the message names the entry and the field."""


@dataclass(frozen=True)
class Target:
    """A target such as `>= 0.90`; met when `value <op> threshold`."""

    op: str
    threshold: float

    def is_met(self, value: float) -> bool:
        return {
            ">=": value >= self.threshold,
            "<=": value <= self.threshold,
            ">": value > self.threshold,
            "<": value < self.threshold,
            "=": value == self.threshold,
        }[self.op]

    def __str__(self) -> str:
        return f"{self.op} {self.threshold:g}"


def parse_target(text: str) -> Target | None:
    """`""` is a follow-up indicator (no target, still measured, SPEC §3)."""
    if not text or not text.strip():
        return None
    match = _TARGET.match(text)
    if match is None:
        raise CatalogueError(f"target {text!r} is not of the form '>= 0.90' or '< 120'")
    return Target(match.group(1), float(match.group(2)))


@dataclass(frozen=True)
class IndicatorDefinition:
    id: str
    label: str
    category: str
    purpose: str
    formula_text: str
    formula: str
    unit: str
    target: str
    valid_from: dt.date
    pending_source: str = ""
    target_note: str = ""


@dataclass(frozen=True)
class Catalogue:
    version: int
    measures: dict[str, str]
    indicators: list[IndicatorDefinition]


def parse_measures(measures: dict[str, str]) -> dict[str, Expression]:
    """Parse named measures; each must be a measure expression, not refer to names."""
    parsed: dict[str, Expression] = {}
    for name, text in measures.items():
        try:
            parsed[name] = parse(text, sources=SOURCES, measure_names=frozenset())
        except FormulaError as error:
            raise CatalogueError(f"measure {name}: {error}\n{error.pointer()}") from error
    return parsed


def check_formula(text: str, measure_names: frozenset[str], *, where: str) -> Expression:
    try:
        return parse(text, sources=SOURCES, measure_names=measure_names)
    except FormulaError as error:
        raise CatalogueError(f"{where}: {error}\n{error.pointer()}") from error


def load_catalogue(path: Path = CATALOGUE_FILE) -> Catalogue:
    """Read and check a catalogue file; raise CatalogueError naming the faulty entry."""
    with path.open("rb") as handle:
        try:
            raw = tomllib.load(handle)
        except tomllib.TOMLDecodeError as error:
            raise CatalogueError(f"{path}: {error}") from error
    measures = dict(raw.get("measures", {}))
    parse_measures(measures)
    measure_names = frozenset(measures)
    indicators: list[IndicatorDefinition] = []
    seen: set[str] = set()
    for position, entry in enumerate(raw.get("indicators", []), start=1):
        where = f"{path.name}: indicator #{position} ({entry.get('id', '?')})"
        missing = [
            key
            for key in ("id", "label", "category", "formula", "unit", "valid_from")
            if key not in entry
        ]
        if missing:
            raise CatalogueError(f"{where}: missing {', '.join(missing)}")
        if entry["id"] in seen:
            raise CatalogueError(f"{where}: id already used")
        seen.add(entry["id"])
        if entry["unit"] not in UNITS:
            raise CatalogueError(f"{where}: unit {entry['unit']!r} not in {sorted(UNITS)}")
        if entry["category"] not in CATEGORIES:
            raise CatalogueError(
                f"{where}: category {entry['category']!r} not in {sorted(CATEGORIES)}"
            )
        try:
            parse_target(entry.get("target", ""))
        except CatalogueError as error:
            raise CatalogueError(f"{where}: {error}") from error
        check_formula(entry["formula"], measure_names, where=f"{where}, formula")
        valid_from = entry["valid_from"]
        if isinstance(valid_from, str):
            valid_from = dt.date.fromisoformat(valid_from)
        indicators.append(
            IndicatorDefinition(
                id=entry["id"],
                label=entry["label"],
                category=entry["category"],
                purpose=entry.get("purpose", ""),
                formula_text=entry.get("formula_text", ""),
                formula=entry["formula"],
                unit=entry["unit"],
                target=entry.get("target", ""),
                valid_from=valid_from,
                pending_source=entry.get("pending_source", ""),
                target_note=entry.get("target_note", ""),
            )
        )
    return Catalogue(version=int(raw.get("version", 1)), measures=measures, indicators=indicators)


def expand(expression_text: str, measures: dict[str, str]) -> Expression:
    """Parse a formula and check it only names known measures (used by the engine)."""
    tree = check_formula(expression_text, frozenset(measures), where="formula")
    unknown = [name for name in names_in(tree) if name not in measures]
    if unknown:
        raise CatalogueError(f"unknown measures {unknown}")
    return tree
