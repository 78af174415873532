"""The leavers' and long absences' date rules (SPEC §9): "Leavers' access removed within
3 working days; absence over 90 days → rights disabled". Plain functions, no Django
import: `organisation.services.leavers_process` applies them, the CSO's page shows them.

Reading of the rules, in one place:
- the leaving date (`Advisor.left_on`) is the advisor's last day in post: the account is
  due for closing from the next day, and must be closed at the latest on the third
  French working day after the leaving date (`leaver_deadline`);
- an absence is "over 90 days" from its 91st day (the first day of absence is day 1):
  the rights are suspended from then on, and restored the day after its end
  (`absent_to`), or as soon as the absence is removed from the roster.
"""

from __future__ import annotations

import datetime as dt

from decroche.core.calendar import add_working_days, working_days

LEAVER_WORKING_DAYS = 3
ABSENCE_DAYS_LIMIT = 90


def leaver_due(left_on: dt.date, today: dt.date) -> bool:
    """The leaver's account is to be closed: their last day (`left_on`) has passed."""
    return today > left_on


def leaver_deadline(left_on: dt.date) -> dt.date:
    """The last day the leaver's account may still be open (SPEC §9: "within 3 working
    days"): the third French working day after the leaving date, public holidays and
    weekends skipped (`core.calendar`)."""
    return add_working_days(left_on, LEAVER_WORKING_DAYS)


def leaver_overdue(left_on: dt.date, today: dt.date) -> bool:
    """Past the deadline and still open."""
    return today > leaver_deadline(left_on)


def working_days_late(left_on: dt.date, day: dt.date) -> int:
    """Working days by which closing on `day` missed the deadline (0 when in time)."""
    deadline = leaver_deadline(left_on)
    if day <= deadline:
        return 0
    return sum(1 for _day in working_days(deadline + dt.timedelta(days=1), day))


def working_days_since_leaving(left_on: dt.date, day: dt.date) -> int:
    """Working days from the day after the leaving date to `day`, both included: the delay
    the CSO's page and the security review show (3 at most when in time)."""
    return sum(1 for _day in working_days(left_on + dt.timedelta(days=1), day))


def absence_suspension_from(absent_from: dt.date) -> dt.date:
    """The 91st day of an absence, from which it is "over 90 days" (SPEC §9)."""
    return absent_from + dt.timedelta(days=ABSENCE_DAYS_LIMIT)


def absence_suspends(
    absent_from: dt.date | None, absent_to: dt.date | None, today: dt.date
) -> bool:
    """Rights are to be suspended today: the absence has lasted over 90 days and is not
    over (an open end means absent until further notice)."""
    if absent_from is None:
        return False
    if absent_to is not None and today > absent_to:
        return False
    return today >= absence_suspension_from(absent_from)


def absence_days(absent_from: dt.date, today: dt.date, absent_to: dt.date | None = None) -> int:
    """Days of absence so far (the first day counts as 1), up to its end when it is over."""
    last = min(today, absent_to) if absent_to is not None else today
    return max(0, (last - absent_from).days + 1)
