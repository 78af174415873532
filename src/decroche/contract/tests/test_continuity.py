"""Service interruptions and the 48-hour limit (SPEC §6)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from decroche.contacts.factories import at
from decroche.contract.selectors import interruption_max_hours, monthly_statement
from decroche.contract.services import service_interruption_end, service_interruption_record

pytestmark = pytest.mark.django_db


def test_longest_interruption_of_the_month_against_48_hours():
    # Power: 2 March 08:00 → 3 March 14:30 = 30.5 h
    service_interruption_record(
        cause="power",
        started_at=at(dt.date(2026, 3, 2), 8),
        ended_at=at(dt.date(2026, 3, 3), 14, 30),
    )
    # Fire: 30 March 09:00 → 1 April 10:00 = 49 h (overlaps March, counted whole)
    fire = service_interruption_record(cause="fire", started_at=at(dt.date(2026, 3, 30), 9))
    service_interruption_end(interruption=fire, ended_at=at(dt.date(2026, 4, 1), 10))
    assert interruption_max_hours(dt.date(2026, 3, 1), dt.date(2026, 3, 31)) == Decimal("49.00")
    assert interruption_max_hours(dt.date(2026, 2, 1), dt.date(2026, 2, 28)) is None
    statement = monthly_statement(
        month=dt.date(2026, 3, 1), invoice_phone=Decimal("1000"), invoice_forms=Decimal("0")
    )
    figure = statement.figures[0]
    assert (figure.code, figure.value, figure.limit, figure.within_limit) == (
        "service_interruption_max_hours",
        Decimal("49.00"),
        Decimal("48"),
        False,
    )


def test_running_interruption_counts_until_now():
    service_interruption_record(cause="network", started_at=at(dt.date(2026, 3, 2), 8))
    now = at(dt.date(2026, 3, 2), 20)
    assert interruption_max_hours(dt.date(2026, 3, 1), dt.date(2026, 3, 31), now=now) == Decimal(
        "12.00"
    )


def test_end_before_start_is_refused():
    with pytest.raises(ValidationError):
        service_interruption_record(
            cause="power",
            started_at=at(dt.date(2026, 3, 2), 8),
            ended_at=at(dt.date(2026, 3, 2), 7),
        )
