"""Committee rules and packs (SPEC §6): 48 working hours, minutes state, same-weekday
forecast, capacity, landing, and the three packs with their PDF/XLSX."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from openpyxl import load_workbook

from decroche.contacts.factories import calls_make, state_make
from decroche.contract import committees, meetings
from decroche.contract.choices import CommitteeKind, OrderKind, WorkUnit
from decroche.contract.committees import PARIS, MinutesState
from decroche.contract.pack_exports import pack_pdf, pack_workbook
from decroche.contract.packs import (
    active_advisors_by_day,
    committee_pack,
    proposed_hours,
    security_review_due,
)
from decroche.contract.services import order_issue
from decroche.core.exports import Cell, cell_text
from decroche.core.tests.pdf_text import pdf_pages
from decroche.planning.proposal import DayPlan, PeriodPlan

D = Decimal


def paris(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=PARIS)


# --- pure rules ------------------------------------------------------------------------------


def test_48_working_hours_skip_the_weekend():
    # Friday 6 March 2026 10:00: 14 h left on Friday, Sat/Sun do not run, 24 h on Monday
    # (38 h), 10 more on Tuesday → Tuesday 10 March 10:00.
    assert committees.silence_deadline(paris(2026, 3, 6, 10)) == paris(2026, 3, 10, 10)


def test_48_working_hours_skip_a_public_holiday():
    # Thursday 30 April 2026 09:00: 15 h on Thursday, Friday 1 May is a holiday, weekend,
    # Monday 4 May 24 h (39 h), Tuesday 5 May 9 h → Tuesday 09:00.
    assert committees.silence_deadline(paris(2026, 4, 30, 9)) == paris(2026, 5, 5, 9)


def test_sent_on_saturday_starts_counting_on_monday():
    # Saturday 7 March: Monday 00:00 + 48 h = Wednesday 11 March 00:00.
    assert committees.silence_deadline(paris(2026, 3, 7, 15)) == paris(2026, 3, 11, 0)


def test_minutes_states():
    sent = paris(2026, 3, 6, 10)  # deadline Tuesday 10 March 10:00
    state = committees.minutes_state
    assert state(sent_at=None, amended_at=None, now=sent) == MinutesState.DRAFT
    assert state(sent_at=sent, amended_at=None, now=paris(2026, 3, 10, 9, 59)) == MinutesState.SENT
    assert (
        state(sent_at=sent, amended_at=None, now=paris(2026, 3, 10, 10))
        == MinutesState.VALIDATED_BY_SILENCE
    )
    assert (
        state(sent_at=sent, amended_at=paris(2026, 3, 9, 16), now=paris(2026, 3, 20, 0))
        == MinutesState.AMENDED
    )


def test_minutes_due_24_working_hours_after_the_day():
    # Committee on Friday 6 March: counting starts Saturday 00:00, runs on Monday → Tuesday 00:00.
    assert committees.minutes_due(dt.date(2026, 3, 6)) == paris(2026, 3, 10, 0)


def test_weekday_average_of_the_last_four_working_weeks():
    # Mondays before 9 March 2026: 2 Mar (40), 23 Feb (20), 16 Feb (30), 9 Feb (10),
    # 2 Feb (1000, fifth: ignored) → (40 + 20 + 30 + 10) / 4 = 25.
    history = {
        dt.date(2026, 3, 2): 40,
        dt.date(2026, 2, 23): 20,
        dt.date(2026, 2, 16): 30,
        dt.date(2026, 2, 9): 10,
        dt.date(2026, 2, 2): 1000,
    }
    averages = committees.weekday_averages(history, before=dt.date(2026, 3, 9))
    assert averages[0] == 25
    assert averages[1] == 0  # no Tuesday in the history


def test_weekday_average_skips_public_holidays():
    # Fridays before Tuesday 19 May 2026: 15 May (8), 8 May and 1 May are holidays (skipped
    # although 500 each), 24 Apr (4), 17 Apr (6), 10 Apr (2) → (8 + 4 + 6 + 2) / 4 = 5.
    history = {
        dt.date(2026, 5, 15): 8,
        dt.date(2026, 5, 8): 500,
        dt.date(2026, 5, 1): 500,
        dt.date(2026, 4, 24): 4,
        dt.date(2026, 4, 17): 6,
        dt.date(2026, 4, 10): 2,
    }
    assert committees.weekday_averages(history, before=dt.date(2026, 5, 19))[4] == 5


def test_forecast_days_zero_when_closed():
    averages = dict.fromkeys(range(7), 12.0)
    days = [dt.date(2026, 5, 1), dt.date(2026, 5, 2), dt.date(2026, 5, 4)]  # holiday, Sat, Mon
    assert committees.forecast_days(averages, days) == {
        dt.date(2026, 5, 1): 0.0,
        dt.date(2026, 5, 2): 0.0,
        dt.date(2026, 5, 4): 12.0,
    }


def test_period_capacity():
    # 4–19 May 2026: 10 working days; 3 advisors on each but 5 on 4 May → (9 × 3 + 5) × 7 = 224 h.
    advisors = {
        day: 3 for day in committees.working_days(dt.date(2026, 5, 4), dt.date(2026, 5, 19))
    }
    advisors[dt.date(2026, 5, 4)] = 5
    assert committees.period_capacity(advisors, dt.date(2026, 5, 4), dt.date(2026, 5, 19)) == D(
        "224"
    )


def test_landing():
    # 40 h produced in 4 days → 10 h a day × 6 days left = 100 h; 100 / 80 ordered = 1.25.
    assert committees.landing(ordered=D(80), produced=D(40), days_done=4, days_left=6) == (
        D("100.00"),
        D("1.2500"),
    )


def test_proposed_hours():
    # Changed with the planning module's proposal (SPEC §6): the crude rule (calls × mean
    # handling time / 85% occupancy) gave way to Erlang A agents per half-hour × 0.5 h, and
    # forms to advisors from the forms backlog plan × 7 h. One day with 4 agents in each of
    # its 18 half-hours = 36 h of UO1; 2 form advisors = 14 h of UO3.
    day = DayPlan(dt.date(2026, 3, 23), 900.0, 150.0, [4] * 18, 36.0, 2, 0.91, 50.0)
    period = PeriodPlan("D+10", True, dt.date(2026, 3, 23), dt.date(2026, 4, 3), [day])
    assert proposed_hours(period) == (D("36.00"), D("14.00"))


def test_security_review_every_six_months():
    start = dt.date(2025, 11, 9)
    assert security_review_due(dt.date(2026, 5, 4), start)
    assert security_review_due(dt.date(2026, 11, 2), start)
    assert not security_review_due(dt.date(2026, 3, 6), start)
    assert not security_review_due(dt.date(2025, 11, 20), start)


# --- packs on the database -------------------------------------------------------------------


def plain(row) -> list:
    """A section's row as the values the workbook stores."""
    return [value.value if isinstance(value, Cell) else value for value in row]


@pytest.mark.django_db
def test_active_advisors_by_day(advisor, site):
    from decroche.organisation.models import Advisor

    Advisor.objects.create(
        login="A2", first_name="L", last_name="R", site=site, joined_on=dt.date(2026, 3, 4)
    )
    Advisor.objects.create(
        login="A3",
        first_name="M",
        last_name="S",
        site=site,
        joined_on=dt.date(2025, 1, 1),
        absent_from=dt.date(2026, 3, 3),
        absent_to=dt.date(2026, 3, 3),
    )
    counts = active_advisors_by_day(dt.date(2026, 3, 2), dt.date(2026, 3, 4))
    # 2 Mar: A1001 + A3; 3 Mar: A1001 (A3 absent); 4 Mar: all three.
    assert counts == {dt.date(2026, 3, 2): 2, dt.date(2026, 3, 3): 1, dt.date(2026, 3, 4): 3}


@pytest.mark.django_db
def test_weekly_pack_sections_and_exports(advisor):
    # Committee Friday 6 March: covers 27 Feb – 5 Mar. 8 h ordered on 2 March, 6 h produced.
    order_issue(
        period_start=dt.date(2026, 3, 2),
        unit=WorkUnit.PHONE_HOURS,
        kind=OrderKind.FIRM,
        lines=[(dt.date(2026, 3, 2), None, D("8"))],
        issued_on=dt.date(2026, 2, 16),
    )
    state_make(advisor, dt.date(2026, 3, 2), "talking", 6)
    calls_make(dt.date(2026, 3, 2), answered=3, abandoned=1)
    calls_make(dt.date(2026, 2, 23), answered=8, abandoned=0)  # a Monday of the history
    pack = committee_pack(kind=CommitteeKind.WEEKLY, held_on=dt.date(2026, 3, 6))
    sections = {s.title: s for s in pack.sections}
    assert (pack.start, pack.end) == (dt.date(2026, 2, 27), dt.date(2026, 3, 5))
    assert [plain(row) for row in sections["Heures productives"].rows] == [
        [dt.date(2026, 3, 2), 8.0, 6.0, 0.75]
    ]
    # shown in French: hours, the conformity as a percentage
    assert [cell_text(v) for v in sections["Heures productives"].rows[0]] == [
        "02/03/2026",
        "8,00\u00a0h",
        "6,00\u00a0h",
        "75,0\u00a0%",
    ]
    acts = {row[0]: row[1:] for row in sections["Actes reçus et traités"].rows}
    assert acts[dt.date(2026, 3, 2)] == [4, 3, 0, 0]
    alerts = [row[0] for row in sections["Alertes"].rows]
    assert "Commande en attente de validation" in alerts
    # Next Monday 9 March: Mondays 2 Mar (4 calls), 23 Feb (8), 16 Feb (0), 9 Feb (0) → 3.
    projections = {row[0]: row[1] for row in sections["Projections"].rows}
    assert projections[dt.date(2026, 3, 9)] == 3.0
    assert projections[dt.date(2026, 3, 7)] == 0.0  # Saturday
    pages = pdf_pages(pack_pdf(pack, generated_by="Claire Fontaine"))
    assert "Comité de production hebdomadaire" in pages[0]
    assert "Claire Fontaine" in pages[0] and f"page 1/{len(pages)}" in pages[0]
    # indicators by their French label, never their identifier
    performance = sections["Performance (téléphone)"]
    assert "Taux de décroché" in [row[0] for row in performance.rows]
    assert "answer_rate" not in [row[0] for row in performance.rows]
    workbook = load_workbook(io.BytesIO(pack_workbook(pack)))
    assert "Heures productives" in workbook.sheetnames


@pytest.mark.django_db
def test_monthly_pack_with_security_review():
    pack = committee_pack(kind=CommitteeKind.MONTHLY, held_on=dt.date(2026, 5, 4))
    titles = [s.title for s in pack.sections]
    assert (pack.start, pack.end) == (dt.date(2026, 4, 1), dt.date(2026, 4, 30))
    assert "Sécurité : comptes par rôle et double facteur" in titles
    assert "Sécurité : départs et absences longues" in titles
    assert "Plans d'action" in titles
    march = committee_pack(kind=CommitteeKind.MONTHLY, held_on=dt.date(2026, 3, 6))
    assert not [s.title for s in march.sections if s.title.startswith("Sécurité")]


@pytest.mark.django_db
def test_forecast_pack_landing_and_capacity(advisor):
    # Period 2–13 March 2026; 8 h ordered each of 2, 3 March; 6 h produced on 2 March and
    # 10 h on 3 March. Committee on Wednesday 4 March: 16 h in 2 days → 8/day × 8 days left
    # = 80 h projected; ordered 16 h → conformity 5.0.
    order_issue(
        period_start=dt.date(2026, 3, 2),
        unit=WorkUnit.PHONE_HOURS,
        kind=OrderKind.FIRM,
        lines=[(dt.date(2026, 3, 2), None, D("8")), (dt.date(2026, 3, 3), None, D("8"))],
        issued_on=dt.date(2026, 2, 16),
    )
    state_make(advisor, dt.date(2026, 3, 2), "talking", 6)
    state_make(advisor, dt.date(2026, 3, 3), "talking", 10)
    pack = committee_pack(kind=CommitteeKind.FORECAST, held_on=dt.date(2026, 3, 4))
    # The pack now also carries the planning module's proposal per day and hour and the
    # what-if scenarios (SPEC §6), after the three sections it always had.
    landing, gaps, capacity, per_day, scenarios = pack.sections
    values = {row[0]: plain(row)[1] for row in landing.rows}
    assert values["Heures commandées (ferme)"] == 16.0
    assert values["Heures projetées en fin de période"] == 80.0
    assert values["Conformité projetée"] == 5.0
    assert [plain(row) for row in gaps.rows] == [
        [dt.date(2026, 3, 2), 8.0, 6.0, -2.0],
        [dt.date(2026, 3, 3), 8.0, 10.0, 2.0],
    ]
    # J+10 from 4 March = 18 March; period 18–31 March (10 working days), 1 advisor × 7 h.
    assert capacity.rows[0][0].startswith("J+10 18/03")
    assert capacity.rows[0][4] == 70.0
    # No call history: nothing forecast, so no phone hour proposed.
    assert capacity.rows[0][5] == 0.0
    assert len(per_day.rows) == 10
    assert len(scenarios.headers) == 2 + 6


@pytest.mark.django_db
def test_committee_pack_command(tmp_path):
    pdf, xlsx = tmp_path / "p.pdf", tmp_path / "p.xlsx"
    out = io.StringIO()
    call_command(
        "committee_pack",
        "--kind",
        "forecast",
        "--date",
        "2026-03-06",
        "--pdf",
        str(pdf),
        "--xlsx",
        str(xlsx),
        stdout=out,
    )
    assert pdf.read_bytes().startswith(b"%PDF")
    assert load_workbook(xlsx).sheetnames
    assert "Capacité et commande proposée" in out.getvalue()


@pytest.mark.django_db
def test_minutes_workflow():
    meeting = meetings.meeting_record(
        kind=CommitteeKind.WEEKLY, held_on=dt.date(2026, 3, 6), minutes="Decisions..."
    )
    meetings.minutes_send(meeting=meeting, sent_at=paris(2026, 3, 6, 10))
    with pytest.raises(ValidationError):
        meetings.minutes_amend(meeting=meeting, amendment="late", amended_at=paris(2026, 3, 10, 11))
    meetings.minutes_amend(meeting=meeting, amendment="typo", amended_at=paris(2026, 3, 9, 11))
    meeting.refresh_from_db()
    assert meetings.meeting_state(meeting, now=paris(2026, 4, 1, 0)) == MinutesState.AMENDED
