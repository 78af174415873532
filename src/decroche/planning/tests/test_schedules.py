"""The schedule optimiser on small cases checked by hand (SPEC §6 flexibility rules)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from decroche.planning.schedules import (
    FORMS,
    LUNCH,
    PHONE,
    AdvisorInput,
    AdvisorShift,
    Requirement,
    ShiftRules,
    lever_shortfalls,
    optimise_schedule,
    schedule_cost,
    shift_patterns,
    weekly_bounds,
)
from decroche.planning.schedules.greedy import greedy_schedule
from decroche.planning.schedules.solver import ScheduleModel
from decroche.planning.schedules.split import split_flows
from decroche.planning.schedules.weeks import independent_weeks

MONDAY = dt.date(2026, 3, 2)
WEEK = tuple(MONDAY + dt.timedelta(days=i) for i in range(5))
TWO_WEEKS = WEEK + tuple(MONDAY + dt.timedelta(days=7 + i) for i in range(5))
FREE = {"weekly_hours_min": 0.0}


def requirement(days, phone_rows, forms_hours=None) -> Requirement:
    return Requirement(
        tuple(days),
        tuple(tuple(row) for row in phone_rows),
        tuple(forms_hours or [0.0] * len(days)),
    )


def row(needed: int, start: str = "08:30", end: str = "17:30") -> list[int]:
    """``needed`` advisors on the phones from ``start`` to ``end``, none otherwise."""
    rules = ShiftRules()
    first = rules.index(dt.time.fromisoformat(start))
    last = rules.index(dt.time.fromisoformat(end))
    return [needed if first <= t < last else 0 for t in range(rules.intervals)]


def advisor(key, *, phone=True, forms=False, days=1, absent=(), **bounds) -> AdvisorInput:
    available = tuple(d not in absent for d in range(days))
    return AdvisorInput(key, f"Advisor {key}", phone, forms, available, **bounds)


def solve(req, advisors, **rules):
    return optimise_schedule(req, advisors, ShiftRules(**{**FREE, **rules}), time_limit=10)


def test_patterns_stay_in_opening_hours_and_take_lunch_in_the_window():
    rules = ShiftRules()
    window = range(rules.index(rules.lunch_window_start), rules.index(rules.lunch_window_end))
    patterns = shift_patterns(rules)
    assert patterns
    for p in patterns:
        assert 0 <= p.start < p.end <= rules.intervals
        assert rules.min_daily <= p.work <= rules.max_daily
        if p.work > 12:  # more than 6 h of work
            assert p.lunch_start is not None and 1 <= p.lunch_length <= 2
            assert all(t in window for t in range(p.lunch_start, p.lunch_start + p.lunch_length))
            assert p.start < p.lunch_start and p.lunch_start + p.lunch_length < p.end
        else:
            assert p.lunch_start is None


def test_a_morning_need_gives_exactly_one_morning_shift():
    """One advisor needed 08:30–12:30, shifts of exactly 4 h: one advisor works it, two rest."""
    req = requirement([MONDAY], [row(1, "08:30", "12:30")])
    result = solve(req, [advisor(1), advisor(2), advisor(3)], min_daily_hours=4, max_daily_hours=4)
    assert result.status == "optimal"
    assert len(result.shifts) == 1
    shift = result.shifts[0]
    assert (shift.pattern.start, shift.pattern.end) == (0, 8)
    assert shift.activities == PHONE * 8 + "." * 10
    assert result.paid_hours == 4
    assert result.phone_shortfall_hours == 0


def test_a_full_day_is_covered_by_two_short_shifts_at_the_fewest_paid_hours():
    """08:30–17:30 with one advisor: two shifts of at most 6 h (no lunch) beat any shift
    with a lunch break, which would need someone else during the lunch."""
    req = requirement([MONDAY], [row(1)])
    result = solve(req, [advisor(1), advisor(2), advisor(3)])
    assert result.status == "optimal"
    assert result.paid_hours == 9
    assert result.phone_planned == [row(1)]
    assert len(result.shifts) == 2  # e.g. 4.5 h + 4.5 h or 4 h + 5 h
    assert all(s.paid_hours <= 6 and s.pattern.lunch_start is None for s in result.shifts)


def test_long_shifts_take_their_lunch_inside_the_window():
    rules = {"min_daily_hours": 7, "max_daily_hours": 8}
    req = requirement([MONDAY], [row(2)])
    result = solve(req, [advisor(i) for i in range(1, 6)], **rules)
    window = range(ShiftRules().index(dt.time(11, 30)), ShiftRules().index(dt.time(14, 0)))
    assert result.shifts
    for shift in result.shifts:
        lunch = [t for t, a in enumerate(shift.activities) if a == LUNCH]
        assert 1 <= len(lunch) <= 2 and all(t in window for t in lunch)
        assert 7 <= shift.paid_hours <= 8
    assert result.phone_shortfall_hours == 0


def test_daily_hours_stay_within_the_bounds():
    req = requirement(WEEK, [row(3, "09:00", "16:00")] * 5)
    result = solve(
        req, [advisor(i, days=5) for i in range(6)], min_daily_hours=5, max_daily_hours=6
    )
    assert result.shifts
    assert all(5 <= s.paid_hours <= 6 for s in result.shifts)
    assert result.phone_shortfall_hours == 0


def test_weekly_maximum_caps_hours_and_the_shortfall_is_reported():
    """One advisor, 35 h of need over the week, at most 20 h a week: 15 h uncovered."""
    req = requirement(WEEK, [row(1, "09:00", "16:00")] * 5)
    result = solve(req, [advisor(1, days=5)], weekly_hours_max=20)
    assert result.weekly_hours[1] == {"2026-W10": 20.0}
    assert result.paid_hours == 20
    assert result.phone_shortfall_hours == 15
    assert result.status == "optimal"


def test_weekly_minimum_is_paid_even_without_need():
    req = requirement(WEEK, [[0] * 18] * 5)
    result = solve(req, [advisor(1, days=5)], weekly_hours_min=10)
    assert result.paid_hours == 10
    # An absence of two days prorates the minimum: 10 h × 3/5.
    result = solve(req, [advisor(1, days=5, absent=(0, 1))], weekly_hours_min=10)
    assert result.paid_hours == 6
    assert {s.day for s in result.shifts} <= set(WEEK[2:])


def test_an_absent_advisor_gets_no_shift():
    req = requirement(WEEK[:2], [row(1), row(1)])
    result = solve(req, [advisor(1, days=2), advisor(2, days=2, absent=(0,)), advisor(3, days=2)])
    assert not [s for s in result.shifts if s.advisor == 2 and s.day == WEEK[0]]
    assert result.phone_shortfall_hours == 0


def test_a_forms_only_advisor_does_not_answer_the_phone():
    req = requirement([MONDAY], [row(1)])
    result = solve(req, [advisor("forms", phone=False, forms=True)])
    assert not any(PHONE in s.activities for s in result.shifts)
    assert result.phone_shortfall_hours == 9


def test_forms_hours_are_covered_by_forms_advisors():
    req = requirement([MONDAY], [row(1, "08:30", "12:30")], forms_hours=[4.0])
    result = solve(req, [advisor("phone"), advisor("forms", phone=False, forms=True)])
    by_advisor = {s.advisor: s for s in result.shifts}
    assert by_advisor["forms"].activities.count(FORMS) == 8
    assert by_advisor["phone"].activities.count(PHONE) == 8
    assert result.forms_planned_hours == [4.0]
    assert result.paid_hours == 8


def test_an_advisor_of_both_skills_answers_forms_when_the_phones_are_covered():
    """Phones need one advisor 08:30–12:30 and forms 4 h: one 8 h shift can do both."""
    req = requirement([MONDAY], [row(1, "08:30", "12:30")], forms_hours=[4.0])
    # One day of a week: the weekly maximum is prorated to a fifth, 8 h here.
    result = solve(req, [advisor(1, forms=True)], weekly_hours_max=40, lunch_after_hours=8)
    (shift,) = result.shifts
    assert shift.activities.count(PHONE) == 8 and shift.activities.count(FORMS) == 8
    assert result.phone_shortfall_hours == 0 and result.forms_shortfall_hours == 0


def test_destaffing_lever_lengthens_shifts_above_the_daily_minimum():
    """25% of the planned hours must be releasable on the day, i.e. above the 4 h minimum:
    a 4 h need is planned as 5.5 h (4 ≤ 0.75 × 5.5)."""
    req = requirement([MONDAY], [row(1, "08:30", "12:30")])
    result = solve(req, [advisor(1), advisor(2)], destaffing_share=0.25)
    assert result.paid_hours == 5.5
    assert result.releasable_hours == [1.5]


def test_reinforcement_lever_shortfall_is_computed_per_day_and_week():
    rules = ShiftRules(reinforcement_share=0.5, destaffing_share=0.0)
    capacities = ([32], {"2026-W10": ((0,), 32)})
    assert lever_shortfalls(rules, [24], [2], capacities) == {
        ("reinforce", 0): 4,
        ("reinforce", "2026-W10"): 4,
    }
    assert lever_shortfalls(rules, [20], [2], capacities)[("reinforce", 0)] == 0


def test_annualised_hours_move_hours_between_weeks():
    """All the need (4 h a day) is in week 1; 12 h a week, ±4 h in flexible weeks."""
    need = [row(1, "08:30", "12:30")] * 5 + [[0] * 18] * 5
    req = requirement(TWO_WEEKS, need)
    strict = solve(req, [advisor(1, days=10)], weekly_hours_max=12)
    assert strict.paid_hours == 12 and strict.phone_shortfall_hours == 8
    flexible = solve(req, [advisor(1, days=10)], weekly_hours_max=12, annualised_tolerance_hours=4)
    assert flexible.weekly_hours[1] == {"2026-W10": 16.0, "2026-W11": 0.0}
    assert flexible.phone_shortfall_hours == 4


def test_an_impossible_requirement_still_gets_the_best_schedule():
    req = requirement([MONDAY], [row(5)])
    result = solve(req, [advisor(1), advisor(2)])
    assert result.shifts
    assert result.phone_shortfall_hours == 45 - result.paid_hours
    assert sum(map(sum, result.phone_shortfall)) == 90 - sum(map(sum, result.phone_planned))


def test_flow_model_splits_identical_advisors_within_their_weekly_bounds():
    """Three identical advisors, 12 h a week at most: the flow model (HiGHS) hands each one a
    week within the bound, and its optimum equals the optimiser's."""
    req = requirement(WEEK, [row(2, "09:00", "13:00")] * 5)
    advisors = [advisor(i, days=5) for i in range(3)]
    rules = ShiftRules(weekly_hours_min=0, weekly_hours_max=12)
    model = ScheduleModel(req, advisors, rules, weekly="flow", backend="highs")
    assert model.model.solver.Solve() == 0
    value = lambda e: e if isinstance(e, int) else round(e.solution_value())  # noqa: E731
    lengths, flows, _patterns, _forms = model.solution(value)
    handed = split_flows(req, rules, model.units, lengths, flows, model.lengths)
    weekly = {i: sum(sum(v) for (key, _d), v in handed.items() if key == i) for i in range(3)}
    assert all(hours <= 24 for hours in weekly.values())
    assert sum(weekly.values()) == 72  # 36 h: every advisor at the 12 h maximum
    result = optimise_schedule(req, advisors, rules, time_limit=10)
    assert result.paid_hours == 36 and result.phone_shortfall_hours == 4


@pytest.mark.parametrize("weekly_min", [0.0, 24.0])
def test_the_optimiser_never_does_worse_than_the_greedy_baseline(weekly_min):
    shape = [1, 2, 3, 4, 4, 3, 2, 2, 2, 3, 4, 4, 3, 3, 2, 2, 1, 1]
    req = requirement(WEEK, [[v + d % 2 for v in shape] for d in range(5)], [3.0] * 5)
    advisors = [
        advisor(i, days=5, forms=i % 3 == 0, absent=(i % 5,) if i < 2 else ()) for i in range(8)
    ]
    advisors.append(advisor("forms", days=5, phone=False, forms=True))
    rules = ShiftRules(weekly_hours_min=weekly_min)
    greedy = greedy_schedule(req, advisors, rules)
    best = optimise_schedule(req, advisors, rules, time_limit=10)
    for result in (greedy, best):
        for shift in result.shifts:
            assert rules.min_daily <= shift.pattern.work <= rules.max_daily
        for hours in result.weekly_hours.values():
            assert weekly_min * 0.8 - 1e-9 <= hours["2026-W10"] <= 35
    assert best.paid_hours + 100 * best.phone_shortfall_hours <= (
        greedy.paid_hours + 100 * greedy.phone_shortfall_hours
    )


def test_weeks_solved_apart_reach_the_brute_force_optimum_of_the_whole_period():
    """Friday 6 and Monday 9 March 2026 (two ISO weeks), two phone advisors, opening
    09:00–12:00, shifts of 2–3 h, at least 10 h a week prorated to the one available day of
    each week (2 h: both advisors work both days).

    Hand-reasoning, in half-hours: Friday needs 2 advisors 09:00–10:00 and 1 until 12:00;
    one advisor 09:00–12:00 (6) and the other 09:00–11:00 (4) cover it: 10 paid (both must
    work at least 4). Monday needs 1 advisor 09:00–12:00 (6): 09:00–11:00 and 10:00–12:00
    pay 8, the least two shifts of at least 4 can pay. Objective 10 + 8 = 18, no shortfall.
    The brute force over every pair of shifts (or day off) of both advisors on both days,
    ranked by the same cost and within the weekly bounds, finds 18 too; so do the optimiser
    by week and the optimiser on the period as one model (the model before the cut)."""
    rules = ShiftRules(
        opening=dt.time(9),
        closing=dt.time(12),
        min_daily_hours=2,
        max_daily_hours=3,
        weekly_hours_min=10,
    )
    days = (dt.date(2026, 3, 6), dt.date(2026, 3, 9))
    req = requirement(days, [[2, 2, 1, 1, 1, 1], [1] * 6])
    advisors = [advisor(key, days=2) for key in ("a", "b")]
    options = [None, *shift_patterns(rules)]
    best = None
    for choice in itertools.product(options, repeat=4):
        shifts = [
            AdvisorShift(
                key, day, pattern, "".join(PHONE if pattern.works_at(t) else "." for t in range(6))
            )
            for (key, day), pattern in zip(itertools.product(("a", "b"), days), choice, strict=True)
            if pattern is not None
        ]
        within = all(
            low
            <= sum(s.pattern.work for s in shifts if s.advisor == a.key and s.day in week_days)
            <= high
            for a in advisors
            for _label, indices, low, high in weekly_bounds(a, days, rules).weeks
            for week_days in [{days[i] for i in indices}]
        )
        if within:
            cost = schedule_cost(req, advisors, rules, shifts)
            best = cost if best is None else min(best, cost)
    assert best == 18
    by_week = optimise_schedule(req, advisors, rules, time_limit=10)
    one_model = optimise_schedule(req, advisors, rules, time_limit=10, by_week=False)
    assert by_week.objective == one_model.objective == 18
    assert by_week.status == "optimal" and by_week.phone_shortfall_hours == 0


def test_the_period_is_cut_into_weeks_unless_annualised_hours_link_them():
    req = requirement(TWO_WEEKS, [row(1)] * 10)
    advisors = [advisor(1, days=10, absent=(1, 7))]
    weeks = independent_weeks(req, advisors, ShiftRules())
    assert [week.days for week, _a in weeks] == [WEEK, TWO_WEEKS[5:]]
    assert [a[0].available for _w, a in weeks] == [
        (True, False, True, True, True),
        (True, True, False, True, True),
    ]
    linked = independent_weeks(req, advisors, ShiftRules(annualised_tolerance_hours=4))
    assert linked == [(req, advisors)]
