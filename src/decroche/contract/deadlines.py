"""Contract calendar rules: ten-working-day periods, order validation, target changes.

Plain functions, no Django import (STYLE habit 2). Working days are the French ones of
`core.calendar` (Monday–Friday minus public holidays).
"""

from __future__ import annotations

import datetime as dt

from decroche.core.calendar import (  # noqa: F401  (the contract's periods, re-exported)
    PERIOD_WORKING_DAYS,
    add_working_days,
    committee_periods,
    is_working_day,
    next_month_first,
    quarter_last,
    ten_day_period,
)

ORDER_VALIDATION_WORKING_DAYS = 3
TARGET_CHANGE_NOTICE_DAY = 10
TARGET_CHANGE_ANSWER_DAY = 15


def order_validation_deadline(issued_on: dt.date) -> dt.date:
    """The last day the contractor may validate an order: 3 working days after it was issued.

    SPEC §6: "The contractor validates within 3 working days, otherwise the order stands"
    (seed 002 §7.2: "au plus tard dans les 3 jours ouvrés. Dans le cas contraire, la commande
    est réputée valide").
    """
    return add_working_days(issued_on, ORDER_VALIDATION_WORKING_DAYS)


def order_deemed_valid(issued_on: dt.date, today: dt.date) -> bool:
    """An order left unanswered stands by itself the day after its validation deadline."""
    return today > order_validation_deadline(issued_on)


def quarter_start_after(day: dt.date) -> dt.date:
    """The first day of the quarter following the one that contains `day`."""
    return next_month_first(quarter_last(day))


def target_change_dates(notified_on: dt.date) -> tuple[dt.date, dt.date]:
    """(answer deadline, effective date) of a target change notified on `notified_on`.

    SPEC §5: "the Cnam notifies by the 10th of the month before, the contractor answers by the
    15th, silence = accepted for the coming quarter". A notice sent by the 10th is answered by
    the 15th of the same month; a later notice counts as sent for the next month. The change
    takes effect on the first day of the quarter following the notice month.
    """
    notice_month = notified_on.replace(day=1)
    if notified_on.day > TARGET_CHANGE_NOTICE_DAY:
        notice_month = next_month_first(notice_month)
    return notice_month.replace(day=TARGET_CHANGE_ANSWER_DAY), quarter_start_after(notice_month)


def silence_means_accepted(answer_deadline: dt.date, today: dt.date) -> bool:
    """After the 15th without an answer, the change is accepted (SPEC §5)."""
    return today > answer_deadline
