"""Local (Europe/Paris) calendar days and half-hours derived from stored instants.

The contract reasons in metropolitan time (SPEC §1): a call at 23:30 UTC on 31 March
belongs to 1 April. Records store that local day (and, for calls, the half-hour of
arrival) next to the instant, so that periods are plain date ranges in every database.
"""

from __future__ import annotations

import datetime as dt

from decroche.core.calendar import PARIS


def _aware(value: dt.datetime | str) -> dt.datetime:
    if isinstance(value, str):
        # SQLite text written by the bulk writer or Django: naive UTC.
        value = dt.datetime.fromisoformat(value)
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
    if value.tzinfo is None:
        raise ValueError("naive datetime: instants are stored time-zone aware")
    return value


def local_day(value: dt.datetime | str | None) -> dt.date | None:
    """The Paris calendar day of an instant."""
    if value is None:
        return None
    return _aware(value).astimezone(PARIS).date()


def local_half_hour(value: dt.datetime | str | None) -> int | None:
    """The Paris half-hour of an instant, 0 (00:00–00:30) to 47; 17 is 08:30–09:00."""
    if value is None:
        return None
    local = _aware(value).astimezone(PARIS)
    return local.hour * 2 + local.minute // 30


DERIVERS = {"day": local_day, "half_hour": local_half_hour}
