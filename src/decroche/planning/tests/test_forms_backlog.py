"""Forms staffing: a backlog answered first-in-first-out, 90 forms per advisor per day."""

from __future__ import annotations

import pytest

from decroche.planning import forms_backlog as forms


def test_same_day_deadline_staffs_each_day_for_its_forms():
    # Deadline 0: 100 forms → ceil(100/90) = 2 advisors, 180 capacity, all 100 handled.
    plan = forms.forms_plan([100, 90, 0], deadline_days=0)
    assert [day.advisors for day in plan] == [2, 1, 0]
    assert [day.handled for day in plan] == [100, 90, 0]
    assert [day.backlog for day in plan] == [0, 0, 0]


def test_backlog_is_carried_over_until_its_deadline():
    # Deadline 1 day. Day 0: 200 received, none due → 0 advisors, backlog 200.
    # Day 1: the 200 of day 0 are due → ceil(200/90) = 3 advisors, capacity 270: the 200
    # then 70 of the 150 received today; backlog 80. Day 2: 80 due (+0 received) → 1 advisor.
    plan = forms.forms_plan([200, 150, 0], deadline_days=1)
    assert [day.advisors for day in plan] == [0, 3, 1]
    assert [day.handled for day in plan] == [0, 270, 80]
    assert [day.backlog for day in plan] == [200, 80, 0]
    assert all(day.overdue == 0 for day in plan)


def test_a_given_staffing_shows_overdue_forms():
    plan = forms.forms_plan([200, 150], deadline_days=0, advisors=[1, 1])
    # Day 0: 90 of 200 handled, 110 overdue. Day 1: 90 more, backlog 110 + 150 − 90 = 170,
    # all of it due by today (deadline 0): 170 overdue.
    assert [(d.handled, d.backlog, d.overdue) for d in plan] == [(90, 110, 110), (90, 170, 170)]


def test_initial_backlog_is_due_first():
    plan = forms.forms_plan([0, 0], deadline_days=2, initial_backlog=95)
    assert plan[0].advisors == 2 and plan[0].handled == 95


def test_level_staffing_by_hand():
    # Deadline 1: due by day 1 = 300 (day 0), by day 2 = 300 + 0, by day 3 = 300 + 0 + 240.
    # Worst ratio: (540 − 0) / 4 days = 135 forms/day, against 300 / 2 = 150 → 150 → 2 advisors.
    volumes = [300, 0, 240, 0]
    assert forms.level_forms_advisors(volumes, deadline_days=1) == 2
    plan = forms.forms_plan(volumes, deadline_days=1, advisors=[2] * 4)
    assert all(day.overdue == 0 for day in plan)
    # One advisor (90 a day) cannot clear 300 forms in two days.
    tight = forms.forms_plan(volumes, deadline_days=1, advisors=[1] * 4)
    assert any(day.overdue for day in tight)


def test_invalid_parameters():
    with pytest.raises(ValueError):
        forms.forms_plan([10], deadline_days=-1)
