"""Repeat contacts: for each call, the days until the same caller called again for the
same reason (SPEC §4, first-contact resolution "without repeat within N days").

Callers are known only by the keyed hash of their number (SPEC §9), which is enough to
link their calls. The delay is stored on the call (`days_to_repeat`) so that FCR is a
plain indicator formula: answered calls whose delay is empty or above N.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from .models import Call

_BATCH = 5000


@transaction.atomic
def repeat_delays_refresh(
    *, caller_hashes: set[str] | None = None, changed_days: set[dt.date] | None = None
) -> int:
    """Recompute `days_to_repeat` for the given callers (all when None); returns the
    number of calls whose value changed, and adds their local days to `changed_days` when
    given. Idempotent: run after every import."""
    calls = Call.objects.exclude(caller_hash="").order_by(
        "caller_hash", "reason_id", "arrived_at", "pk"
    )
    if caller_hashes is not None:
        if not caller_hashes:
            return 0
        calls = calls.filter(caller_hash__in=caller_hashes)
    changed: list[Call] = []
    previous = None
    for call in calls.only(
        "pk", "caller_hash", "reason_id", "arrived_at", "day", "days_to_repeat"
    ).iterator(chunk_size=_BATCH):
        if previous is not None:
            same_thread = (
                previous.caller_hash == call.caller_hash and previous.reason_id == call.reason_id
            )
            delay = (
                (call.day - previous.day).days
                if same_thread and call.day and previous.day
                else None
            )
            if previous.days_to_repeat != delay:
                previous.days_to_repeat = delay
                changed.append(previous)
        previous = call
    if previous is not None and previous.days_to_repeat is not None:
        previous.days_to_repeat = None
        changed.append(previous)
    if changed_days is not None:
        changed_days.update(call.day for call in changed if call.day is not None)
    for start in range(0, len(changed), _BATCH):
        Call.objects.bulk_update(changed[start : start + _BATCH], ["days_to_repeat"])
    return len(changed)
