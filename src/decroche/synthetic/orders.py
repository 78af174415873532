"""The demo's contract data: the Cnam's firm and indicative orders for every ten-working-day
period of the demo's traffic, and the monthly invoices (SPEC §5, §6).

The Cnam orders from its forecast of the staffing it needs; the demo has no separate
forecast, so each period's order is built from the demo's own staffing: for every working
day and hour, the mean productive hours of the same weekday and hour over the period
(phone, UO1, per day and hour; contact forms, UO3, per day), times a planning factor drawn
per period between 0.96 and 1.04 (seeded by the period's first day). Production then
differs from the order by the days' absences, short days and surges, so plan conformity
shows a real value around 96–104%, except in the demo's shortage month (the last complete
month), ordered with the staff planned before the epidemic took some of it. Indicative orders (D+20) are the firm one per day times
a second factor (0.93–1.07). Orders are issued 10 (firm) and 20 (indicative) working days
before the period and validated by the contractor the next working day.

Invoices (the financial annex is not provided): productive hours produced × 30 € per
hour, phone and forms, an assumption of the demo only.

Idempotent: a period that already has its firm orders is left alone, an invoice already
recorded is kept.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from decroche.contacts.models import AdvisorState
from decroche.contract.choices import OrderKind, WorkUnit
from decroche.contract.models import MonthlyInvoice, Order
from decroche.contract.selectors import contract_settings, month_bounds, productive_hours
from decroche.contract.services import monthly_invoice_record, order_answer, order_issue
from decroche.core.calendar import add_working_days, is_working_day, ten_day_period

from .profiles import CONTRACT_START, SHORTAGE_ABSENCE

DEMO_PRICE_PER_HOUR = Decimal("30")  # € per productive hour (assumption, annex not provided)
TENTH = Decimal("0.1")
HOUR_SECONDS = 3600


def demo_periods(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The ten-working-day periods overlapping start..end, chained from the contract's start
    so that every run of the demo cuts the same periods."""
    periods = []
    first, last = ten_day_period(CONTRACT_START)
    while first <= end:
        if last >= start:
            periods.append((first, last))
        first, last = ten_day_period(add_working_days(last, 1))
    return periods


def productive_hours_by_hour(
    start: dt.date, end: dt.date, states: list[str]
) -> dict[tuple[dt.date, int], float]:
    """Productive hours per local (Paris) day and hour, a state split across the hours it spans."""
    hours: dict[tuple[dt.date, int], float] = defaultdict(float)
    rows = AdvisorState.objects.filter(day__range=(start, end), state__in=states).values_list(
        "started_at", "duration_seconds"
    )
    for started_at, seconds in rows.iterator(chunk_size=20_000):
        moment = timezone.localtime(started_at)
        left = seconds
        while left > 0:
            into_hour = moment.minute * 60 + moment.second
            piece = min(left, HOUR_SECONDS - into_hour)
            hours[(moment.date(), moment.hour)] += piece / HOUR_SECONDS
            moment += dt.timedelta(seconds=piece)
            left -= piece
    return hours


def _planned(
    produced: dict, days: list[dt.date], factor: float
) -> dict[tuple[dt.date, int], Decimal]:
    """Per day and hour: the mean of the same weekday and hour over `days`, times `factor`."""
    by_weekday: dict[tuple[int, int], list[float]] = defaultdict(list)
    for day in days:
        for hour in range(24):
            by_weekday[(day.weekday(), hour)].append(produced.get((day, hour), 0.0))
    planned = {}
    for day in days:
        for hour in range(24):
            values = by_weekday[(day.weekday(), hour)]
            quantity = Decimal(sum(values) / len(values) * factor).quantize(TENTH, ROUND_HALF_UP)
            if quantity > 0:
                planned[(day, hour)] = quantity
    return planned


def _issue(period_start, unit, kind, lines, issued_on) -> None:
    if not lines:
        return
    order = order_issue(
        period_start=period_start, unit=unit, kind=kind, lines=lines, issued_on=issued_on
    )
    order_answer(order=order, accept=True, answered_on=add_working_days(issued_on, 1))


@transaction.atomic
def demo_orders_ensure(
    *, start: dt.date, end: dt.date, shortage: tuple[dt.date, dt.date] | None = None
) -> int:
    """Firm and indicative orders for the periods of start..end (lines on the days with
    traffic only); returns the number of orders added. The days of `shortage` were planned
    with their full staff (the epidemic came after the order): their phone hours are
    ordered as produced / (1 − SHORTAGE_ABSENCE), so that production falls short of the
    order and plan conformity is missed."""
    settings = contract_settings()
    phone = productive_hours_by_hour(start, end, list(settings.phone_productive_states))
    if shortage is not None:
        planned_share = 1 - SHORTAGE_ABSENCE
        phone = {
            (day, hour): hours / planned_share if shortage[0] <= day <= shortage[1] else hours
            for (day, hour), hours in phone.items()
        }
    forms = productive_hours_by_hour(start, end, list(settings.form_productive_states))
    added = 0
    for first, last in demo_periods(start, end):
        if Order.objects.filter(period__start=first, kind=OrderKind.FIRM).exists():
            continue
        days = [
            d
            for d in (first + dt.timedelta(days=n) for n in range((last - first).days + 1))
            if start <= d <= end and is_working_day(d)
        ]
        if not days:
            continue
        rng = random.Random(f"demo-orders-{first.isoformat()}")
        factor, indicative_factor = rng.uniform(0.96, 1.04), rng.uniform(0.93, 1.07)
        phone_plan = _planned(phone, days, factor)
        forms_plan = _planned(forms, days, factor)
        forms_days: dict[dt.date, Decimal] = defaultdict(Decimal)
        for (day, _hour), quantity in forms_plan.items():
            forms_days[day] += quantity
        phone_days: dict[dt.date, Decimal] = defaultdict(Decimal)
        for (day, _hour), quantity in phone_plan.items():
            phone_days[day] += quantity
        firm_issued = add_working_days(first, -10)
        indicative_issued = add_working_days(first, -20)
        _issue(
            first,
            WorkUnit.PHONE_HOURS,
            OrderKind.FIRM,
            [(d, h, q) for (d, h), q in sorted(phone_plan.items())],
            firm_issued,
        )
        _issue(
            first,
            WorkUnit.FORM_HOURS,
            OrderKind.FIRM,
            [(d, None, q) for d, q in sorted(forms_days.items())],
            firm_issued,
        )
        for unit, totals in ((WorkUnit.PHONE_HOURS, phone_days), (WorkUnit.FORM_HOURS, forms_days)):
            _issue(
                first,
                unit,
                OrderKind.INDICATIVE,
                [
                    (d, None, (q * Decimal(indicative_factor)).quantize(TENTH, ROUND_HALF_UP))
                    for d, q in sorted(totals.items())
                ],
                indicative_issued,
            )
        added += 4
    return added


@transaction.atomic
def demo_invoices_ensure(*, start: dt.date, end: dt.date) -> int:
    """The production invoices of the demo's months not yet recorded; returns how many."""
    added = 0
    month = start.replace(day=1)
    while month <= end:
        first, last = month_bounds(month)
        if not MonthlyInvoice.objects.filter(month=first).exists():
            hours = productive_hours(max(first, start), min(last, end))
            if hours["phone"] > 0:
                monthly_invoice_record(
                    month=first,
                    phone_amount=(hours["phone"] * DEMO_PRICE_PER_HOUR).quantize(Decimal("0.01")),
                    forms_amount=(hours["forms"] * DEMO_PRICE_PER_HOUR).quantize(Decimal("0.01")),
                )
                added += 1
        month = last + dt.timedelta(days=1)
    return added
