"""The fitted volume forecast, kept in the database under the digest of its inputs (issue 9).

Fitting a forecast reads a year of contacts and runs the day-factor regression: seconds on
a year of data. Its inputs change rarely (an import, an event, a client volume), so
`selectors.volume_forecast` fits once per change of them and every process shares the
result through `ForecastCache`:

- the history's fingerprint: highest primary key and row count of calls and forms (contacts
  are only ever inserted, `indicators.summary`; the count catches a deletion) and the
  contact reasons (the out-of-scope share reads their codes);
- the planner's events and the client's monthly volumes, every field that feeds the model;
- the parameters: range, history months, method, switches, and `MODEL_VERSION`.

An entry is never trusted by age, only by digest; the oldest beyond `KEEP` are pruned.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io

from django.db.models import Count, Max

from decroche.contacts.models import Call, ContactForm
from decroche.organisation.models import ContactReason

from . import forecast
from .forecast import CALLS, FORMS
from .models import ClientForecast, ForecastCache, ForecastEvent

MODEL_VERSION = 2  # bump when `forecast` computes differently from the same inputs (2: IVR calls left out of the history)
KEEP = 64


def inputs_digest(
    start: dt.date,
    end: dt.date,
    *,
    history_months: int,
    use_events: bool,
    use_client_forecast: bool,
    method: str,
) -> str:
    """SHA-256 of every input of `selectors.volume_forecast` (four small queries)."""
    parts: list = [MODEL_VERSION, start, end, history_months, use_events, use_client_forecast]
    parts.append(method)
    for model in (Call, ContactForm):
        # Two queries: SQLite answers Max(pk) from the index alone, not with a Count beside.
        parts.append(model.objects.aggregate(highest=Max("pk")))
        parts.append(model.objects.aggregate(rows=Count("pk")))
    parts.append(list(ContactReason.objects.order_by("pk").values_list("pk", "code")))
    if use_events:
        parts.append(
            list(
                ForecastEvent.objects.order_by("pk").values_list(
                    "pk", "kind", "channel", "start", "end", "uplift"
                )
            )
        )
    if use_client_forecast:
        parts.append(
            list(ClientForecast.objects.order_by("pk").values_list("month", "channel", "volume"))
        )
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def load(
    digest: str, start: dt.date, end: dt.date
) -> tuple[dict[str, forecast.Forecast], float] | None:
    """The forecasts by channel and the out-of-scope share they were fitted with."""
    import numpy as np

    row = ForecastCache.objects.filter(digest=digest).values_list("payload", flat=True).first()
    if row is None:
        return None
    arrays = np.load(io.BytesIO(bytes(row)), allow_pickle=False)
    if "out_of_scope_share" not in arrays:  # an entry from an older layout: fit again
        return None
    days = forecast.days_between(start, end)
    result = {}
    for channel in (CALLS, FORMS):
        daily, intraday = arrays[f"{channel.code}_daily"], arrays[f"{channel.code}_intraday"]
        result[channel.code] = forecast.Forecast(
            channel,
            {day: float(value) for day, value in zip(days, daily, strict=True)},
            {day: intraday[index] for index, day in enumerate(days)},
        )
    return result, float(arrays["out_of_scope_share"][0])


def store(
    digest: str,
    start: dt.date,
    end: dt.date,
    result: dict[str, forecast.Forecast],
    out_of_scope_share: float,
) -> None:
    """Keep ``result``; a concurrent process storing the same digest is no error."""
    import numpy as np

    days = forecast.days_between(start, end)
    arrays = {"out_of_scope_share": np.array([out_of_scope_share])}
    for code, fitted in result.items():
        arrays[f"{code}_daily"] = np.array([fitted.daily[day] for day in days], dtype=float)
        arrays[f"{code}_intraday"] = np.array([fitted.intraday[day] for day in days], dtype=float)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    ForecastCache.objects.bulk_create(
        [ForecastCache(digest=digest, start=start, end=end, payload=buffer.getvalue())],
        ignore_conflicts=True,
    )
    stale = ForecastCache.objects.order_by("-created_at", "-pk").values_list("pk", flat=True)[KEEP:]
    ForecastCache.objects.filter(pk__in=list(stale)).delete()
