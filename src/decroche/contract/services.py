"""Writes of the contract app: settings, orders, service levels, invoices, service
interruptions (SPEC §5, §6); target changes are in `target_changes.py`. Every business
action writes one audit entry."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from decroche.core.calendar import is_working_day
from decroche.core.services import log_action

from .choices import OrderStatus
from .deadlines import (
    order_deemed_valid,
    order_validation_deadline,
    ten_day_period,
)
from .models import (
    ContractSettings,
    MonthlyInvoice,
    Order,
    OrderAmendment,
    OrderLine,
    OrderPeriod,
    ServiceInterruption,
    ServiceLevel,
)

SERVICE_LEVELS_FILE = Path(__file__).with_name("service_levels.toml")

# (day, hour or None for the whole day, quantity)
LineInput = tuple[dt.date, int | None, Decimal]


# --- settings and service levels -------------------------------------------------------------


@transaction.atomic
def contract_settings_update(*, user=None, **fields) -> ContractSettings:
    """Change the contract settings; the grace period is checked to be at most 4 months."""
    current = ContractSettings.objects.select_for_update().first() or ContractSettings()
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean()
    current.save()
    log_action("contract.settings.updated", user=user, data={k: str(v) for k, v in fields.items()})
    return current


@transaction.atomic
def service_levels_load() -> int:
    """Add the shipped service levels (service_levels.toml) whose code is not yet in the
    database. Idempotent; returns the number added."""
    data = tomllib.loads(SERVICE_LEVELS_FILE.read_text(encoding="utf-8"))
    known = set(ServiceLevel.objects.values_list("code", flat=True))
    added = 0
    for position, entry in enumerate(data["levels"]):
        if entry["code"] in known:
            continue
        level = ServiceLevel(
            code=entry["code"],
            label=entry["label"],
            source=entry["source"],
            indicator_code=entry["code"] if entry["source"] == "indicator" else "",
            activity=entry["activity"],
            target=entry.get("target", ""),
            breach=entry["breach"],
            threshold=Decimal(entry["threshold"]),
            rate=Decimal(entry["rate"]),
            invoice=entry["invoice"],
            subject_to_grace=entry.get("grace", True),
            position=position,
            valid_from=dt.date.fromisoformat(data["valid_from"]),
            change_note="service_levels.toml",
        )
        level.full_clean()
        level.save()
        added += 1
    return added


@transaction.atomic
def service_level_revise(
    *, code: str, valid_from: dt.date, user=None, change_note: str = "", **changes
) -> ServiceLevel:
    """A new version of service level `code` from `valid_from` (threshold, rate, invoice...);
    the version in force until then ends the day before."""
    current = (
        ServiceLevel.objects.select_for_update()
        .filter(code=code, valid_to__isnull=True)
        .order_by("-valid_from")
        .first()
    )
    if current is None:
        raise ValidationError(_("Unknown service level %(code)s.") % {"code": code})
    if valid_from <= current.valid_from:
        raise ValidationError(
            _("A new version must start after the one in force (from %(date)s).")
            % {"date": current.valid_from.isoformat()}
        )
    current.valid_to = valid_from - dt.timedelta(days=1)
    current.save(update_fields=["valid_to"])
    revised = ServiceLevel.objects.get(pk=current.pk)
    revised.pk = None
    revised.valid_from, revised.valid_to, revised.change_note = valid_from, None, change_note
    for name, value in changes.items():
        setattr(revised, name, value)
    revised.full_clean()
    revised.save()
    log_action(
        "contract.service_level.revised",
        user=user,
        data={
            "code": code,
            "valid_from": valid_from.isoformat(),
            **{k: str(v) for k, v in changes.items()},
        },
    )
    return revised


# --- orders (SPEC §6) ------------------------------------------------------------------------


def order_period_get_or_create(*, start: dt.date) -> OrderPeriod:
    """The ten-working-day period beginning on `start` (or the next working day)."""
    first, last = ten_day_period(start)
    period, _created = OrderPeriod.objects.get_or_create(start=first, defaults={"end": last})
    return period


def order_line_problem(
    period: OrderPeriod, day: dt.date, hour: int | None, quantity: Decimal
) -> tuple[str, str] | None:
    """(field, reason) when a line cannot belong to the order of `period`, else None."""
    if not period.start <= day <= period.end:
        return "day", _("%(day)s is outside the period %(period)s.") % {
            "day": day,
            "period": period,
        }
    if not is_working_day(day):
        return "day", _("%(day)s is not a working day; nothing can be ordered for it.") % {
            "day": day
        }
    if hour is not None and not 0 <= hour <= 23:
        return "hour", _("An hour is between 0 and 23.")
    if Decimal(quantity) < 0:
        return "quantity", _("A quantity cannot be negative.")
    return None


def _check_lines(period: OrderPeriod, lines: Iterable[LineInput]) -> list[LineInput]:
    checked = list(lines)
    seen: set[tuple[dt.date, int | None]] = set()
    for day, hour, quantity in checked:
        problem = order_line_problem(period, day, hour, quantity)
        if problem:
            raise ValidationError(problem[1])
        if (day, hour) in seen:
            raise ValidationError(
                _("%(day)s %(hour)s is given twice.")
                % {"day": day, "hour": "" if hour is None else f"{hour} h"}
            )
        seen.add((day, hour))
    return checked


def _write_lines(order: Order, lines: list[LineInput]) -> None:
    OrderLine.objects.bulk_create(
        [OrderLine(order=order, day=d, hour=h, quantity=Decimal(q)) for d, h, q in lines]
    )


def _lines_total(lines: Iterable[LineInput]) -> Decimal:
    return sum((Decimal(q) for _d, _h, q in lines), Decimal("0"))


@transaction.atomic
def order_issue(
    *,
    period_start: dt.date,
    unit: str,
    kind: str,
    lines: Iterable[LineInput],
    issued_on: dt.date,
    user=None,
) -> Order:
    """The Cnam orders productive hours or acts for a ten-day period; the contractor must
    validate by `order_validation_deadline` (3 working days), else the order stands."""
    period = order_period_get_or_create(start=period_start)
    checked = _check_lines(period, lines)
    order = Order(
        period=period,
        unit=unit,
        kind=kind,
        issued_on=issued_on,
        validation_deadline=order_validation_deadline(issued_on),
        issued_by=user,
    )
    order.full_clean()
    order.save()
    _write_lines(order, checked)
    log_action(
        "contract.order.issued",
        user=user,
        data={
            "order": order.pk,
            "period": period.start.isoformat(),
            "unit": unit,
            "kind": kind,
            "total": str(_lines_total(checked)),
            "deadline": order.validation_deadline.isoformat(),
        },
    )
    return order


@transaction.atomic
def order_answer(
    *, order: Order, accept: bool, answered_on: dt.date, user=None, note: str = ""
) -> Order:
    """The contractor validates or refuses an order, within its deadline."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status != OrderStatus.PROPOSED:
        raise ValidationError(_("This order has already been answered or stands by itself."))
    if answered_on > order.validation_deadline:
        raise ValidationError(
            _("The deadline was %(date)s: the order is deemed valid.")
            % {"date": order.validation_deadline.isoformat()}
        )
    order.status = OrderStatus.VALIDATED if accept else OrderStatus.REFUSED
    order.answered_on, order.answered_by, order.answer_note = answered_on, user, note
    order.save()
    log_action(
        "contract.order.validated" if accept else "contract.order.refused",
        user=user,
        data={"order": order.pk, "on": answered_on.isoformat()},
    )
    return order


@transaction.atomic
def order_amend(
    *, order: Order, lines: Iterable[LineInput], reason: str, amended_on: dt.date, user=None
) -> Order:
    """Replace an order's lines; the previous ones are kept in its history and the amended
    order goes back to the contractor for validation within 3 working days."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    checked = _check_lines(order.period, lines)
    previous = [
        {"day": line.day.isoformat(), "hour": line.hour, "quantity": str(line.quantity)}
        for line in order.lines.all()
    ]
    order.revision += 1
    OrderAmendment.objects.create(
        order=order,
        revision=order.revision,
        reason=reason,
        previous_status=order.status,
        previous_lines=previous,
        previous_total=sum((Decimal(p["quantity"]) for p in previous), Decimal("0")),
        new_total=_lines_total(checked),
        amended_on=amended_on,
        amended_by=user,
    )
    order.lines.all().delete()
    _write_lines(order, checked)
    order.status = OrderStatus.PROPOSED
    order.issued_on = amended_on
    order.validation_deadline = order_validation_deadline(amended_on)
    order.answered_on, order.answered_by, order.answer_note = None, None, ""
    order.save()
    log_action(
        "contract.order.amended",
        user=user,
        data={"order": order.pk, "revision": order.revision, "reason": reason},
    )
    return order


@transaction.atomic
def orders_deem_valid(*, today: dt.date) -> list[Order]:
    """Orders unanswered after their 3 working days stand by themselves (SPEC §6). Idempotent."""
    overdue = [
        order
        for order in Order.objects.select_for_update().filter(
            status=OrderStatus.PROPOSED, validation_deadline__lt=today
        )
        if order_deemed_valid(order.issued_on, today)
    ]
    for order in overdue:
        order.status = OrderStatus.DEEMED_VALID
        order.save(update_fields=["status"])
        log_action(
            "contract.order.deemed_valid",
            data={"order": order.pk, "deadline": order.validation_deadline.isoformat()},
        )
    return overdue


# --- invoices --------------------------------------------------------------------------------


@transaction.atomic
def monthly_invoice_record(
    *, month: dt.date, phone_amount: Decimal, forms_amount: Decimal, user=None
) -> MonthlyInvoice:
    """Record (or correct) the production invoices of a month."""
    invoice, _created = MonthlyInvoice.objects.update_or_create(
        month=month.replace(day=1),
        defaults={"phone_amount": phone_amount, "forms_amount": forms_amount, "recorded_by": user},
    )
    log_action(
        "contract.invoice.recorded",
        user=user,
        data={
            "month": f"{month:%Y-%m}",
            "phone_amount": str(phone_amount),
            "forms_amount": str(forms_amount),
        },
    )
    return invoice


# --- service continuity (SPEC §6) ------------------------------------------------------------


@transaction.atomic
def service_interruption_record(
    *,
    cause: str,
    started_at: dt.datetime,
    ended_at: dt.datetime | None = None,
    site=None,
    description: str = "",
    user=None,
) -> ServiceInterruption:
    """Record a service interruption; `ended_at` may come later (service_interruption_end)."""
    if ended_at is not None and ended_at < started_at:
        raise ValidationError(_("An interruption cannot end before it starts."))
    interruption = ServiceInterruption(
        cause=cause,
        started_at=started_at,
        ended_at=ended_at,
        site=site,
        description=description,
        recorded_by=user,
    )
    interruption.full_clean()
    interruption.save()
    log_action(
        "contract.interruption.recorded",
        user=user,
        data={"interruption": interruption.pk, "cause": cause, "start": started_at.isoformat()},
    )
    return interruption


@transaction.atomic
def service_interruption_end(
    *, interruption: ServiceInterruption, ended_at: dt.datetime, user=None
) -> ServiceInterruption:
    if ended_at < interruption.started_at:
        raise ValidationError(_("An interruption cannot end before it starts."))
    interruption.ended_at = ended_at
    interruption.save(update_fields=["ended_at"])
    log_action(
        "contract.interruption.ended",
        user=user,
        data={"interruption": interruption.pk, "end": ended_at.isoformat()},
    )
    return interruption
