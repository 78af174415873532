"""Cutting a period into independent weeks (SPEC §6), pure.

Without annualised hours nothing links one ISO week of a schedule to another: the weekly
bounds hold week by week, coverage and the de-staffing lever day by day, the reinforcing
lever day by day and week by week, and the objective is their sum. Each week is then its
own, smaller problem whose optimum adds up to the period's; advisors absent some days of
the period are often identical within one week, so the weeks also have fewer classes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from .types import AdvisorInput, Requirement, ShiftRules, week_label


def independent_weeks(
    requirement: Requirement, advisors: list[AdvisorInput], rules: ShiftRules
) -> list[tuple[Requirement, list[AdvisorInput]]]:
    """The period's weeks as separate problems (one problem when annualised hours link them)."""
    if rules.annualised_tolerance_hours:
        return [(requirement, advisors)]
    by_week: dict[str, list[int]] = defaultdict(list)
    for index, day in enumerate(requirement.days):
        by_week[week_label(day)].append(index)
    if len(by_week) == 1:
        return [(requirement, advisors)]
    return [
        (
            Requirement(
                tuple(requirement.days[i] for i in indices),
                tuple(requirement.phone[i] for i in indices),
                tuple(requirement.forms_hours[i] for i in indices),
            ),
            [replace(a, available=tuple(a.available[i] for i in indices)) for a in advisors],
        )
        for indices in by_week.values()
    ]
