"""Orders of productive hours per ten-working-day period (SPEC §6) and plan conformity."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from decroche.contacts.factories import state_make
from decroche.contract.choices import OrderKind, OrderStatus, WorkUnit
from decroche.contract.models import Order
from decroche.contract.selectors import conformity_by_day, ordered_quantities, productive_hours
from decroche.contract.services import order_amend, order_answer, order_issue
from decroche.core.models import AuditEntry

D = Decimal
pytestmark = pytest.mark.django_db


def _issue_may_order(**extra):
    return order_issue(
        period_start=dt.date(2026, 5, 4),
        unit=WorkUnit.PHONE_HOURS,
        kind=OrderKind.FIRM,
        lines=[
            (dt.date(2026, 5, 7), 9, D("10")),
            (dt.date(2026, 5, 7), 10, D("10")),
            (dt.date(2026, 5, 11), None, D("20")),
        ],
        issued_on=dt.date(2026, 4, 30),
        **extra,
    )


def test_order_period_skips_holidays_and_refuses_a_holiday_line():
    order = _issue_may_order()
    # 4 May + ten working days, skipping 8 May (Victory Day) and 14 May (Ascension) → 19 May
    assert (order.period.start, order.period.end) == (dt.date(2026, 5, 4), dt.date(2026, 5, 19))
    with pytest.raises(ValidationError):
        order_issue(
            period_start=dt.date(2026, 5, 4),
            unit=WorkUnit.FORM_HOURS,
            kind=OrderKind.FIRM,
            lines=[(dt.date(2026, 5, 8), 9, D("5"))],
            issued_on=dt.date(2026, 4, 30),
        )


def test_order_issued_before_labour_day_is_deemed_valid_after_3_working_days():
    order = _issue_may_order()
    # 30 April + 3 working days, 1 May being a holiday → Wednesday 6 May
    assert order.validation_deadline == dt.date(2026, 5, 6)
    call_command("contract_reminders", today="2026-05-06", stdout=open("/dev/null", "w"))
    order.refresh_from_db()
    assert order.status == OrderStatus.PROPOSED
    call_command("contract_reminders", today="2026-05-07", stdout=open("/dev/null", "w"))
    call_command("contract_reminders", today="2026-05-07", stdout=open("/dev/null", "w"))
    order.refresh_from_db()
    assert order.status == OrderStatus.DEEMED_VALID
    assert AuditEntry.objects.filter(action="contract.order.deemed_valid").count() == 1
    with pytest.raises(ValidationError):
        order_answer(order=order, accept=True, answered_on=dt.date(2026, 5, 7))


def test_answer_within_deadline_and_refused_orders_do_not_count():
    order = _issue_may_order()
    order_answer(order=order, accept=False, answered_on=dt.date(2026, 5, 6), note="too much")
    assert Order.objects.get().status == OrderStatus.REFUSED
    assert ordered_quantities(dt.date(2026, 5, 1), dt.date(2026, 5, 31))["UO1"] == D("0")


def test_amendment_keeps_history_and_asks_for_validation_again():
    order = _issue_may_order()
    order_answer(order=order, accept=True, answered_on=dt.date(2026, 5, 4))
    amended = order_amend(
        order=order,
        lines=[(dt.date(2026, 5, 7), None, D("15"))],
        reason="campaign cancelled",
        amended_on=dt.date(2026, 5, 5),
    )
    assert (amended.status, amended.revision) == (OrderStatus.PROPOSED, 1)
    # 5 May + 3 working days: 6, 7, (8 May holiday) 11 → Monday 11 May
    assert amended.validation_deadline == dt.date(2026, 5, 11)
    history = amended.amendments.get()
    # previous total 10 + 10 + 20 = 40, new total 15
    assert (history.previous_status, history.previous_total, history.new_total) == (
        OrderStatus.VALIDATED,
        D("40"),
        D("15"),
    )
    assert len(history.previous_lines) == 3


def test_plan_conformity_over_a_period_with_a_holiday(advisor):
    order = _issue_may_order()
    order_answer(order=order, accept=True, answered_on=dt.date(2026, 5, 5))
    # 7 May: talking 12 h + wrap-up 3 h + available 3 h = 18 h productive; pause not counted
    state_make(advisor, dt.date(2026, 5, 7), "talking", 12, start_hour=8)
    state_make(advisor, dt.date(2026, 5, 7), "wrap_up", 3, start_hour=20)
    state_make(advisor, dt.date(2026, 5, 7), "available", 3, start_hour=1)
    state_make(advisor, dt.date(2026, 5, 7), "pause", 1, start_hour=23)
    # 8 May is a holiday: a Saturday-like campaign still counts as produced (2 h)
    state_make(advisor, dt.date(2026, 5, 8), "talking", 2)
    # 11 May: 15 h of forms, counted as contact-form productive hours
    state_make(advisor, dt.date(2026, 5, 11), "forms", 15, start_hour=5)
    start, end = dt.date(2026, 5, 4), dt.date(2026, 5, 19)
    assert productive_hours(start, end) == {"phone": D("20.00"), "forms": D("15.00")}
    rows = {row["day"]: row for row in conformity_by_day(start, end)}
    # 7 May: 18 / 20 = 0.9; 8 May: ordered 0 → no ratio; 11 May: 15 / 20 = 0.75
    assert rows[dt.date(2026, 5, 7)]["conformity"] == D("0.9")
    assert rows[dt.date(2026, 5, 8)]["conformity"] is None
    assert rows[dt.date(2026, 5, 11)]["conformity"] == D("0.75")
    # the period: (20 + 15) produced / 40 ordered = 0.875
    assert ordered_quantities(start, end)["UO1"] == D("40")
