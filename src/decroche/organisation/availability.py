"""Whether an advisor is expected at work on a day (SPEC §3 resources, §6 schedules, §9
leavers and long absences). Plain functions on an `Advisor`, no query."""

from __future__ import annotations

import datetime as dt

from .choices import AdvisorStatus


def is_absent(advisor, day: dt.date) -> bool:
    """Inside a recorded absence (open-ended when `absent_to` is empty); an advisor marked
    absent without dates is absent every day."""
    if advisor.absent_from is None:
        return advisor.status == AdvisorStatus.ABSENT
    if advisor.absent_from > day:
        return False
    return advisor.absent_to is None or advisor.absent_to >= day


def is_planned(advisor, day: dt.date) -> bool:
    """Expected on `day`: joined, not left, and outside any recorded absence."""
    if advisor.status == AdvisorStatus.LEFT or advisor.joined_on > day:
        return False
    if advisor.left_on and advisor.left_on <= day:
        return False
    return not is_absent(advisor, day)
