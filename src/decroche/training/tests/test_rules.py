"""The pure rules (SPEC §8): planning deadline on working days, hours per half-day, the
day a module is completed and the initially-trained test."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from decroche.training import rules


def test_deadline_is_one_month_later_on_a_working_day():
    # Tuesday 3 March 2026 + 1 month = Friday 3 April 2026, a working day.
    assert rules.planning_deadline(dt.date(2026, 3, 3)) == dt.date(2026, 4, 3)
    # 31 January 2026 + 1 month is clipped to Saturday 28 February → Monday 2 March.
    assert rules.planning_deadline(dt.date(2026, 1, 31)) == dt.date(2026, 3, 2)
    # 1 April 2026 + 1 month = Friday 1 May (Labour Day) → Monday 4 May 2026.
    assert rules.planning_deadline(dt.date(2026, 4, 1)) == dt.date(2026, 5, 4)


def test_half_day_hours():
    hours = Decimal("3.5")
    assert rules.half_day_hours("present", hours, 0) == Decimal("3.5")
    # 30 minutes late: 3.5 − 0.5 = 3.0 h.
    assert rules.half_day_hours("late", hours, 30) == Decimal("3.00")
    # left 45 min early: 3.5 − 0.75 = 2.75 h.
    assert rules.half_day_hours("left_early", hours, 45) == Decimal("2.75")
    assert rules.half_day_hours("excused", hours, 0) == 0
    assert rules.half_day_hours("absent", hours, 0) == 0


def test_module_completed_on_the_half_day_that_reaches_the_duration():
    monday, tuesday = dt.date(2026, 11, 2), dt.date(2026, 11, 3)
    attended = [(tuesday, Decimal("3.5")), (monday, Decimal("3.5")), (monday, Decimal("3.5"))]
    # 3.5 + 3.5 = 7 h on Monday: a 7-hour module is completed on Monday.
    assert rules.module_completed_on(attended, Decimal("7")) == monday
    # 10.5 h in all: a 14-hour module is not completed.
    assert rules.module_completed_on(attended, Decimal("14")) is None


def test_initially_trained_needs_every_required_module_before_going_operational():
    done = {1: dt.date(2026, 1, 5), 2: dt.date(2026, 1, 8)}
    assert rules.initially_trained(done, [1, 2], dt.date(2026, 1, 8))
    assert not rules.initially_trained(done, [1, 2], dt.date(2026, 1, 7))  # module 2 after
    assert not rules.initially_trained(done, [1, 2, 3], dt.date(2026, 2, 1))  # 3 missing
    assert not rules.initially_trained(done, [], dt.date(2026, 2, 1))


def test_session_money_per_person_and_per_session():
    # 001: €1,620 per person, 70 % funded. 3 trainees: 4,860; funded 3,402; rest 1,458
    # invoiced 2 × 486 = 972 to the CPAM, 486 to the CAF.
    cost, funded, invoiced = rules.session_money(
        price=Decimal("1620"),
        per_person=True,
        funded_share=Decimal("0.70"),
        trainees_by_employer={"CPAM": 2, "CAF": 1},
    )
    assert (cost, funded) == (Decimal("4860"), Decimal("3402.00"))
    assert invoiced == {"CAF": Decimal("486.00"), "CPAM": Decimal("972.00")}
    # €1,000 per session, nothing funded, 3 employers with one trainee each: 333.33 each
    # and the cent left over to one of them (sorted by name): 333.34 + 333.33 + 333.33.
    _cost, _funded, invoiced = rules.session_money(
        price=Decimal("1000"),
        per_person=False,
        funded_share=Decimal("0"),
        trainees_by_employer={"A": 1, "B": 1, "C": 1},
    )
    assert invoiced == {"A": Decimal("333.34"), "B": Decimal("333.33"), "C": Decimal("333.33")}
    assert sum(invoiced.values()) == Decimal("1000")
