"""The quality evidence page and XLSX, and the register of complaints and incidents
(issue 13 point 8)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from decroche.training import followup, selectors, services
from decroche.training.models import Complaint

from . import factories


@pytest.fixture
def held(users, advisor):
    manager = users["training_manager"]
    programme = factories.programme(audience="Conseillers", prerequisites="Aucun", objectives="x")
    session = factories.session(programme, manager)
    enrolment = services.enrol(session, advisor=advisor, by=manager)
    for half_day in session.half_days.all():
        services.attendance_sign(
            enrolment=enrolment,
            half_day=half_day,
            presence="present",
            by=manager,
            method="trainer",
        )
    services.half_day_trainer_sign(session.half_days.first(), by=users["trainer"])
    services.certificate_issue(enrolment, by=manager)
    return session


@pytest.mark.django_db
def test_evidence_per_session(held, users):
    followup.complaint_record(
        kind="complaint",
        received_on=dt.date(2026, 11, 4),
        description="Salle trop petite",
        session=held,
        by=users["training_manager"],
    )
    [evidence] = selectors.quality_evidence()
    assert evidence.public_information and evidence.objectives
    assert (evidence.enrolled, evidence.half_days, evidence.trainer_signed) == (1, 4, 1)
    assert (evidence.attendance_lines, evidence.certificates, evidence.complaints) == (4, 1, 1)
    assert (evidence.positioned, evidence.post_tests, evidence.satisfaction) == (0, 0, 0)


@pytest.mark.django_db
def test_pages_and_register(client, users, held):
    url = reverse("training-quality")
    assert client.get(url).status_code == 302
    for role in ("advisor", "trainer", "team_leader", "quality_analyst"):
        client.force_login(users[role])
        assert client.get(url).status_code == 403
    client.force_login(users["client_auditor"])
    assert client.get(url).status_code == 200
    assert client.post(url, {"kind": "incident"}).status_code == 403  # read-only
    client.force_login(users["training_manager"])
    client.post(
        url,
        {
            "kind": "incident",
            "received_on": "2026-11-03",
            "session": held.pk,
            "description": "Panne vidéoprojecteur",
        },
    )
    complaint = Complaint.objects.get()
    client.post(url, {"close": complaint.pk, "action": "Matériel remplacé"})
    complaint.refresh_from_db()
    assert complaint.closed_on is not None and complaint.action == "Matériel remplacé"
    book = load_workbook(io.BytesIO(client.get(url + "?format=xlsx").content))
    evidence, register = book.worksheets
    assert any(row[0] == held.reference for row in evidence.iter_rows(values_only=True))
    assert any(row[3] == "Panne vidéoprojecteur" for row in register.iter_rows(values_only=True))
