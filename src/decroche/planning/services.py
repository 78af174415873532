"""Writes of the planning data people enter: the planner's events and the client's monthly
forecasts (SPEC §1, §2, §6). Each write validates the model (`full_clean`) and leaves one
audit entry (STYLE habit 6). The schedules have their own module, `schedule_services`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from decroche.core.services import log_action

from .models import ClientForecast, ForecastEvent


def _event_data(event: ForecastEvent) -> dict:
    return {
        "event": event.pk,
        "name": event.name,
        "kind": event.kind,
        "channel": event.channel,
        "start": event.start.isoformat(),
        "end": event.end.isoformat(),
        "uplift": str(event.uplift),
    }


def forecast_event_create(
    *,
    name: str,
    kind: str,
    channel: str,
    start: dt.date,
    end: dt.date,
    uplift: Decimal,
    note: str = "",
    user=None,
) -> ForecastEvent:
    """Record an event the forecast will apply; ValidationError when it is inconsistent."""
    event = ForecastEvent(
        name=name, kind=kind, channel=channel, start=start, end=end, uplift=uplift, note=note
    )
    event.full_clean()
    with transaction.atomic():
        event.save()
        log_action("planning.forecast_event.created", user=user, data=_event_data(event))
    return event


def forecast_event_delete(*, event: ForecastEvent, user=None) -> None:
    data = _event_data(event)
    with transaction.atomic():
        event.delete()
        log_action("planning.forecast_event.deleted", user=user, data=data)


def client_forecast_set(
    *,
    month: dt.date,
    channel: str,
    volume: int,
    received_on: dt.date | None = None,
    user=None,
) -> ClientForecast:
    """Add the client's volume of a month and channel, or replace the one already given."""
    with transaction.atomic():
        row = (
            ClientForecast.objects.select_for_update().filter(month=month, channel=channel).first()
        )
        previous = row.volume if row is not None else None
        if row is None:
            row = ClientForecast(month=month, channel=channel)
        row.volume = volume
        row.received_on = received_on
        row.full_clean()
        row.save()
        log_action(
            "planning.client_forecast.replaced"
            if previous is not None
            else "planning.client_forecast.added",
            user=user,
            data={
                "month": row.month.isoformat(),
                "channel": row.channel,
                "volume": row.volume,
                "previous_volume": previous,
            },
        )
    return row


def client_forecast_delete(*, row: ClientForecast, user=None) -> None:
    data = {"month": row.month.isoformat(), "channel": row.channel, "volume": row.volume}
    with transaction.atomic():
        row.delete()
        log_action("planning.client_forecast.deleted", user=user, data=data)
