"""Reads of the contract app: settings, orders, productive hours, plan conformity, the monthly
statement of service levels and penalties (SPEC §5, §6)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from decroche.contacts.models import AdvisorState, Call, ContactForm
from decroche.core.calendar import month_first, month_last
from decroche.indicators.models import IndicatorVersion
from decroche.indicators.selectors import indicator_report, versions_in_force

from . import penalties
from .choices import STANDING_ORDER_STATUSES, OrderKind, OrderStatus, ProposalStatus, WorkUnit
from .models import (
    ContractSettings,
    MonthlyInvoice,
    Order,
    OrderLine,
    ServiceInterruption,
    ServiceLevel,
    TargetChangeProposal,
)

ZERO = Decimal("0")
HOUR = Decimal(3600)


def contract_settings() -> ContractSettings:
    """The contract settings row, or the defaults when none was saved."""
    return ContractSettings.objects.order_by("pk").first() or ContractSettings()


def indicator_version_in_force(code: str, day: dt.date) -> IndicatorVersion | None:
    versions = versions_in_force(day, [code])
    return versions[0] if versions else None


def levels_in_force(day: dt.date) -> list[ServiceLevel]:
    """The version of each service level valid on `day`."""
    return list(
        ServiceLevel.objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day
        ).order_by("position", "code")
    )


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    return month_first(month), month_last(month)


def statement_invoices(
    *, month: dt.date, phone: Decimal | None = None, forms: Decimal | None = None
) -> tuple[Decimal, Decimal] | None:
    """The phone and contact-form invoices the statement of `month` is computed on.

    SPEC §5: service levels are penalised as a "% of the monthly production invoice"
    (the phone invoice, or the total invoice phone+forms for plan conformity). An amount
    given wins; a missing one comes from the invoice recorded for the month; None when an
    amount is missing and no invoice is recorded."""
    if phone is None or forms is None:
        stored = MonthlyInvoice.objects.filter(month=month).first()
        if stored is None:
            return None
        phone = stored.phone_amount if phone is None else phone
        forms = stored.forms_amount if forms is None else forms
    return phone, forms


# --- orders and productive hours (SPEC §6) ---------------------------------------------------


def orders_awaiting_validation() -> list[Order]:
    return list(Order.objects.filter(status=OrderStatus.PROPOSED).select_related("period"))


def proposals_awaiting_answer() -> list[TargetChangeProposal]:
    return list(
        TargetChangeProposal.objects.filter(status=ProposalStatus.AWAITING).order_by(
            "answer_deadline"
        )
    )


def ordered_quantities(start: dt.date, end: dt.date) -> dict[str, Decimal]:
    """Firm quantities ordered per work unit for the days from start to end; refused orders
    do not count, an order still awaiting its answer does (it stands unless refused)."""
    rows = (
        OrderLine.objects.filter(
            day__range=(start, end),
            order__kind=OrderKind.FIRM,
            order__status__in=STANDING_ORDER_STATUSES,
        )
        .values("order__unit")
        .annotate(total=Sum("quantity"))
    )
    totals = {unit.value: ZERO for unit in WorkUnit}
    totals.update({row["order__unit"]: Decimal(row["total"]) for row in rows})
    return totals


def productive_hours(
    start: dt.date, end: dt.date, settings: ContractSettings | None = None
) -> dict[str, Decimal]:
    """Productive hours produced, phone and forms, from the advisor states the contract
    settings count as productive (SPEC §5 plan conformity), by the states' local day."""
    settings = settings or contract_settings()
    hours = {}
    for activity, states in (
        ("phone", settings.phone_productive_states),
        ("forms", settings.form_productive_states),
    ):
        seconds = AdvisorState.objects.filter(day__range=(start, end), state__in=states).aggregate(
            total=Sum("duration_seconds")
        )["total"]
        hours[activity] = (Decimal(seconds or 0) / HOUR).quantize(Decimal("0.01"))
    return hours


def acts_handled(start: dt.date, end: dt.date) -> dict[str, Decimal]:
    """Acts produced: calls answered (UO2) and contact forms answered (UO4)."""
    calls = Call.objects.filter(day__range=(start, end), outcome="answered").count()
    forms = ContactForm.objects.filter(answered_day__range=(start, end)).count()
    return {"phone": Decimal(calls), "forms": Decimal(forms)}


@dataclass(frozen=True)
class PlanVolumes:
    """Ordered and produced volumes of a range, per activity (SPEC §5, §6)."""

    ordered: dict[str, Decimal]  # per work unit
    hours: dict[str, Decimal]  # produced productive hours per activity
    acts: dict[str, Decimal]  # acts handled per activity

    def activity_volume(self, activity: str) -> tuple[Decimal, Decimal]:
        """(produced, ordered) of one activity, in hours when hours were ordered, else acts."""
        hour_unit, act_unit = {
            "phone": (WorkUnit.PHONE_HOURS, WorkUnit.PHONE_ACTS),
            "forms": (WorkUnit.FORM_HOURS, WorkUnit.FORM_ACTS),
        }[activity]
        if self.ordered[hour_unit] > 0:
            return self.hours[activity], self.ordered[hour_unit]
        return self.acts[activity], self.ordered[act_unit]

    def conformity_volumes(self) -> tuple[Decimal, Decimal]:
        """(produced, ordered) for plan conformity: all productive hours against all hours
        ordered (UO1 + UO3); acts (UO2 + UO4) when no hours were ordered."""
        ordered_hours = self.ordered[WorkUnit.PHONE_HOURS] + self.ordered[WorkUnit.FORM_HOURS]
        if ordered_hours > 0:
            return self.hours["phone"] + self.hours["forms"], ordered_hours
        ordered_acts = self.ordered[WorkUnit.PHONE_ACTS] + self.ordered[WorkUnit.FORM_ACTS]
        return self.acts["phone"] + self.acts["forms"], ordered_acts

    def commitment_holds(self, activity: str) -> bool:
        activities = ("phone", "forms") if activity == "all" else (activity,)
        return all(penalties.commitment_holds(*self.activity_volume(a)) for a in activities)


def plan_volumes(start: dt.date, end: dt.date) -> PlanVolumes:
    return PlanVolumes(
        ordered=ordered_quantities(start, end),
        hours=productive_hours(start, end),
        acts=acts_handled(start, end),
    )


def conformity_by_day(start: dt.date, end: dt.date) -> list[dict]:
    """Hours ordered (UO1 + UO3, firm) and produced per day, with the day's conformity."""
    settings = contract_settings()
    states = list(settings.phone_productive_states) + list(settings.form_productive_states)
    ordered = dict(
        OrderLine.objects.filter(
            day__range=(start, end),
            order__kind=OrderKind.FIRM,
            order__status__in=STANDING_ORDER_STATUSES,
            order__unit__in=(WorkUnit.PHONE_HOURS, WorkUnit.FORM_HOURS),
        )
        .values_list("day")
        .annotate(total=Sum("quantity"))
    )
    produced = dict(
        AdvisorState.objects.filter(day__range=(start, end), state__in=states)
        .values_list("day")
        .annotate(total=Sum("duration_seconds"))
    )
    rows = []
    for day in sorted(set(ordered) | set(produced)):
        hours = (Decimal(produced.get(day) or 0) / HOUR).quantize(Decimal("0.01"))
        wanted = Decimal(ordered.get(day) or 0)
        rows.append(
            {
                "day": day,
                "ordered_hours": wanted,
                "produced_hours": hours,
                "conformity": penalties.plan_conformity(hours, wanted),
            }
        )
    return rows


# --- service continuity (SPEC §6) ------------------------------------------------------------


def interruption_max_hours(
    start: dt.date, end: dt.date, *, now: dt.datetime | None = None
) -> Decimal | None:
    """Longest service interruption overlapping the days start..end, in hours (a running one
    counts until `now`); None when there was none."""
    now = now or timezone.now()
    tz = timezone.get_current_timezone()
    range_start = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    range_end = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    longest = None
    for interruption in ServiceInterruption.objects.filter(started_at__lt=range_end).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=range_start)
    ):
        seconds = ((interruption.ended_at or now) - interruption.started_at).total_seconds()
        hours = (Decimal(seconds) / HOUR).quantize(Decimal("0.01"))
        longest = hours if longest is None else max(longest, hours)
    return longest


# --- the monthly statement (SPEC §5) ---------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    code: str
    value: Decimal | None
    limit: Decimal
    within_limit: bool | None


@dataclass(frozen=True)
class MonthlyStatement:
    month: dt.date
    settlement: penalties.Settlement
    volumes: PlanVolumes
    in_grace_period: bool  # some day of the month is inside the grace period
    grace_period_end: dt.date  # the first day the levels subject to grace are penalised
    figures: list[Figure]
    # the days on which the levels subject to grace are measured, None when the whole month
    # is in the grace period (penalties.penalised_days)
    grace_levels_days: tuple[dt.date, dt.date] | None = None

    @property
    def grace_ends_inside(self) -> bool:
        """The grace period ends during the month: its levels cover only part of it."""
        return self.grace_levels_days is not None and self.grace_levels_days[0] > self.month


def _as_decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(repr(value)).quantize(penalties.VALUE_PLACES)


# (start, end, indicator codes) -> {code: (value, target)} for the whole range
Measure = Callable[[dt.date, dt.date, list[str]], dict[str, tuple[Decimal | None, str]]]


def indicator_values(start: dt.date, end: dt.date, codes: list[str]) -> dict:
    """The statement's default source of level values: the indicator engine on the range."""
    if not codes:
        return {}
    return {
        r.indicator: (_as_decimal(r.value), r.target or "")
        for r in indicator_report(start=start, end=end, period="range", codes=codes)
        if not r.keys
    }


def monthly_statement(
    *,
    month: dt.date,
    invoice_phone: Decimal,
    invoice_forms: Decimal,
    measure: Measure = indicator_values,
) -> MonthlyStatement:
    """Each service level's value, target, threshold and penalty for the month, with the
    10% cap (SPEC §5). Plan conformity comes from orders and productive hours on the whole
    month; the other levels from `measure` (the indicator engine, definitions in force on the
    first measured day) on the days `penalties.penalised_days` gives: the whole month, or
    its days from the end of the grace period when it ends inside the month."""
    start, end = month_bounds(month)
    settings = contract_settings()
    levels = levels_in_force(start)
    volumes = plan_volumes(start, end)
    grace_days = penalties.penalised_days(
        month_start=start,
        month_end=end,
        activity_start=settings.activity_start,
        grace_months=settings.grace_months,
        subject_to_grace=True,
    )
    full = (start, end)

    def days_of(level: ServiceLevel) -> tuple[dt.date, dt.date]:
        return grace_days if level.subject_to_grace and grace_days else full

    ranges = {days_of(level) for level in levels}
    values = {
        days: measure(
            *days,
            sorted(
                {lv.indicator_code for lv in levels if lv.indicator_code and days_of(lv) == days}
            ),
        )
        for days in ranges
    }
    range_volumes = {days: volumes if days == full else plan_volumes(*days) for days in ranges}
    units = {
        version.code: version.unit
        for version in versions_in_force(start, [lv.indicator_code for lv in levels])
    }
    lines = []
    for level in levels:
        days = days_of(level)
        objective = None
        if level.source == "plan_conformity":
            value, target = penalties.plan_conformity(*volumes.conformity_volumes()), level.target
            objective = penalties.PLAN_CONFORMITY_OBJECTIVE
        else:
            value, target = values[days].get(level.indicator_code, (None, ""))
            target = target or level.target
        terms = penalties.LevelTerms(
            code=level.code,
            label=level.label,
            breach=level.breach,
            threshold=level.threshold,
            rate=level.rate,
            invoice=level.invoice,
            activity=level.activity,
            subject_to_grace=level.subject_to_grace,
            unit=units.get(level.indicator_code, "rate"),
        )
        in_grace = level.subject_to_grace and grace_days is None
        lines.append(
            penalties.level_line(
                terms,
                value=value,
                target=target,
                in_grace=in_grace,
                commitment=range_volumes[days].commitment_holds(level.activity),
                invoice_phone=invoice_phone,
                invoice_forms=invoice_forms,
                measured=days,
                objective=objective,
            )
        )
    longest = interruption_max_hours(start, end)
    limit = Decimal(settings.interruption_limit_hours)
    return MonthlyStatement(
        month=start,
        settlement=penalties.settle(
            lines, invoice_phone=invoice_phone, invoice_forms=invoice_forms
        ),
        volumes=volumes,
        in_grace_period=grace_days is None or grace_days[0] > start,
        grace_period_end=penalties.grace_period_end(settings.activity_start, settings.grace_months),
        figures=[
            Figure(
                code="service_interruption_max_hours",
                value=longest,
                limit=limit,
                within_limit=None if longest is None else longest <= limit,
            )
        ],
        grace_levels_days=grace_days,
    )
