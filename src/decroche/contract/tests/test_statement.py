"""Hand-computed monthly statements (SPEC §5). Invoices: phone 250 000 €, forms 30 000 €;
cap = 10% × 280 000 = 28 000 €."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from decroche.contacts.factories import at, calls_make, state_make
from decroche.contacts.models import Call, ContactForm
from decroche.contract.choices import OrderKind, WorkUnit
from decroche.contract.exports import statement_dict, statement_pdf
from decroche.contract.models import ServiceLevel
from decroche.contract.penalties import Status
from decroche.contract.selectors import indicator_values, monthly_statement
from decroche.contract.services import (
    contract_settings_update,
    order_answer,
    order_issue,
    service_level_revise,
)
from decroche.contract.target_changes import target_change_propose
from decroche.core.models import AuditEntry
from decroche.indicators.selectors import versions_in_force

D = Decimal
pytestmark = pytest.mark.django_db
PHONE, FORMS = D("250000"), D("30000")
MARCH = dt.date(2026, 3, 1)


def march_production(advisor, *, produced_hours: Decimal) -> None:
    """16 h ordered (UO1, firm, validated) on 2 and 3 March; `produced_hours` talking;
    10 calls on 2 March: 8 answered (talk 400 s, wrap-up 100 s, wait 60 s), 2 abandoned
    (wait 100 s)."""
    order = order_issue(
        period_start=dt.date(2026, 3, 2),
        unit=WorkUnit.PHONE_HOURS,
        kind=OrderKind.FIRM,
        lines=[(dt.date(2026, 3, 2), None, D("8")), (dt.date(2026, 3, 3), None, D("8"))],
        issued_on=dt.date(2026, 2, 16),
    )
    order_answer(order=order, accept=True, answered_on=dt.date(2026, 2, 17))
    state_make(advisor, dt.date(2026, 3, 2), "talking", produced_hours, start_hour=0)
    state_make(advisor, dt.date(2026, 3, 3), "pause", 2)  # not productive
    calls_make(
        dt.date(2026, 3, 2),
        answered=8,
        abandoned=2,
        talk=400,
        wrap_up=100,
        wait=60,
        abandoned_wait=100,
    )


def lines_by_level(statement):
    return {line.level: line for line in statement.settlement.levels}


def test_three_penalties_and_the_cap_bites(advisor):
    # Grace period of 3 months from 9 Nov 2025 ends on 9 Feb 2026: March is penalised.
    contract_settings_update(activity_start=dt.date(2025, 11, 9), grace_months=3)
    # With the seed's rates three penalties can never reach the cap (at most
    # 1.5% × 280 000 + 2% × 250 000 + 1% × 250 000 = 11 700 < 28 000); penalties being data,
    # this month the answer-rate penalty is amended to 10% of the phone invoice.
    service_level_revise(code="answer_rate", valid_from=MARCH, rate=D("0.10"))
    march_production(advisor, produced_hours=D("12"))
    statement = monthly_statement(month=MARCH, invoice_phone=PHONE, invoice_forms=FORMS)
    lines = lines_by_level(statement)
    # plan conformity = 12 h / 16 h = 0.75 < 0.95 → 1.5% × 280 000 = 4 200.00
    assert lines["plan_conformity"].value == D("0.75")
    assert lines["plan_conformity"].amount == D("4200.00")
    # answer rate = 8 / 10 = 0.8 < 0.89 → 10% × 250 000 = 25 000.00
    assert lines["answer_rate"].value == D("0.8")
    assert lines["answer_rate"].amount == D("25000.00")
    # handling time = 8 × (400 + 100) / 8 = 500 s > 420 s → 1% × 250 000 = 2 500.00
    assert lines["average_handling_time"].value == D("500")
    assert lines["average_handling_time"].amount == D("2500.00")
    # average wait = (8 × 60 + 2 × 100) / 10 = 68 s ≤ 240 s → met
    assert lines["average_wait"].value == D("68")
    assert lines["average_wait"].status == Status.MET
    # no closure-calendar calls, no forms, no quality sources yet → no data, no penalty
    for code in ("accessibility_rate", "phone_quality_score", "forms_response_rate"):
        assert lines[code].status == Status.NO_DATA and not lines[code].applies
    s = statement.settlement
    # 4 200 + 25 000 + 2 500 = 31 700 > cap 28 000 → 28 000 due, termination risk
    assert s.total_before_cap == D("31700.00")
    assert (s.cap, s.total, s.cap_reached, s.termination_risk) == (
        D("28000.00"),
        D("28000.00"),
        True,
        True,
    )


def test_inside_the_grace_period_only_plan_conformity_counts(advisor):
    # Start 15 Jan 2026 + 3 months = 15 Apr 2026: March is wholly inside the grace period.
    contract_settings_update(activity_start=dt.date(2026, 1, 15), grace_months=3)
    march_production(advisor, produced_hours=D("12"))
    statement = monthly_statement(month=MARCH, invoice_phone=PHONE, invoice_forms=FORMS)
    lines = lines_by_level(statement)
    assert statement.in_grace_period
    # answer rate 0.8 and handling time 500 s are missed but in grace: 0 €
    assert lines["answer_rate"].status == Status.GRACE
    assert lines["average_handling_time"].status == Status.GRACE
    # plan conformity 12 / 16 = 0.75 → 1.5% × 280 000 = 4 200.00, alone
    s = statement.settlement
    assert (s.total_before_cap, s.total, s.cap_reached) == (D("4200.00"), D("4200.00"), False)


def test_above_120_percent_of_the_order(advisor):
    contract_settings_update(activity_start=dt.date(2025, 11, 9), grace_months=3)
    # 20 h produced for 16 h ordered = 125% > 120%
    march_production(advisor, produced_hours=D("20"))
    statement = monthly_statement(month=MARCH, invoice_phone=PHONE, invoice_forms=FORMS)
    lines = lines_by_level(statement)
    # conformity counted up to 120%: min(20 / 16, 1.20) = 1.2 → met
    assert lines["plan_conformity"].value == D("1.2")
    assert lines["plan_conformity"].status == Status.MET
    # answer rate 0.8 and 500 s would be penalised, but the phone volume is beyond the
    # commitment (20 > 1.2 × 16 = 19.2): no penalty
    assert lines["answer_rate"].status == Status.BEYOND_COMMITMENT
    assert lines["average_handling_time"].status == Status.BEYOND_COMMITMENT
    assert statement.settlement.total == D("0.00")


def test_target_change_accepted_by_silence(advisor):
    contract_settings_update(activity_start=dt.date(2025, 11, 9), grace_months=4)
    proposal = target_change_propose(
        notified_on=dt.date(2026, 3, 5),
        indicator_code="answer_rate",
        new_target=">= 0.92",
        service_level_code="answer_rate",
        new_threshold=D("0.91"),
        note="Raise the answer rate",
    )
    # notified 5 March (≤ 10th): answer by 15 March, in force from 1 April (next quarter)
    assert (proposal.answer_deadline, proposal.effective_from) == (
        dt.date(2026, 3, 15),
        dt.date(2026, 4, 1),
    )
    out = io.StringIO()
    call_command("contract_reminders", today="2026-03-10", stdout=out)
    call_command("contract_reminders", today="2026-03-10", stdout=out)
    assert "awaiting an answer" in out.getvalue()
    assert AuditEntry.objects.filter(action="contract.target_change.reminded").count() == 1
    call_command("contract_reminders", today="2026-03-15", stdout=out)
    proposal.refresh_from_db()
    assert proposal.status == "awaiting"  # the 15th itself is still within the deadline
    call_command("contract_reminders", today="2026-03-16", stdout=out)
    call_command("contract_reminders", today="2026-03-17", stdout=out)  # idempotent
    proposal.refresh_from_db()
    assert proposal.status == "accepted_by_silence"
    assert proposal.published_version.valid_from == dt.date(2026, 4, 1)
    assert versions_in_force(dt.date(2026, 3, 31), ["answer_rate"])[0].target == ">= 0.90"
    assert versions_in_force(dt.date(2026, 4, 1), ["answer_rate"])[0].target == ">= 0.92"
    assert ServiceLevel.objects.filter(code="answer_rate").count() == 2
    # April: 10 calls, 9 answered → 0.9; handling (200 + 50) s = 250 s met.
    calls_make(dt.date(2026, 4, 2), answered=9, abandoned=1)
    april = lines_by_level(
        monthly_statement(month=dt.date(2026, 4, 1), invoice_phone=PHONE, invoice_forms=FORMS)
    )
    # 0.9 ≥ old threshold 0.89 but < new threshold 0.91 → 2% × 250 000 = 5 000.00
    assert april["answer_rate"].target == ">= 0.92"
    assert april["answer_rate"].threshold == D("0.91")
    assert april["answer_rate"].amount == D("5000.00")
    # the same 0.9 in March is judged on the old terms: met
    calls_make(dt.date(2026, 3, 20), answered=9, abandoned=1)
    march = lines_by_level(monthly_statement(month=MARCH, invoice_phone=PHONE, invoice_forms=FORMS))
    assert (march["answer_rate"].target, march["answer_rate"].status) == (">= 0.90", Status.MET)


def test_statement_command_json_shape(advisor):
    contract_settings_update(activity_start=dt.date(2025, 11, 9), grace_months=3)
    march_production(advisor, produced_hours=D("12"))
    out = io.StringIO()
    call_command(
        "statement",
        month="2026-03",
        invoice_phone="250000",
        invoice_forms="30000",
        json=True,
        stdout=out,
    )
    data = json.loads(out.getvalue())
    assert {"levels", "total_before_cap", "cap", "total", "cap_reached"} <= set(data)
    assert len(data["levels"]) == 10
    for level in data["levels"]:
        assert {
            "level",
            "value",
            "target",
            "threshold",
            "applies",
            "rate",
            "base",
            "amount",
        } <= set(level)
    answer = next(lv for lv in data["levels"] if lv["level"] == "answer_rate")
    assert answer == answer | {
        "value": 0.8,
        "threshold": 0.89,
        "applies": True,
        "rate": 0.02,
        "base": 250000.0,
        "amount": 5000.0,
    }
    # 4 200 + 5 000 + 2 500 = 11 700 < 28 000
    assert (data["total_before_cap"], data["cap"], data["total"], data["cap_reached"]) == (
        11700.0,
        28000.0,
        11700.0,
        False,
    )
    assert data["figures"][0]["figure"] == "service_interruption_max_hours"
    # the invoices were recorded: a second run without them reuses them
    out = io.StringIO()
    call_command("statement", month="2026-03", json=True, stdout=out)
    assert json.loads(out.getvalue())["total"] == 11700.0


def test_grace_ending_inside_a_month_penalises_its_remaining_days(advisor, client, users):
    # Start 15 Jan 2026 with 4 months: grace 15 Jan – 14 May, 15 May the first penalised
    # day (penalties.penalised_days). May's grace levels are measured on 15–31 May only.
    contract_settings_update(activity_start=dt.date(2026, 1, 15), grace_months=4)
    calls_make(dt.date(2026, 5, 12), answered=2, abandoned=8)  # inside the grace period
    calls_make(dt.date(2026, 5, 20), answered=8, abandoned=2)  # after it
    statement = monthly_statement(
        month=dt.date(2026, 5, 1), invoice_phone=PHONE, invoice_forms=FORMS
    )
    lines = lines_by_level(statement)
    # 15–31 May: 8 answered / 10 = 0.8 < 0.89 → 2% × 250 000 = 5 000.00 (the whole month
    # would read 10 / 20 = 0.5, and the old rule exempted May entirely)
    answer = lines["answer_rate"]
    assert answer.value == D("0.8")
    assert (answer.status, answer.amount) == (Status.MISSED, D("5000.00"))
    assert (answer.measured_from, answer.measured_to) == (
        dt.date(2026, 5, 15),
        dt.date(2026, 5, 31),
    )
    # plan conformity is measured on the whole month (no order here: no data)
    plan = lines["plan_conformity"]
    assert (plan.measured_from, plan.measured_to) == (dt.date(2026, 5, 1), dt.date(2026, 5, 31))
    assert statement.grace_ends_inside and statement.in_grace_period
    data = statement_dict(statement)
    assert (data["grace_levels_from"], data["grace_levels_to"]) == ("2026-05-15", "2026-05-31")
    level = next(lv for lv in data["levels"] if lv["level"] == "answer_rate")
    assert (level["measured_from"], level["measured_to"]) == ("2026-05-15", "2026-05-31")
    assert "15/05/2026" in data["grace_note"] and "31/05/2026" in data["grace_note"]
    assert b"15/05/2026" in statement_pdf(statement, compress=False)
    client.force_login(users["client_auditor"])
    page = client.get(
        reverse("contract-statement"),
        {"month": "2026-05", "invoice_phone": "250000", "invoice_forms": "30000"},
    )
    assert "15/05/2026" in page.content.decode() and "31/05/2026" in page.content.decode()
    out = io.StringIO()
    call_command(
        "statement", month="2026-05", invoice_phone="250000", invoice_forms="30000", stdout=out
    )
    assert "15/05/2026" in out.getvalue()
    # April is still wholly in the grace period: measured on the month, exempt
    april = monthly_statement(month=dt.date(2026, 4, 1), invoice_phone=PHONE, invoice_forms=FORMS)
    assert april.grace_levels_days is None and not april.grace_ends_inside
    assert statement_dict(april)["grace_levels_from"] is None


def test_ten_levels_computed_and_the_cap_binds(advisor):
    """All ten levels have a value and are missed; quality values are injected through the
    statement's `measure` seam (the quality app does not exist yet). Invoices: phone
    250 000 €, forms 20 000 €: total 270 000 €, cap 10% = 27 000 €."""
    contract_settings_update(activity_start=dt.date(2025, 11, 9), grace_months=3)
    march_production(advisor, produced_hours=D("12"))  # 16 h UO1 ordered, 12 h talking
    forms_order = order_issue(
        period_start=dt.date(2026, 3, 2),
        unit=WorkUnit.FORM_HOURS,
        kind=OrderKind.FIRM,
        lines=[(dt.date(2026, 3, 2), None, D("7")), (dt.date(2026, 3, 3), None, D("7"))],
        issued_on=dt.date(2026, 2, 16),
    )
    order_answer(order=forms_order, accept=True, answered_on=dt.date(2026, 2, 17))
    state_make(advisor, dt.date(2026, 3, 3), "forms", 7, start_hour=12)  # 25 200 s
    # 10 forms received on 4 March, 8 answered the same day
    for index in range(10):
        ContactForm.objects.create(
            source_system="test",
            source_id=f"f{index}",
            received_at=at(dt.date(2026, 3, 4), 9, index),
            answered_at=at(dt.date(2026, 3, 4), 15, index) if index < 8 else None,
        )
    # waits of the 10 calls of 2 March raised to 300 s
    Call.objects.filter(arrived_at__date=dt.date(2026, 3, 2)).update(wait_seconds=300)
    # 10 calls on exceptional-closure days, dissuaded by the closure message, 9 of them on
    # the closure calendar; they leave the answer-rate and wait denominators
    for index in range(10):
        Call.objects.create(
            source_system="test",
            source_id=f"closure{index}",
            arrived_at=at(dt.date(2026, 3, 5), 10, index),
            outcome="dissuaded_closure",
            wait_seconds=0,
            during_exceptional_closure=True,
            on_closure_calendar=index < 9,
        )
    quality = {
        code: (D("70"), ">= 85")
        for code in ("phone_quality_score", "ticket_quality_score", "form_quality_score")
    }

    def measure(start, end, codes):
        return indicator_values(start, end, codes) | {
            c: v for c, v in quality.items() if c in codes
        }

    statement = monthly_statement(
        month=MARCH, invoice_phone=PHONE, invoice_forms=D("20000"), measure=measure
    )
    lines = lines_by_level(statement)
    expected = {
        # (12 h talking + 7 h forms) / (16 h UO1 + 14 h UO3) = 19 / 30 → 1.5% × 270 000
        "plan_conformity": (D("0.633333"), D("4050.00")),
        # 9 on the closure calendar / 10 during the closure = 0.9 < 0.98 → 1% × 250 000
        "accessibility_rate": (D("0.9"), D("2500.00")),
        # 8 answered / (20 direct − 10 dissuaded on closure) = 0.8 < 0.89 → 2% × 250 000
        "answer_rate": (D("0.8"), D("5000.00")),
        # 10 × 300 s / (20 − 10) = 300 s > 240 s → 0.5% × 250 000
        "average_wait": (D("300"), D("1250.00")),
        # 8 × (400 + 100) s / 8 = 500 s > 420 s → 1% × 250 000
        "average_handling_time": (D("500"), D("2500.00")),
        "phone_quality_score": (D("70"), D("2500.00")),
        "ticket_quality_score": (D("70"), D("2500.00")),
        # 8 answered / 10 received = 0.8 < 0.89 → 1% × 250 000 (phone invoice, as written)
        "forms_response_rate": (D("0.8"), D("2500.00")),
        # 8 answered / (25 200 s / 25 200 s) = 8 per full day < 70 → 1% × 250 000
        "forms_per_advisor_day": (D("8"), D("2500.00")),
        "form_quality_score": (D("70"), D("2500.00")),
    }
    assert {code: (line.value, line.amount) for code, line in lines.items()} == expected
    assert all(line.status == Status.MISSED for line in lines.values())
    s = statement.settlement
    # 4 050 + 5 000 + 1 250 + 2 500 × 7 = 27 800 > cap 10% × 270 000 = 27 000:
    # the cap binds, 27 000 is due, and the Cnam may terminate (strictly beyond the cap)
    assert (s.total_before_cap, s.cap, s.total) == (D("27800.00"), D("27000.00"), D("27000.00"))
    assert s.cap_reached and s.termination_risk
