"""Reads of the planning app: contact history for the forecast, handling time and patience,
the staffing targets in force, the planner's events and the client's monthly forecasts
(SPEC §1, §2, §3, §6)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is imported where it is used (docs/architecture.md)
    import numpy as np
from django.db.models import Count, Q, Sum

from decroche.contacts.choices import CallOutcome
from decroche.contacts.localtime import local_half_hour
from decroche.contacts.models import Call, ContactForm
from decroche.core.calendar import add_months, committee_periods
from decroche.indicators.catalogue import parse_target
from decroche.indicators.selectors import versions_in_force
from decroche.organisation.selectors import Scope, scope_filter

from . import backtest, forecast, forecast_cache, proposal, staffing
from .erlang import Targets
from .forecast import CALLS, FORMS, Channel, History
from .models import ClientForecast, ForecastEvent

DEFAULT_HISTORY_MONTHS = 12
SHARE_WEEKS = 13  # the out-of-scope share of the last quarter: a deterrence message moves it
OUT_OF_SCOPE_REASON = "out-of-scope"


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` months earlier (the month's last day when it has fewer days)."""
    return add_months(day, -months)


def call_history(start: dt.date, end: dt.date) -> History:
    """Calls presented per day and opening half-hour (08:30–17:30, SPEC §1).

    Every origin counts (direct, transfer-in, overflow-in: the load the advisors face);
    calls dissuaded on closure and calls that ended in the IVR are left out: they never
    reach the group, so no advisor answers them (SPEC §3, the answer rate's denominator).
    """
    rows = (
        Call.objects.filter(
            day__range=(start, end),
            half_hour__gte=CALLS.first_half_hour,
            half_hour__lt=CALLS.first_half_hour + CALLS.slots,
        )
        .exclude(outcome__in=(CallOutcome.DISSUADED_CLOSURE, CallOutcome.ENDED_IN_IVR))
        .values_list("day", "half_hour")
        .annotate(n=Count("pk"))
    )
    return _history(CALLS, start, end, rows)


def form_history(start: dt.date, end: dt.date) -> History:
    """Forms received per day and half-hour of receipt (Paris time, 48 slots)."""
    instants = ContactForm.objects.filter(received_day__range=(start, end)).values_list(
        "received_day", "received_at"
    )
    counts: dict[tuple[dt.date, int], int] = defaultdict(int)
    for day, received_at in instants.iterator(chunk_size=10_000):
        counts[(day, local_half_hour(received_at))] += 1
    return _history(FORMS, start, end, ((d, s, n) for (d, s), n in counts.items()))


def _history(channel: Channel, start: dt.date, end: dt.date, rows) -> History:
    import numpy as np

    counts: dict[dt.date, np.ndarray] = {}
    for day, half_hour, n in rows:
        row = counts.setdefault(day, np.zeros(channel.slots))
        row[half_hour - channel.first_half_hour] += n
    return History(channel, start, end, counts)


def channel_history(channel: Channel, start: dt.date, end: dt.date) -> History:
    return call_history(start, end) if channel is CALLS else form_history(start, end)


def forecast_events(channel: Channel | None = None) -> list[forecast.Event]:
    events = ForecastEvent.objects.all()
    if channel is not None:
        events = events.filter(channel=channel.code)
    return [event.as_event() for event in events]


def client_volumes(channel: Channel) -> dict[tuple[int, int], float]:
    """The client's monthly volumes of a channel, by (year, month)."""
    return {
        (row.month.year, row.month.month): float(row.volume)
        for row in ClientForecast.objects.filter(channel=channel.code)
    }


def out_of_scope_share(start: dt.date, end: dt.date) -> float:
    """Share of qualified answered calls whose reason is out-of-scope; SPEC §1's 18% when
    no call was qualified in the range."""
    totals = Call.objects.filter(
        day__range=(start, end), outcome=CallOutcome.ANSWERED, reason__isnull=False
    ).aggregate(
        qualified=Count("pk"),
        out_of_scope=Count("pk", filter=Q(reason__code=OUT_OF_SCOPE_REASON)),
    )
    if not totals["qualified"]:
        return forecast.OUT_OF_SCOPE_SHARE
    return totals["out_of_scope"] / totals["qualified"]


def handling_estimates(
    before: dt.date, *, weeks: int = staffing.HISTORY_WEEKS, scope: Scope | None = None
) -> dict[str, float | None]:
    """Average handling time and mean patience (seconds) over the ``weeks`` before ``before``,
    of the calls of ``scope`` (every call without one).

    AHT = (talk + wrap-up) / answered calls (SPEC §3). Patience: exponential with censoring
    (docs/staffing.md): total queue wait of answered and abandoned calls / abandoned calls;
    None when nobody abandoned.
    """
    calls = Call.objects.filter(scope_filter(scope)) if scope is not None else Call.objects
    totals = calls.filter(
        day__range=(before - dt.timedelta(weeks=weeks), before - dt.timedelta(days=1)),
        outcome__in=[CallOutcome.ANSWERED, CallOutcome.ABANDONED],
    ).aggregate(
        answered=Count("pk", filter=Q(outcome=CallOutcome.ANSWERED)),
        abandoned=Count("pk", filter=Q(outcome=CallOutcome.ABANDONED)),
        talk=Sum("talk_seconds", filter=Q(outcome=CallOutcome.ANSWERED)),
        wrap_up=Sum("wrap_up_seconds", filter=Q(outcome=CallOutcome.ANSWERED)),
        wait=Sum("wait_seconds"),
    )
    aht = None
    if totals["answered"]:
        aht = ((totals["talk"] or 0) + (totals["wrap_up"] or 0)) / totals["answered"]
    patience = (totals["wait"] or 0) / totals["abandoned"] if totals["abandoned"] else None
    return {"aht": aht, "patience": patience, "answered": totals["answered"]}


def staffing_targets(day: dt.date) -> Targets:
    """The staffing targets in force on ``day``: the thresholds of the answer-rate and
    average-wait indicator versions in force (SPEC §3; indicator data, versioned), the
    default of ``staffing.DEFAULT_TARGETS`` for one without a version or a target."""
    thresholds = {}
    for version in versions_in_force(day, list(staffing.TARGET_INDICATORS)):
        target = parse_target(version.target)
        if target is not None:
            thresholds[version.code] = target.threshold
    return staffing.contract_targets(thresholds)


def volume_forecast(
    start: dt.date,
    end: dt.date,
    *,
    history_months: int = DEFAULT_HISTORY_MONTHS,
    use_events: bool = True,
    use_client_forecast: bool = True,
    method: str = forecast.SES,
) -> dict[str, forecast.Forecast]:
    """Calls and forms forecast for ``start``–``end`` from the ``history_months`` before
    ``start``, with the planner's events and the client's monthly volumes.

    Fitted once per change of those inputs and shared by every process (`forecast_cache`):
    the forecast page, the order proposal and the schedules read the same fitted forecast.
    """
    return forecast_and_share(
        start,
        end,
        history_months=history_months,
        use_events=use_events,
        use_client_forecast=use_client_forecast,
        method=method,
    )[0]


def forecast_and_share(
    start: dt.date,
    end: dt.date,
    *,
    history_months: int = DEFAULT_HISTORY_MONTHS,
    use_events: bool = True,
    use_client_forecast: bool = True,
    method: str = forecast.SES,
) -> tuple[dict[str, forecast.Forecast], float]:
    """`volume_forecast` and the out-of-scope share it used, from the cache when fitted."""
    if end < start:
        raise ValueError("the forecast ends before it starts")
    if history_months < 1:
        raise ValueError("at least one month of history is needed")
    options = {
        "history_months": history_months,
        "use_events": use_events,
        "use_client_forecast": use_client_forecast,
        "method": method,
    }
    digest = forecast_cache.inputs_digest(start, end, **options)
    cached = forecast_cache.load(digest, start, end)
    if cached is not None:
        return cached
    share = history_share(start, history_months)
    result = fitted_volume_forecast(start, end, **options)
    forecast_cache.store(digest, start, end, result, share)
    return result, share


def history_share(start: dt.date, history_months: int) -> float:
    """The out-of-scope share a forecast starting on ``start`` is fitted with: the last
    quarter before it, within the history (a deterrence message moves it)."""
    return out_of_scope_share(
        max(months_before(start, history_months), start - dt.timedelta(weeks=SHARE_WEEKS)),
        start - dt.timedelta(days=1),
    )


def fitted_volume_forecast(
    start: dt.date,
    end: dt.date,
    *,
    history_months: int = DEFAULT_HISTORY_MONTHS,
    use_events: bool = True,
    use_client_forecast: bool = True,
    method: str = forecast.SES,
) -> dict[str, forecast.Forecast]:
    """`volume_forecast` fitted from the database, without the cache."""
    history_start = months_before(start, history_months)
    history_end = start - dt.timedelta(days=1)
    share = history_share(start, history_months)
    result = {}
    for channel in (CALLS, FORMS):
        result[channel.code] = forecast.forecast(
            channel_history(channel, history_start, history_end),
            start,
            end,
            events=forecast_events(channel) if use_events else (),
            client_volumes=client_volumes(channel) if use_client_forecast else None,
            out_of_scope_share=share,
            method=method,
        )
    return result


def backtest_months(
    months: list[tuple[int, int]],
    *,
    history_months: int = DEFAULT_HISTORY_MONTHS,
    lead_days: int = 0,
    use_events: bool = True,
    use_client_forecast: bool = True,
) -> list[backtest.MonthResult]:
    """Model against seasonal-naive on each held-back month, calls then forms.

    ValueError when a month has no recorded contact (nothing to measure against).
    """
    if not months:
        raise ValueError("no month to backtest")
    origins = [backtest.origin_of(month, lead_days) for month in months]
    start = months_before(min(origins), history_months)
    end = max(forecast.month_days(*month)[-1] for month in months)
    histories = {channel: channel_history(channel, start, end) for channel in (CALLS, FORMS)}
    for month in months:
        days = forecast.month_days(*month)
        if not any(histories[c].total(day) for c in histories for day in days):
            raise ValueError(f"no contact recorded in {month[0]:04d}-{month[1]:02d}")
    results = []
    for channel, full in histories.items():
        events = forecast_events(channel) if use_events else ()
        volumes = client_volumes(channel) if use_client_forecast else None
        for month, origin in zip(months, origins, strict=True):
            history_start = months_before(origin, history_months)
            share = history_share(origin, history_months)
            results.append(
                backtest.backtest_month(
                    full,
                    month,
                    history_start=history_start,
                    lead_days=lead_days,
                    events=events,
                    client_volumes=volumes,
                    out_of_scope_share=share,
                )
            )
    return results


def order_proposal(
    committee: dt.date,
    *,
    shrinkage: float = 0.0,
    history_months: int = DEFAULT_HISTORY_MONTHS,
    scenario_codes: tuple[str, ...] = proposal.SCENARIO_CODES,
) -> proposal.Proposal:
    """The order proposal of the forecast committee held on ``committee`` (SPEC §6), from
    the history before that day: volume forecast, AHT and patience of the last 4 weeks; the
    staffing targets in force on the first day of its first period."""
    periods = committee_periods(committee)
    forecasts, share = forecast_and_share(committee, periods[-1][1], history_months=history_months)
    estimates = handling_estimates(committee)
    inputs = proposal.Inputs(
        committee=committee,
        calls=forecasts[CALLS.code].intraday,
        forms=forecasts[FORMS.code].daily,
        aht=estimates["aht"] or staffing.DEFAULT_AHT_SECONDS,
        patience=estimates["patience"],
        shrinkage=shrinkage,
        out_of_scope_share=share,
        targets=staffing_targets(periods[0][0]),
    )
    return proposal.build_proposal(inputs, scenario_codes=scenario_codes)


def forecast_days(start: dt.date, end: dt.date) -> list[dict]:
    """One row per day of ``start``–``end``: calls and forms expected, and the planner's
    events covering the day (the ones the forecast applied)."""
    forecasts = volume_forecast(start, end)
    events = list(ForecastEvent.objects.filter(start__lte=end, end__gte=start))
    return [
        {
            "day": day,
            "calls_open": CALLS.is_open(day),
            "calls": forecasts[CALLS.code].daily[day],
            "forms": forecasts[FORMS.code].daily[day],
            "events": [event for event in events if event.start <= day <= event.end],
        }
        for day in forecast.days_between(start, end)
    ]


def forecast_event_list():
    return ForecastEvent.objects.order_by("-start", "name")


def client_forecast_list():
    return ClientForecast.objects.order_by("-month", "channel")
