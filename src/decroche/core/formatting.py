"""Numbers, amounts, durations and dates written the French way, on every page, export and
document (issue 18 point 3). Plain Python, no Django: the template filters
(`core/templatetags/decroche_format.py`), the PDF documents (`core.documents`) and the
exports call these functions, so that a figure reads the same everywhere.

    number(1234.5, 2)        → "1 234,50"
    euros(1234.56)           → "1 234,56 €"
    percent(0.994135)        → "99,4 %"
    duration(125)            → "2 min 05 s"
    long_date(2026-12-03)    → "3 décembre 2026"   (1er décembre 2026)

The thousands separator and the space before a unit are no-break spaces (U+00A0, the
separator of Django's French locale), so that a figure never breaks across two lines.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"
EMPTY = "—"
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
OPERATORS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}
MAX_PLACES = 6  # the precision of the statement's values (penalties.VALUE_PLACES)
_COMPARISON = re.compile(r"^\s*(>=|<=|>|<|=)\s*(-?\d+(?:\.\d+)?)\s*$")

Number = int | float | Decimal


def _decimal(value: Number) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(repr(value))


def number(value: Number | None, places: int = 0) -> str:
    """`1 234,56`: rounded half-up to `places` decimals, thousands grouped by three."""
    if value is None:
        return EMPTY
    rounded = _decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # never "-0,0"
    sign = "-" if rounded < 0 else ""
    whole, _dot, fraction = f"{abs(rounded):f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = NBSP.join(groups)
    return f"{sign}{text},{fraction}" if fraction else f"{sign}{text}"


def euros(value: Number | None) -> str:
    """`1 234,56 €`, always to the cent."""
    return EMPTY if value is None else f"{number(value, 2)}{NBSP}€"


def percent(fraction: Number | None, places: int = 1) -> str:
    """A rate given as a fraction: `0.994135` → `99,4 %`."""
    return EMPTY if fraction is None else f"{number(_decimal(fraction) * 100, places)}{NBSP}%"


def duration(seconds: Number | None) -> str:
    """`2 min 05 s`, `45 s`, `1 h 02 min 05 s`; rounded to the second."""
    if seconds is None:
        return EMPTY
    total = int(_decimal(seconds).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    sign, total = ("-", -total) if total < 0 else ("", total)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{sign}{hours}{NBSP}h{NBSP}{minutes:02d}{NBSP}min{NBSP}{secs:02d}{NBSP}s"
    if minutes:
        return f"{sign}{minutes}{NBSP}min{NBSP}{secs:02d}{NBSP}s"
    return f"{sign}{secs}{NBSP}s"


def hours(value: Number | None, places: int = 2) -> str:
    """Hours as a decimal quantity: `1 234,50 h`."""
    return EMPTY if value is None else f"{number(value, places)}{NBSP}h"


def long_date(day: dt.date | None) -> str:
    """`3 décembre 2026`, `1er décembre 2026`."""
    if day is None:
        return EMPTY
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: dt.date | None) -> str:
    """`03/12/2026`."""
    return EMPTY if day is None else f"{day:%d/%m/%Y}"


def month_name(day: dt.date) -> str:
    """`novembre 2026`."""
    return f"{MONTHS[day.month - 1]} {day.year}"


def date_time(moment: dt.datetime) -> str:
    """`3 décembre 2026 à 17 h 05` (the moment as given: convert to Paris time first)."""
    return f"{long_date(moment.date())} à {moment.hour}{NBSP}h{NBSP}{moment.minute:02d}"


def value(value: Number | None, unit: str, places: int | None = None) -> str:
    """A value by its unit: `rate` as a percentage, `seconds` as a duration, `euros`,
    `count` without decimals unless it has some, anything else (a score) to one decimal."""
    if value is None:
        return EMPTY
    if unit == "rate":
        return percent(value, 1 if places is None else places)
    if unit == "seconds":
        return duration(value)
    if unit == "euros":
        return euros(value)
    if unit == "count":
        whole = _decimal(value) == _decimal(value).to_integral_value()
        return number(value, (0 if whole else 1) if places is None else places)
    return number(value, 1 if places is None else places)


def parse_comparison(text: str) -> tuple[str, Decimal] | None:
    """A target or objective as written in the catalogue (`>= 0.90`, `< 120`): (operator,
    threshold) in exact decimals; None for anything else (empty, words)."""
    match = _COMPARISON.match(text or "")
    return None if match is None else (match.group(1), Decimal(match.group(2)))


def written_target(text: str, unit: str) -> str:
    """`>= 0.90` as `≥ 90 %`; a target in words stays as written, none is ``""``."""
    parsed = parse_comparison(text)
    return text or "" if parsed is None else target(parsed[0], parsed[1], unit)


def target(op: str, threshold: Number, unit: str) -> str:
    """A target as people write it: `>= 0.90` → `≥ 90 %`, `< 120` seconds → `< 2 min 00 s`."""
    shown = value(threshold, unit, places=_natural_places(threshold, unit))
    return f"{OPERATORS.get(op, op)}{NBSP}{shown}"


def _natural_places(threshold: Number, unit: str) -> int:
    """Just the decimals a threshold has: 0.90 → 90 %, 0.985 → 98,5 %."""
    amount = _decimal(threshold) * (100 if unit == "rate" else 1)
    exponent = amount.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def distinct_value(amount: Number | None, unit: str, threshold: Number | None) -> str:
    """`value`, with as many more decimals as needed (up to the 6 of the statement) for the
    figure not to read as the threshold it differs from: 0.9996 against 1.00 is `99,96 %`,
    never `100,0 %`, so that a miss never looks like a hit (issue 18 point 2)."""
    if amount is None or threshold is None:
        return value(amount, unit)
    exact, limit = _decimal(amount), _decimal(threshold)
    if unit == "seconds":
        return _distinct_duration(exact, limit)
    scale = 100 if unit == "rate" else 1
    places = 1 if unit in ("rate", "score") else (0 if unit == "count" else 1)
    shown = value(amount, unit, places)
    while exact != limit and places < MAX_PLACES:
        step = Decimal(1).scaleb(-places)
        if (exact * scale).quantize(step, rounding=ROUND_HALF_UP) != (limit * scale).quantize(
            step, rounding=ROUND_HALF_UP
        ):
            break
        places += 1
        shown = value(amount, unit, places)
    return shown


def _distinct_duration(exact: Decimal, limit: Decimal) -> str:
    """A duration that rounds to its threshold's second shows its fraction of a second:
    240.4 s against 240 s is `4 min 00,4 s`, not `4 min 00 s`."""
    whole = exact.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if exact == limit or whole != limit.quantize(Decimal(1), rounding=ROUND_HALF_UP):
        return duration(exact)
    places = 1
    while places < MAX_PLACES and exact.quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP
    ) == limit.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):
        places += 1
    minutes, secs = divmod(exact, 60)
    fraction = number(secs, places)
    if len(fraction.split(",")[0]) < 2:
        fraction = "0" + fraction
    return f"{int(minutes)}{NBSP}min{NBSP}{fraction}{NBSP}s" if minutes else f"{fraction}{NBSP}s"
