"""Pure rules by hand: deadlines on working days, the check-in schedule, referrals."""

import datetime as dt

from decroche.wellbeing import rules


def test_deadlines_on_working_days_around_a_holiday():
    # Thursday 30 April 2026; Friday 1 May is a holiday, then the weekend (2–3 May).
    # Working days after 30 April: Mon 4 May (1), Tue 5 (2), ... Thu 7 May (4)?
    # 8 May (Friday) is a holiday too: Mon 4 (1), Tue 5 (2), Wed 6 (3), Thu 7 (4), Mon 11 (5).
    due = rules.follow_up_due_dates(
        dt.date(2026, 4, 30), types={"physical"}, severity=4, consequences={"injury"}
    )
    assert due["manager_informed"] == dt.date(2026, 4, 30)
    assert due["work_accident"] == dt.date(2026, 5, 5)  # 48 h = 2 working days
    assert due["support_offered"] == dt.date(2026, 5, 4)
    assert due["complaint"] == dt.date(2026, 5, 11)
    assert "suicide_emergency" not in due


def test_saturday_event_counts_from_monday_and_minor_event_owes_no_declaration():
    # Saturday 10 January 2026 -> start Monday 12; +2 working days = Wednesday 14.
    due = rules.follow_up_due_dates(
        dt.date(2026, 1, 10), types={"incivility"}, severity=1, consequences=set()
    )
    assert due["manager_informed"] == dt.date(2026, 1, 12)
    assert due["representatives_informed"] == dt.date(2026, 1, 19)  # Mon 12 + 5 = Mon 19
    assert "work_accident" not in due and "physician_informed" not in due


def test_suicidal_intent_opens_its_procedure_the_same_day():
    day = dt.date(2026, 1, 10)
    due = rules.follow_up_due_dates(day, types={"suicidal_intent"}, severity=4, consequences=set())
    for kind in rules.SUICIDE_PROCEDURE:
        assert due[kind] == day


def test_check_in_schedule_in_calendar_days():
    slots = rules.check_in_schedule(dt.date(2026, 1, 12))
    assert [(s.kind, s.opens_on, s.due_on) for s in slots] == [
        ("day_0", dt.date(2026, 1, 12), dt.date(2026, 1, 12)),
        ("days_1_3", dt.date(2026, 1, 13), dt.date(2026, 1, 15)),
        ("day_7", dt.date(2026, 1, 19), dt.date(2026, 1, 19)),
        ("day_30", dt.date(2026, 2, 11), dt.date(2026, 2, 11)),  # 12 Jan + 30 = 11 Feb
    ]


def test_referral_triggers():
    assert not rules.needs_referral(set())
    assert not rules.needs_referral({"sleep"})
    assert rules.needs_referral({"sleep", "avoidance"})
    assert rules.needs_referral({"red_flag"})


def test_small_cells_and_rate_per_ten_thousand():
    assert rules.suppress(4) is None and rules.suppress(5) == 5
    # 7 events for 23,000 contacts: 7 × 10,000 / 23,000 = 3.0434… -> 3.04
    assert rules.per_ten_thousand(7, 23_000) == 3.04
    assert rules.per_ten_thousand(3, 0) is None
    assert rules.is_overdue(dt.date(2026, 1, 5), None, dt.date(2026, 1, 6))
    assert not rules.is_overdue(dt.date(2026, 1, 5), dt.date(2026, 1, 7), dt.date(2026, 1, 9))
