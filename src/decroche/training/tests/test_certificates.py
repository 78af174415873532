"""Certificates of completion (issue 13 point 4): issued from attendance only, half-days
rolled up into the hours; revocation and re-issue audited; the public verification page
and `decroche certificates --json`."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from decroche.core.models import AuditEntry
from decroche.training import services
from decroche.training.exports import certificate_pdf

from . import factories

AT = dt.datetime(2026, 11, 3, 18, 0, tzinfo=dt.UTC)


@pytest.fixture
def enrolment(users, advisor):
    manager = users["training_manager"]
    session = factories.session(factories.programme(), manager, training_body="Forma Plus")
    return services.enrol(session, advisor=advisor, by=manager, employer="CPAM de l'Isère")


def sign_all(enrolment, by, presences):
    for half_day, (presence, missed) in zip(
        enrolment.session.half_days.all(), presences, strict=True
    ):
        services.attendance_sign(
            enrolment=enrolment,
            half_day=half_day,
            presence=presence,
            minutes_missed=missed,
            by=by,
            method="trainer",
            at=AT,
        )


@pytest.mark.django_db
def test_hours_rolled_up_from_half_days(enrolment, users):
    manager = users["training_manager"]
    with pytest.raises(services.TrainingError, match="rien à certifier"):
        services.certificate_issue(enrolment, by=manager)
    # Mon am present 3.5, Mon pm late 30 min 3.0, Tue am absent 0, Tue pm left 45 min early
    # 2.75: 3.5 + 3.0 + 0 + 2.75 = 9.25 h, from Monday 2 to Tuesday 3 November.
    sign_all(
        enrolment,
        users["trainer"],
        [("present", 0), ("late", 30), ("absent", 0), ("left_early", 45)],
    )
    certificate = services.certificate_issue(enrolment, by=manager)
    assert certificate.hours == Decimal("9.25")
    assert (certificate.first_day, certificate.last_day) == (
        dt.date(2026, 11, 2),
        dt.date(2026, 11, 3),
    )
    assert len(certificate.code) == 12
    with pytest.raises(services.TrainingError, match="rééditez"):
        services.certificate_issue(enrolment, by=manager)
    pdf = certificate_pdf(certificate, base_url="https://decroche.example")
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Certificat de réalisation" in text
    assert "Inès Martin" in text and "9,25" in text
    assert f"https://decroche.example/verifier/{certificate.code}/" in text


@pytest.mark.django_db
def test_correction_then_reissue(enrolment, users):
    manager, trainer = users["training_manager"], users["trainer"]
    sign_all(enrolment, trainer, [("present", 0)] * 3 + [("absent", 0)])
    first = services.certificate_issue(enrolment, by=manager)
    assert first.hours == Decimal("10.5")  # 3 × 3.5
    absent = enrolment.attendances.get(presence="absent")
    services.attendance_correct(
        absent, presence="present", remark="Feuille papier signée", by=trainer
    )
    second = services.certificate_reissue(first, by=manager, reason="Émargement corrigé")
    first.refresh_from_db()
    assert not first.is_valid and second.replaces == first
    assert second.hours == Decimal("14")  # 4 × 3.5
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"training.certificate.revoked", "training.certificate.reissued"} <= actions


@pytest.mark.django_db
def test_public_verification_and_command(enrolment, users, client):
    sign_all(enrolment, users["trainer"], [("present", 0)] * 4)
    certificate = services.certificate_issue(enrolment, by=users["training_manager"])
    out = io.StringIO()
    call_command("certificates", "--json", stdout=out)
    [row] = json.loads(out.getvalue())
    assert row["code"] == certificate.code and row["hours"] == 14.0
    assert row["trainee"] == "Inès Martin" and row["programme"] == "Situations difficiles"
    assert row["verify_url"] == f"/verifier/{certificate.code}/"
    page = client.get(row["verify_url"])  # no login
    assert page.status_code == 200
    body = page.content.decode()
    assert "est valide" in body and "Inès Martin" in body
    assert "CPAM" not in body  # the employer is not disclosed
    assert client.get("/verifier/AAAAAAAAAAAA/").status_code == 404
    services.certificate_revoke(certificate, by=users["training_manager"], reason="Erreur")
    body = client.get(row["verify_url"]).content.decode()
    assert "révoqué" in body and "est valide" not in body
    out = io.StringIO()
    call_command("certificates", "--json", stdout=out)
    assert json.loads(out.getvalue()) == []
