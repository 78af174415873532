"""The leavers' and long absences' date rules (SPEC §9), computed by hand with the French
calendar: weekends and public holidays are not working days."""

from __future__ import annotations

import datetime as dt

from decroche.organisation import leavers


def test_a_leaver_on_christmas_eve_has_until_the_wednesday_after():
    # Thursday 24 Dec 2026 (the brief's "Friday" is a Thursday in 2026); Fri 25 is
    # Christmas, Sat 26 and Sun 27 the weekend: Mon 28 = 1, Tue 29 = 2, Wed 30 = 3.
    assert dt.date(2026, 12, 24).weekday() == 3
    assert leavers.leaver_deadline(dt.date(2026, 12, 24)) == dt.date(2026, 12, 30)


def test_a_leaver_on_new_years_eve_has_until_the_sixth_of_january():
    # Thu 31 Dec 2026; Fri 1 Jan 2027 is a holiday, then the weekend:
    # Mon 4 = 1, Tue 5 = 2, Wed 6 = 3.
    assert leavers.leaver_deadline(dt.date(2026, 12, 31)) == dt.date(2027, 1, 6)


def test_a_friday_leaver_has_until_wednesday_and_bastille_day_is_skipped():
    # Fri 4 Dec 2026: Mon 7, Tue 8, Wed 9.
    assert leavers.leaver_deadline(dt.date(2026, 12, 4)) == dt.date(2026, 12, 9)
    # Fri 10 Jul 2026: Mon 13 = 1, Tue 14 (national holiday) skipped, Wed 15 = 2, Thu 16 = 3.
    assert leavers.leaver_deadline(dt.date(2026, 7, 10)) == dt.date(2026, 7, 16)


def test_the_account_is_due_the_day_after_the_last_day_and_overdue_after_the_deadline():
    left = dt.date(2026, 12, 24)
    assert not leavers.leaver_due(left, dt.date(2026, 12, 24))  # still their last day
    assert leavers.leaver_due(left, dt.date(2026, 12, 25))
    assert not leavers.leaver_overdue(left, dt.date(2026, 12, 30))
    assert leavers.leaver_overdue(left, dt.date(2026, 12, 31))


def test_working_days_late_and_since_leaving():
    # Left Fri 4 Dec 2026, deadline Wed 9: closed Fri 11 → Thu 10 and Fri 11 = 2 days late.
    assert leavers.working_days_late(dt.date(2026, 12, 4), dt.date(2026, 12, 11)) == 2
    assert leavers.working_days_late(dt.date(2026, 12, 4), dt.date(2026, 12, 9)) == 0
    # Left Thu 24 Dec: Mon 28, Tue 29, Wed 30 → 3 working days by Wed 30 (Christmas skipped).
    assert leavers.working_days_since_leaving(dt.date(2026, 12, 24), dt.date(2026, 12, 30)) == 3
    # Closed the very next day, Fri 25 (a holiday): no working day has passed.
    assert leavers.working_days_since_leaving(dt.date(2026, 12, 24), dt.date(2026, 12, 25)) == 0


def test_an_absence_is_over_ninety_days_from_its_91st_day():
    start = dt.date(2027, 1, 1)
    # January 31 days + February 28 + March 31 = 90 days: 31 March is day 90, 1 April day 91.
    assert leavers.absence_suspension_from(start) == dt.date(2027, 4, 1)
    assert leavers.absence_days(start, dt.date(2027, 3, 31)) == 90
    assert not leavers.absence_suspends(start, None, dt.date(2027, 3, 31))
    assert leavers.absence_suspends(start, None, dt.date(2027, 4, 1))
    # A planned end: suspended until it, restored the day after.
    assert leavers.absence_suspends(start, dt.date(2027, 6, 30), dt.date(2027, 6, 30))
    assert not leavers.absence_suspends(start, dt.date(2027, 6, 30), dt.date(2027, 7, 1))
    # A 90-day absence (1 Jan – 31 Mar) never suspends anything.
    assert not leavers.absence_suspends(start, dt.date(2027, 3, 31), dt.date(2027, 3, 31))
    assert not leavers.absence_suspends(None, None, dt.date(2027, 4, 1))
    assert leavers.absence_days(start, dt.date(2027, 9, 1), dt.date(2027, 1, 10)) == 10
