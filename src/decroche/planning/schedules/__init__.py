"""Schedules: one shift or a day off per advisor and working day (SPEC §6). Pure package.

The optimiser chooses shifts inside the opening hours (SPEC §1: 08:30–17:30, eighteen
half-hours) that cover, half-hour by half-hour, the advisors needed on the phones and, day by
day, the hours of contact forms, at the fewest paid hours. The flexibility the Cnam looks at
(SPEC §6) are the parameters of ``ShiftRules``: min/max daily hours, a lunch break inside a
window with a min/max length, min/max weekly hours, annualised hours (flexible weeks),
de-staffing on the day and reinforcing at D+1.

How (``solver``, ``split``): shift patterns (start, lunch start, lunch
length) are counted per skill group and day, paid lengths per class of interchangeable
advisors, so the model stays small for 120 advisors over ten days; coverage shortfalls are
variables with a high penalty, so an impossible requirement still gets the best schedule,
with its under-coverage reported. Advisors of both skills may answer forms instead of the
phones in any half-hour; forms only need their daily hours, not a time of day, and
forms-only advisors get a standard shift of the chosen length. A greedy scheduler
(``greedy``) is the benchmark's baseline and the optimiser's fallback.

Modules, imports one way (each only imports those above it):

- ``types``: rules, patterns, inputs, shifts, results (no import from the package);
- ``costs``: weekly bounds, levers, the cost of a schedule, ``build_result``;
- ``split`` (class-level solutions to one shift per advisor) and ``greedy`` (the baseline);
- ``solver``: the optimisation models, ``solve`` and the entry point ``optimise_schedule``.
"""

from .costs import lever_shortfalls, lower_bound_hours, schedule_cost, weekly_bounds
from .greedy import greedy_schedule
from .solver import optimise_schedule
from .types import (
    FORMS,
    INTERVAL_MINUTES,
    LUNCH,
    OFF,
    PHONE,
    STATUSES,
    AdvisorInput,
    AdvisorShift,
    Requirement,
    ScheduleResult,
    ShiftPattern,
    ShiftRules,
    shift_patterns,
    week_label,
)

__all__ = [
    "FORMS",
    "INTERVAL_MINUTES",
    "LUNCH",
    "OFF",
    "PHONE",
    "STATUSES",
    "AdvisorInput",
    "AdvisorShift",
    "Requirement",
    "ScheduleResult",
    "ShiftPattern",
    "ShiftRules",
    "greedy_schedule",
    "lever_shortfalls",
    "lower_bound_hours",
    "optimise_schedule",
    "schedule_cost",
    "shift_patterns",
    "week_label",
    "weekly_bounds",
]
