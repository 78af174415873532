"""`decroche demo` shows the contract at work (issue 18, point 8): the last complete month
is short of phone advisors, its statement — computed by `contract` from the stored data —
owes penalties; committees are recorded with their minutes (audited) and their packs; the
dashboards, the statement and the monthly pack open on that month."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from decroche.accounts.models import User
from decroche.contract.choices import CommitteeKind
from decroche.contract.forms import PackForm
from decroche.contract.meetings import meeting_state
from decroche.contract.models import CommitteeMeeting, MonthlyInvoice
from decroche.contract.packs import committee_pack
from decroche.core.models import AuditEntry
from decroche.quality import selectors
from decroche.quality.models import CalibrationSession, Evaluation
from decroche.synthetic.committees import demo_committee_days, demo_committees_ensure
from decroche.synthetic.demo import demo_span, shortage_month

# 3 December 2026, 11:00 in Paris: the last complete month is November 2026.
TODAY = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)


def test_demo_span_is_whole_months_then_the_current_month_up_to_yesterday():
    today = dt.date(2026, 12, 3)
    assert demo_span(1, today) == (dt.date(2026, 11, 1), dt.date(2026, 12, 2))
    assert demo_span(3, today) == (dt.date(2026, 9, 1), dt.date(2026, 12, 2))
    # on the 1st, yesterday closes the last complete month
    assert demo_span(1, dt.date(2026, 12, 1)) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    # January: the months of the year before
    assert demo_span(2, dt.date(2027, 1, 10)) == (dt.date(2026, 11, 1), dt.date(2027, 1, 9))
    assert shortage_month(today) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def test_committee_days_of_the_demo():
    days = demo_committee_days(dt.date(2026, 11, 1), dt.date(2026, 12, 2))
    # Thursdays 5, 12, 19, 26 November (all working days); the monthly steering committee
    # on Tuesday 1 December (first working day after November); the firm-order committee
    # 10 working days before each ten-day period starting inside the span.
    weekly = [day for kind, day in days if kind == CommitteeKind.WEEKLY]
    assert weekly == [dt.date(2026, 11, d) for d in (5, 12, 19, 26)]
    assert [day for kind, day in days if kind == CommitteeKind.MONTHLY] == [dt.date(2026, 12, 1)]
    assert all(
        dt.date(2026, 11, 1) <= day <= dt.date(2026, 12, 2)
        for kind, day in days
        if kind == CommitteeKind.FORECAST
    )


@pytest.mark.django_db(transaction=True)
@time_machine.travel(TODAY, tick=False)
def test_demo_month_owes_a_penalty_and_has_committees(client):
    out = StringIO()
    call_command("demo", "--months", "1", "--scale", "0.25", "--port", "8123", stdout=out)
    closing = out.getvalue()
    assert "Penalty month: 2026-11" in closing and "http://127.0.0.1:8123" in closing

    # The statement of November, computed by `contract` from the demo's data.
    json_out = StringIO()
    call_command("statement", "--month", "2026-11", "--json", stdout=json_out)
    statement = json.loads(json_out.getvalue())
    levels = {level["level"]: level for level in statement["levels"]}
    invoice = MonthlyInvoice.objects.get(month=dt.date(2026, 11, 1))
    phone, total = invoice.phone_amount, invoice.phone_amount + invoice.forms_amount
    # 15 % of the planned phone advisors missing every working day: fewer calls answered
    # (taux de décroché < 0.89) and fewer productive hours than ordered (< 0.95).
    assert levels["answer_rate"]["value"] < 0.89
    assert levels["answer_rate"]["status"] == "missed"
    assert levels["plan_conformity"]["value"] < 0.95
    assert levels["plan_conformity"]["status"] == "missed"
    # answer rate: 2 % of the phone invoice; plan conformity: 1.5 % of the total invoice
    assert Decimal(str(levels["answer_rate"]["amount"])) == (phone * Decimal("0.02")).quantize(
        Decimal("0.01")
    )
    assert Decimal(str(levels["plan_conformity"]["amount"])) == (total * Decimal("0.015")).quantize(
        Decimal("0.01")
    )
    assert statement["total"] > 0
    # the cap is 10 % of the total invoice; the penalties stay below it, so all are due
    assert Decimal(str(statement["cap"])) == (total * Decimal("0.10")).quantize(Decimal("0.01"))
    assert statement["total"] == statement["total_before_cap"] < statement["cap"]
    assert f"{Decimal(str(statement['total'])):,.2f} € of penalties due" in closing

    # The three quality levels (issue 11), computed from the demo's evaluations: the
    # calibration level is the mean of every calibration score of both parties.
    calibration_scores = Evaluation.objects.filter(
        origin="calibration", status="submitted", contact_day__month=11
    ).values_list("total", flat=True)
    assert len(calibration_scores) == 20  # two sessions × five calls × two parties
    mean = sum(calibration_scores) / len(calibration_scores)
    assert abs(Decimal(str(levels["phone_quality_score"]["value"])) - mean) < Decimal("0.000001")
    for code in ("phone_quality_score", "ticket_quality_score", "form_quality_score"):
        assert levels[code]["value"] is not None and levels[code]["status"] != "no_data", code
    sessions = CalibrationSession.objects.order_by("held_on")
    gaps = [selectors.calibration_report(session) for session in sessions]
    assert [report.within_limit for report in gaps] == [True, False]  # one within 5 points

    # Committees of the three kinds, recorded through the audited service.
    meetings = CommitteeMeeting.objects.all()
    assert {m.kind for m in meetings} == set(CommitteeKind.values)
    recorded = AuditEntry.objects.filter(action="contract.committee.recorded").count()
    assert recorded == meetings.count() > 0
    steering = meetings.get(kind=CommitteeKind.MONTHLY, held_on=dt.date(2026, 12, 1))
    # minutes sent on Wednesday 2 December 10:00, remarked on by the Cnam before the
    # silence deadline (Friday 4 December 10:00)
    assert meeting_state(steering) == "amended" and steering.amendment
    assert meeting_state(meetings.get(held_on=dt.date(2026, 11, 5))) == "validated_by_silence"
    # the steering committee's pack reviews November and carries its penalties
    pack = committee_pack(kind=CommitteeKind.MONTHLY, held_on=steering.held_on)
    assert (pack.start, pack.end) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert pack.sections[0].rows[-1][-1].value == statement["total"]

    # Running again adds no committee and no audit entry.
    assert demo_committees_ensure(start=dt.date(2026, 11, 1), end=dt.date(2026, 12, 2)) == 0
    assert CommitteeMeeting.objects.count() == meetings.count()
    assert AuditEntry.objects.filter(action="contract.committee.recorded").count() == recorded

    # The pages open on November without being asked.
    client.force_login(User.objects.get(groups__name="contract_manager"))
    page = client.get(reverse("contract-statement"))
    assert page.context["statement"].settlement.total == Decimal(str(statement["total"]))
    assert page.context["statement"].month == dt.date(2026, 11, 1)
    board = client.get(reverse("indicator-dashboard"))
    selection = board.context["selection"]
    assert (selection.view, selection.span) == (
        "month",
        (dt.date(2026, 11, 1), dt.date(2026, 11, 30)),
    )


@time_machine.travel(dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC), tick=False)
def test_monthly_pack_form_defaults_to_the_committee_after_the_last_complete_month():
    # 00:30 on 1 December in Paris: November is complete; its steering committee is held
    # on the first working day of December, Tuesday 1 December.
    form = PackForm()
    assert form["kind"].initial == CommitteeKind.MONTHLY
    assert form["date"].initial == dt.date(2026, 12, 1)
