"""The penalty arithmetic alone (SPEC §5): cap, grace period, 120% rule, rounding."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from decroche.contract import penalties
from decroche.contract.penalties import Status

D = Decimal


def test_euros_round_half_up_to_the_cent():
    assert penalties.euros(D("1.005")) == D("1.01")
    assert penalties.euros(D("1.0049")) == D("1.00")
    assert penalties.euros(D("2.675")) == D("2.68")


def test_cap_is_ten_percent_of_the_whole_monthly_invoice():
    # 10% × (250 000 + 30 000) = 28 000.00
    assert penalties.penalty_cap(D("280000")) == D("28000.00")


def test_cap_exactly_reached_is_capped_but_not_beyond():
    # penalties = 28 000.00 = cap: the cap is reached, nothing is cut, no termination risk
    assert penalties.apply_cap(D("28000.00"), D("28000.00")) == (D("28000.00"), True, False)


def test_just_under_the_cap():
    assert penalties.apply_cap(D("27999.99"), D("28000.00")) == (D("27999.99"), False, False)


def test_above_the_cap_is_cut_and_flags_termination_risk():
    assert penalties.apply_cap(D("28000.01"), D("28000.00")) == (D("28000.00"), True, True)


def test_grace_period_is_at_most_four_months():
    penalties.check_grace_months(4)
    with pytest.raises(ValueError):
        penalties.check_grace_months(5)


@pytest.mark.parametrize(
    ("activity_start", "month_start", "in_grace"),
    [
        # start 1 Jan 2026 + 2 months = 1 Mar 2026: March is the first penalised month
        (dt.date(2026, 1, 1), dt.date(2026, 2, 1), True),
        (dt.date(2026, 1, 1), dt.date(2026, 3, 1), False),
        # start 2 Jan 2026 + 2 months = 2 Mar 2026: the grace period ends inside March,
        # so March is no longer wholly in it (measured from 2 March, see below)
        (dt.date(2026, 1, 2), dt.date(2026, 3, 1), False),
        (dt.date(2026, 1, 2), dt.date(2026, 2, 1), True),
        (dt.date(2026, 1, 2), dt.date(2026, 4, 1), False),
    ],
)
def test_grace_boundary_day(activity_start, month_start, in_grace):
    assert (
        penalties.grace_period_applies(
            month_start=month_start,
            activity_start=activity_start,
            grace_months=2,
            subject_to_grace=True,
        )
        is in_grace
    )


def test_plan_conformity_is_never_in_grace():
    assert not penalties.grace_period_applies(
        month_start=dt.date(2026, 1, 1),
        activity_start=dt.date(2026, 1, 1),
        grace_months=4,
        subject_to_grace=False,
    )


@pytest.mark.parametrize(
    ("month_start", "month_end", "expected"),
    [
        # start 15 Jan 2026, 4 months: grace 15 Jan – 14 May, 15 May first penalised day
        (dt.date(2026, 4, 1), dt.date(2026, 4, 30), None),
        (dt.date(2026, 5, 1), dt.date(2026, 5, 31), (dt.date(2026, 5, 15), dt.date(2026, 5, 31))),
        (dt.date(2026, 6, 1), dt.date(2026, 6, 30), (dt.date(2026, 6, 1), dt.date(2026, 6, 30))),
    ],
)
def test_penalised_days_of_the_month_the_grace_ends(month_start, month_end, expected):
    assert (
        penalties.penalised_days(
            month_start=month_start,
            month_end=month_end,
            activity_start=dt.date(2026, 1, 15),
            grace_months=4,
            subject_to_grace=True,
        )
        == expected
    )


def test_penalised_days_never_exceed_the_grace_months():
    # start 1 Mar 2026 + 2 months = 1 May: May is whole (grace 1 Mar – 30 Apr, two months)
    assert penalties.penalised_days(
        month_start=dt.date(2026, 5, 1),
        month_end=dt.date(2026, 5, 31),
        activity_start=dt.date(2026, 3, 1),
        grace_months=2,
        subject_to_grace=True,
    ) == (dt.date(2026, 5, 1), dt.date(2026, 5, 31))
    # plan conformity is measured on the whole month even on the first day of activity
    assert penalties.penalised_days(
        month_start=dt.date(2026, 3, 1),
        month_end=dt.date(2026, 3, 31),
        activity_start=dt.date(2026, 3, 1),
        grace_months=4,
        subject_to_grace=False,
    ) == (dt.date(2026, 3, 1), dt.date(2026, 3, 31))


def test_grace_end_clips_to_month_end():
    # 31 October + 4 months = 28 February (2027 is not a leap year)
    assert penalties.grace_period_end(dt.date(2026, 10, 31), 4) == dt.date(2027, 2, 28)


def test_commitment_holds_up_to_exactly_120_percent():
    # 100 ordered × 1.20 = 120: 120 holds, 120.01 does not
    assert penalties.commitment_holds(D("120"), D("100"))
    assert not penalties.commitment_holds(D("120.01"), D("100"))
    assert penalties.commitment_holds(D("500"), D("0"))


def test_plan_conformity_counts_up_to_120_percent():
    assert penalties.plan_conformity(D("90"), D("100")) == D("0.9")
    assert penalties.plan_conformity(D("125"), D("100")) == D("1.2")
    assert penalties.plan_conformity(D("10"), D("0")) is None


def _terms(**overrides):
    values = dict(
        code="answer_rate",
        label="Answer rate",
        breach="<",
        threshold=D("0.89"),
        rate=D("0.02"),
        invoice="phone",
        activity="phone",
        subject_to_grace=True,
    )
    values.update(overrides)
    return penalties.LevelTerms(**values)


def _line(terms, value, *, in_grace=False, commitment=True):
    return penalties.level_line(
        terms,
        value=value,
        target=">= 0.90",
        in_grace=in_grace,
        commitment=commitment,
        invoice_phone=D("250000"),
        invoice_forms=D("30000"),
    )


def test_threshold_itself_is_not_penalised():
    assert _line(_terms(), D("0.89")).status == Status.MET
    line = _line(_terms(), D("0.889999"))
    # 2% × 250 000 = 5 000.00
    assert (line.status, line.applies, line.amount) == (Status.MISSED, True, D("5000.00"))


def test_total_invoice_base_and_above_direction():
    terms = _terms(breach=">", threshold=D("240"), rate=D("0.015"), invoice="total")
    line = _line(terms, D("241"))
    # 1.5% × (250 000 + 30 000) = 4 200.00
    assert (line.base, line.amount) == (D("280000.00"), D("4200.00"))


def test_no_data_grace_and_beyond_commitment_apply_nothing():
    assert _line(_terms(), None).status == Status.NO_DATA
    assert _line(_terms(), D("0.5"), in_grace=True).status == Status.GRACE
    beyond = _line(_terms(), D("0.5"), commitment=False)
    assert (beyond.status, beyond.applies, beyond.amount) == (
        Status.BEYOND_COMMITMENT,
        False,
        D("0.00"),
    )


def test_settle_cumulates_and_caps():
    lines = [
        _line(_terms(rate=D("0.06")), D("0.5")),  # 6% × 250 000 = 15 000
        _line(_terms(code="b", rate=D("0.06")), D("0.5")),  # 15 000
    ]
    settlement = penalties.settle(lines, invoice_phone=D("250000"), invoice_forms=D("30000"))
    # 30 000 before cap > 28 000 cap
    assert settlement.total_before_cap == D("30000.00")
    assert settlement.total == D("28000.00")
    assert settlement.cap_reached and settlement.termination_risk
