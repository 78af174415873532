"""The statement's three quality levels, computed from the quality app's evaluations
(SPEC §3, §5: Σ scores / # evaluations; penalty 1% of the phone invoice below 80/100)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from decroche.contacts.factories import call_create, form_create
from decroche.contract.penalties import Status
from decroche.contract.selectors import monthly_statement
from decroche.contract.services import contract_settings_update
from decroche.quality.models import (
    CalibrationItem,
    CalibrationSession,
    Evaluation,
    GridVersion,
    Ticket,
)

D = Decimal
pytestmark = pytest.mark.django_db
PHONE, FORMS = D("250000"), D("30000")
MARCH = dt.date(2026, 3, 1)


def scored(evaluator, advisor, total, *, origin, **contact) -> Evaluation:
    """A submitted evaluation with its score (the scoring itself is tested in quality)."""
    kind = "call" if "call" in contact else "form" if "form" in contact else "ticket"
    version = GridVersion.objects.get(grid__evaluated_object=kind, status="published")
    return Evaluation.objects.create(
        grid_version=version,
        evaluator=evaluator,
        evaluator_party="contractor",
        advisor=advisor,
        evaluated_object=kind,
        contact_day=dt.date(2026, 3, 10),
        origin=origin,
        status="submitted",
        total=D(total),
        **contact,
    )


def test_quality_levels_at_and_around_their_threshold(advisor, users):
    contract_settings_update(activity_start=dt.date(2025, 11, 9), grace_months=3)
    analyst = users["quality_analyst"]
    call = call_create(dt.date(2026, 3, 10), advisor=advisor)
    session = CalibrationSession.objects.create(
        held_on=dt.date(2026, 3, 20),
        grid_version=GridVersion.objects.get(grid__code="appel-n1", status="published"),
        title="Calibrage de mars",
    )
    item = CalibrationItem.objects.create(session=session, call=call)
    # calibration scores 79 and 80.98: (79 + 80.98) / 2 = 79.99 < 80 → 1% × 250 000 = 2 500
    for total in ("79", "80.98"):
        scored(analyst, advisor, total, origin="calibration", call=call, calibration_item=item)
    # a superseded score and an ad-hoc call evaluation do not count in the calibration level
    scored(analyst, advisor, "10", origin="calibration", call=call)
    Evaluation.objects.filter(total=D("10")).update(status="superseded")
    scored(analyst, advisor, "20", origin="ad_hoc", call=call)
    # tickets: (80 + 80) / 2 = 80, not below 80 → met (the threshold is strict: < 80)
    ticket = Ticket.objects.create(
        source_system="itsm", source_id="T-1", raised_at=call.arrived_at, advisor=advisor
    )
    for _ in range(2):
        scored(analyst, advisor, "80", origin="sampling", ticket=ticket)
    # forms: 85 and 95 → 90 ≥ 85 → met
    form = form_create(dt.date(2026, 3, 10), advisor=advisor)
    for total in ("85", "95"):
        scored(analyst, advisor, total, origin="sampling", form=form)
    statement = monthly_statement(month=MARCH, invoice_phone=PHONE, invoice_forms=FORMS)
    lines = {line.level: line for line in statement.settlement.levels}
    assert lines["phone_quality_score"].value == D("79.99")
    assert lines["phone_quality_score"].status == Status.MISSED
    assert lines["phone_quality_score"].amount == D("2500.00")
    assert lines["ticket_quality_score"].value == D("80")
    assert lines["ticket_quality_score"].status == Status.MET
    assert lines["form_quality_score"].value == D("90")
    assert lines["form_quality_score"].status == Status.MET
