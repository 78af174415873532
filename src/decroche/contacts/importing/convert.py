"""Conversions of text cells into typed values, raising `RowRejected` with a clear reason.

Pure functions: no Django import. Instants follow docs/formats.md: ISO 8601; naive
values are local time of the source (Europe/Paris unless a mapping says otherwise),
aware values are kept.
"""

from __future__ import annotations

import datetime as dt

from decroche.core.calendar import PARIS
from decroche.core.tabular.errors import RowRejected
from decroche.core.tabular.identifiers import caller_number

# Plausible ranges (docs/formats.md, "Plausible values"): beyond them the row is rejected.
# Instants from the Unix epoch to the end of the century: a date in year 0001 or 9999 is a
# broken export, and stays far from the limits of the date arithmetic.
EARLIEST_YEAR, LATEST_YEAR = 1970, 2099
# Every duration (wait, talk, wrap-up, handling, state) is shorter than a day.
MAX_DURATION_SECONDS = 86_400
TRUE_WORDS = frozenset({"1", "true", "yes", "y", "oui", "o", "vrai", "x"})
FALSE_WORDS = frozenset({"", "0", "false", "no", "n", "non", "faux"})


class Clock:
    """Reads instants into naive UTC datetimes, the form the import works in.

    Naive text is local time of the source (`source_tz`, Europe/Paris by default);
    aware text keeps its offset. UTC offsets are cached per source minute and per UTC
    hour: a million rows then cost a dictionary look-up each instead of a time-zone
    computation, with the same result (offsets change on whole minutes).
    """

    def __init__(self, source_tz: dt.tzinfo = PARIS) -> None:
        self.source_tz = source_tz
        self._source_offsets: dict[str, dt.timedelta] = {}
        self._paris_offsets: dict[tuple[int, int, int, int], dt.timedelta] = {}

    def instant(
        self, field: str, value: str | dt.datetime | None, *, required: bool = False
    ) -> dt.datetime | None:
        if isinstance(value, dt.datetime):
            if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
                raise RowRejected(field, _out_of_range(value.isoformat()))
            if value.tzinfo is None:
                value = value.replace(tzinfo=self.source_tz)
            return value.astimezone(dt.UTC).replace(tzinfo=None)
        if not value:
            if required:
                raise RowRejected(field, "missing value")
            return None
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            if value != value.strip():
                return self.instant(field, value.strip(), required=required)
            raise RowRejected(field, f"not an ISO 8601 date and time: {value!r}") from None
        if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
            raise RowRejected(field, _out_of_range(value))
        if parsed.tzinfo is not None:
            return parsed.astimezone(dt.UTC).replace(tzinfo=None)
        key = value[:16]
        offset = self._source_offsets.get(key)
        if offset is None:
            offset = parsed.replace(tzinfo=self.source_tz).utcoffset()
            self._source_offsets[key] = offset
        return parsed - offset

    def paris_day_and_half_hour(self, utc: dt.datetime) -> tuple[dt.date, int]:
        """The Paris calendar day and half-hour (0–47) of a naive UTC instant (SPEC §1)."""
        key = (utc.year, utc.month, utc.day, utc.hour)
        offset = self._paris_offsets.get(key)
        if offset is None:
            offset = utc.replace(tzinfo=dt.UTC).astimezone(PARIS).utcoffset()
            self._paris_offsets[key] = offset
        local = utc + offset
        return local.date(), local.hour * 2 + local.minute // 30


def _out_of_range(text: str) -> str:
    return f"date out of the plausible range (years {EARLIEST_YEAR} to {LATEST_YEAR}): {text!r}"


def parse_bool(field: str, value: str | bool | None) -> bool:
    if not value:
        return False
    if isinstance(value, bool):
        return value
    lowered = (value or "").strip().lower()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    raise RowRejected(field, f"not a yes/no value: {value!r}")


def parse_seconds(
    field: str, value: str | int | None, *, maximum: int = MAX_DURATION_SECONDS
) -> int | None:
    """A whole number of seconds from 0 to `maximum` (a day); empty is None."""
    if value is None or value == "":
        return None
    try:
        seconds = int(value) if isinstance(value, int) else int(float(str(value).strip()))
    except (ValueError, OverflowError):  # text, NaN, infinity
        raise RowRejected(field, f"not a number of seconds: {value!r}") from None
    return check_seconds(field, seconds, maximum=maximum)


def check_seconds(
    field: str, seconds: int, *, what: str = "duration", maximum: int = MAX_DURATION_SECONDS
) -> int:
    """`seconds` when it lies in the plausible range of a duration (0 to a day)."""
    if seconds < 0:
        raise RowRejected(field, f"negative {what}: {seconds} s")
    if seconds > maximum:
        raise RowRejected(
            field, f"implausible {what}: {seconds} s, longer than the maximum of {maximum} s"
        )
    return seconds


def parse_choice(
    field: str, value: str | None, allowed: frozenset[str], *, default: str | None = None
) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        if default is None:
            raise RowRejected(field, "missing value")
        return default
    if cleaned in allowed:
        return cleaned
    raise RowRejected(
        field, f"unknown value {cleaned!r} (expected one of {', '.join(sorted(allowed))})"
    )


def parse_text(field: str, value: str | None, *, max_length: int, required: bool = False) -> str:
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise RowRejected(field, "missing value")
    if len(cleaned) > max_length:
        raise RowRejected(field, f"longer than {max_length} characters")
    return cleaned


def ordered_instants(
    chain: list[tuple[str, dt.datetime | None]], tolerance_seconds: int
) -> list[dt.datetime | None]:
    """Check that the present instants of `chain` follow each other; return them.

    An instant earlier than the previous present one by at most `tolerance_seconds` is
    moved up to it (clocks of the IVR and of the ACD disagree by a second or two);
    beyond that the row is rejected on that field (docs/formats.md, "Order of times").
    """
    result: list[dt.datetime | None] = []
    previous_name, previous = "", None
    for name, instant in chain:
        if instant is not None and previous is not None and instant < previous:
            gap = (previous - instant).total_seconds()
            if gap > tolerance_seconds:
                raise RowRejected(
                    name,
                    f"times in the wrong order: {name} is {gap:g} s before {previous_name} "
                    f"({instant.isoformat()} < {previous.isoformat()} UTC)",
                )
            instant = previous
        result.append(instant)
        if instant is not None:
            previous_name, previous = name, instant
    return result


def seconds_between(start: dt.datetime | None, end: dt.datetime | None) -> int:
    """Whole seconds from `start` to `end` (0 when one is missing)."""
    if start is None or end is None:
        return 0
    return int((end - start).total_seconds())


def paris_day_pieces(start: dt.datetime, end: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
    """A span of naive UTC instants cut at each Paris midnight it crosses, in order.

    A time-based measure (an advisor's state) counts on each day for the part of it that
    day holds: stored as day pieces, every reader that groups by day (indicators, summary,
    productive hours) is exact without time arithmetic in queries.
    """
    pieces = []
    cursor = start
    while True:
        local_day = cursor.replace(tzinfo=dt.UTC).astimezone(PARIS).date()
        next_midnight = (
            dt.datetime.combine(local_day + dt.timedelta(days=1), dt.time.min, tzinfo=PARIS)
            .astimezone(dt.UTC)
            .replace(tzinfo=None)
        )
        if end <= next_midnight:
            pieces.append((cursor, end))
            return pieces
        pieces.append((cursor, next_midnight))
        cursor = next_midnight


def national_number(value: str) -> str:
    """The caller's number as it is hashed, one form for every source and cell type
    (`core.tabular.identifiers.caller_number`: `+33 6…`, `0033 6…`, `06 12 34 56 78`,
    `06.12.34.56.78` and the XLSX number `612345678` are one caller)."""
    return caller_number(value)
