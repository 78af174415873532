"""Small builders shared by the training tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from decroche.training import services
from decroche.training.models import Programme


def programme(code="difficult-situations", hours="14", **extra) -> Programme:
    return Programme.objects.create(
        code=code,
        title=extra.pop("title", "Situations difficiles"),
        duration_hours=Decimal(hours),
        **extra,
    )


def session(programme, by, days=(dt.date(2026, 11, 2), dt.date(2026, 11, 3)), **extra):
    """A session of two full days by default: four half-days of 3.5 h (14 h)."""
    half_days = [(day, half) for day in days for half in ("am", "pm")]
    return services.session_plan(
        programme=programme,
        reference=extra.pop("reference", f"S-{programme.code}-{days[0]:%Y%m%d}"),
        half_days=half_days,
        user=by,
        planned_on=extra.pop("planned_on", days[0] - dt.timedelta(days=20)),
        **extra,
    )
