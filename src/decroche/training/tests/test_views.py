"""The training pages (issue 13 point 9): every URL × role — anonymous users go to the
login page, roles without the right get 403 — then what each role does on its pages."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from decroche.training import services
from decroche.training.models import Attendance, Certificate, Enrolment

from . import factories

DAY = dt.date(2026, 11, 2)


@pytest.fixture
def setting(users, advisor):
    """A session run by the trainer, the advisor (with an account) enrolled, a certificate."""
    manager = users["training_manager"]
    advisor.user = users["advisor"]
    advisor.save()
    session = factories.session(factories.programme(), manager, trainers=[users["trainer"]])
    enrolment = services.enrol(session, advisor=advisor, by=manager)
    half_day = session.half_days.first()
    services.attendance_sign(
        enrolment=enrolment,
        half_day=half_day,
        presence="present",
        by=manager,
        method="trainer",
        at=dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC),
    )
    certificate = services.certificate_issue(enrolment, by=manager)
    return {
        "session": session,
        "enrolment": enrolment,
        "half_day": half_day,
        "certificate": certificate,
    }


def pages(s):
    session, half_day = s["session"], s["half_day"]
    code = s["certificate"].code
    # (url, method, roles allowed)
    readers = {"training_manager", "client_auditor", "administrator"}
    return [
        (reverse("training-catalogue"), "get", readers),
        (reverse("training-sessions"), "get", readers | {"trainer"}),
        (reverse("training-session", args=[session.pk]), "get", readers | {"trainer"}),
        (reverse("training-sign-in-sheet", args=[session.pk]), "get", readers | {"trainer"}),
        (reverse("training-certificates"), "get", readers),
        (reverse("training-money-xlsx"), "get", readers),
        (reverse("training-quality"), "get", readers),
        (reverse("training-team"), "get", {"team_leader", "training_manager", "administrator"}),
        (
            reverse("training-sheet-upload", args=[session.pk, half_day.pk]),
            "post",
            {"training_manager", "administrator", "trainer"},
        ),
        (
            reverse("training-session-close", args=[session.pk]),
            "post",
            {"training_manager", "administrator"},
        ),
        (reverse("training-requests"), "get", readers | {"team_leader"}),
        (reverse("training-cancellations"), "get", readers),
        (reverse("training-without-path"), "get", readers),
        (reverse("training-mine"), "get", {"advisor", "team_leader", "administrator"}),
        (reverse("training-certificate-pdf", args=[code]), "get", readers | {"advisor"}),
        (reverse("training-convocation", args=[s["enrolment"].pk]), "get", readers | {"advisor"}),
        (
            reverse("training-convocations-send", args=[session.pk]),
            "post",
            {"training_manager", "administrator"},
        ),
        (
            reverse("training-session-enrol", args=[session.pk]),
            "post",
            {"training_manager", "administrator"},
        ),
        (
            reverse("training-session-cancel", args=[session.pk]),
            "post",
            {"training_manager", "administrator"},
        ),
        (
            reverse("training-attendance", args=[session.pk, half_day.pk]),
            "post",
            {"training_manager", "administrator", "trainer"},
        ),
        (
            reverse("training-half-day-sign", args=[session.pk, half_day.pk]),
            "post",
            {"training_manager", "administrator", "trainer"},
        ),
        (
            reverse("training-enrolment-cancel", args=[s["enrolment"].pk]),
            "post",
            {"training_manager", "administrator"},
        ),
        (
            reverse("training-certificate-issue", args=[s["enrolment"].pk]),
            "post",
            {"training_manager", "administrator"},
        ),
        (
            reverse("training-certificate-revoke", args=[code]),
            "post",
            {"training_manager", "administrator"},
        ),
        (
            reverse("training-my-sign", args=[half_day.pk]),
            "post",
            {"advisor", "team_leader", "administrator"},
        ),
    ]


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_the_login_page(client, setting):
    for url, method, _allowed in pages(setting):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


@pytest.mark.django_db
def test_every_role_without_the_right_is_refused(client, users, setting):
    for role, user in users.items():
        client.force_login(user)
        for url, method, allowed in pages(setting):
            if role in allowed:
                continue
            response = getattr(client, method)(url)
            # the advisor's own pages refuse others with 403 or, for an object out of their
            # reach, 404 (its existence is not disclosed)
            assert response.status_code in (403, 404), (role, url, response.status_code)
            if method == "get":
                assert response.status_code == 403, (role, url)


@pytest.mark.django_db
def test_readers_open_every_page(client, users, setting):
    for role in ("training_manager", "client_auditor"):
        client.force_login(users[role])
        for url, method, allowed in pages(setting):
            if method == "get" and role in allowed:
                response = client.get(url)
                assert response.status_code == 200, (role, url)
    client.force_login(users["client_auditor"])
    page = client.get(reverse("training-session", args=[setting["session"].pk])).content.decode()
    assert "Délivrer le certificat" not in page and "Inscrire un conseiller" not in page


@pytest.mark.django_db
def test_a_trainer_sees_only_their_sessions(client, users, setting):
    other = factories.session(
        factories.programme("managers", "7"), users["training_manager"], days=(DAY,)
    )
    client.force_login(users["trainer"])
    listing = client.get(reverse("training-sessions")).content.decode()
    assert setting["session"].reference in listing and other.reference not in listing
    assert client.get(reverse("training-session", args=[other.pk])).status_code == 404
    url = reverse("training-attendance", args=[setting["session"].pk, setting["half_day"].pk])
    client.post(
        url,
        {
            "enrolment": setting["enrolment"].pk,
            "presence": "late",
            "minutes_missed": 15,
            "remark": "Bus en retard",
        },
    )
    assert Attendance.objects.filter(enrolment=setting["enrolment"]).count() == 2  # history kept


@pytest.mark.django_db
def test_the_advisor_signs_by_a_click_and_downloads_the_certificate(client, users, setting):
    client.force_login(users["advisor"])
    afternoon = setting["session"].half_days.get(day=DAY, half="pm")
    with time_machine.travel(dt.datetime(2026, 11, 2, 14, 10, tzinfo=dt.UTC), tick=False):
        page = client.get(reverse("training-mine")).content.decode()
        assert "Signer ma présence" in page
        client.post(reverse("training-my-sign", args=[afternoon.pk]), REMOTE_ADDR="192.0.2.7")
    signed = Attendance.objects.get(half_day=afternoon, is_current=True)
    assert signed.method == "click" and signed.ip_address == "192.0.2.7"
    code = setting["certificate"].code
    response = client.get(reverse("training-certificate-pdf", args=[code]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    # someone else's certificate is refused
    other = factories.session(
        factories.programme("other", "7"), users["training_manager"], days=(DAY,)
    )
    enrolment = services.enrol(other, user=users["team_leader"], by=users["training_manager"])
    services.attendance_sign(
        enrolment=enrolment,
        half_day=other.half_days.first(),
        presence="present",
        by=users["trainer"],
        method="trainer",
    )
    foreign = services.certificate_issue(enrolment, by=users["training_manager"])
    assert client.get(reverse("training-certificate-pdf", args=[foreign.code])).status_code == 403


@pytest.mark.django_db
def test_manager_enrols_withdraws_and_revokes(client, users, setting, site):
    from decroche.organisation.models import Advisor

    client.force_login(users["training_manager"])
    newcomer = Advisor.objects.create(
        login="N1", first_name="Nora", last_name="Petit", site=site, joined_on=DAY
    )
    session = setting["session"]
    client.post(reverse("training-session-enrol", args=[session.pk]), {"advisor": newcomer.pk})
    assert Enrolment.objects.get(advisor=newcomer).status == "enrolled"
    code = setting["certificate"].code
    client.post(reverse("training-certificate-revoke", args=[code]), {"reason": "Erreur de saisie"})
    assert not Certificate.objects.get(code=code).is_valid
    page = client.get(reverse("training-certificates")).content.decode()
    assert "révoqué" in page


@pytest.mark.django_db
def test_team_leader_requests_a_session(client, users):
    programme = factories.programme()
    client.force_login(users["team_leader"])
    client.post(
        reverse("training-requests"),
        {"programme": programme.pk, "requested_on": "2026-04-01", "trainees_expected": 8},
    )
    page = client.get(reverse("training-requests")).content.decode()
    assert "04/05/2026" in page  # 1 May is a holiday: the next working day


@pytest.mark.django_db
def test_public_programme_page_without_login(client):
    programme = factories.programme(audience="Conseillers d'accueil", prerequisites="Aucun")
    page = client.get(reverse("training-programme-public", args=[programme.code]))
    assert page.status_code == 200 and "Conseillers d&#x27;accueil" in page.content.decode()
    assert client.get(reverse("training-programme-public", args=["inconnu"])).status_code == 404


@pytest.mark.django_db
def test_own_test_and_satisfaction_pages(client, users, setting):
    enrolment = setting["enrolment"]
    programme = enrolment.session.programme
    question = programme.questions.create(
        objective="assertivité",
        text="Que dire ?",
        choices=["Calmez-vous", "Je comprends"],
        answer=1,
    )
    urls = [
        reverse("training-my-test", args=[enrolment.pk, "pre"]),
        reverse("training-my-satisfaction", args=[enrolment.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # anonymous: to the login page
    for role, user in users.items():
        client.force_login(user)
        for url in urls:
            status = client.get(url).status_code
            if role == "advisor":
                assert status == 200, url
            elif user.has_perm("training.attend"):
                assert status == 404, (role, url)  # someone else's enrolment
            else:
                assert status == 403, (role, url)
    client.force_login(users["advisor"])
    client.post(urls[0], {f"q{question.pk}": "1"})
    client.post(urls[1], {"rating": "5", "objectives_met": "4", "comment": "Concret"})
    client.force_login(users["training_manager"])
    page = client.get(reverse("training-session", args=[enrolment.session_id])).content.decode()
    assert "Satisfaction à chaud : 5,0 / 5" in page and "Concret" in page


@pytest.mark.django_db
def test_money_xlsx(client, users, site):
    import io
    from decimal import Decimal

    from openpyxl import load_workbook

    from decroche.organisation.models import Advisor

    manager = users["training_manager"]
    programme = factories.programme(
        "indicateurs",
        "21",
        price=Decimal("1620"),
        price_basis="person",
        funded_share=Decimal("0.7"),
    )
    session = factories.session(programme, manager, reference="CCI-1")
    for login, employer in (("E1", "CPAM"), ("E2", "CPAM"), ("E3", "CAF")):
        advisor = Advisor.objects.create(
            login=login, first_name=login, last_name="T", site=site, joined_on=DAY
        )
        services.enrol(session, advisor=advisor, employer=employer, by=manager)
    client.force_login(users["client_auditor"])
    response = client.get(reverse("training-money-xlsx"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    money, invoices = book.worksheets
    rows = [r for r in money.iter_rows(values_only=True) if r and r[0] == "CCI-1"]
    # 3 × 1,620 = 4,860; 70 % funded = 3,402; invoiced 1,458 (CPAM 972, CAF 486)
    assert [float(v) for v in rows[0][4:8]] == [3, 4860, 3402, 1458]
    lines = {
        r[1]: float(r[2]) for r in invoices.iter_rows(values_only=True) if r and r[0] == "CCI-1"
    }
    assert lines == {"CPAM": 972.0, "CAF": 486.0}


@pytest.mark.django_db
def test_convocations(client, users, setting, mailoutbox, django_capture_on_commit_callbacks):
    import io

    from pypdf import PdfReader

    enrolment = setting["enrolment"]
    enrolment.advisor.email = "ines.martin@example.org"
    enrolment.advisor.save()
    client.force_login(users["training_manager"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("training-convocations-send", args=[enrolment.session_id]))
    [mail] = mailoutbox
    assert mail.subject.startswith("Convocation") and "ines.martin@example.org" in mail.to
    assert "Demi-journées : 2 novembre 2026 matin" in mail.body
    client.force_login(users["advisor"])
    response = client.get(reverse("training-convocation", args=[enrolment.pk]))
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Convocation" in text and "Inès Martin" in text and "2 novembre 2026" in text


@pytest.mark.django_db
def test_scan_of_the_paper_sheet(client, users, setting, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    session, half_day = setting["session"], setting["half_day"]
    upload_url = reverse("training-sheet-upload", args=[session.pk, half_day.pk])
    scan_url = reverse("training-sheet-scan", args=[session.pk, half_day.pk])
    client.force_login(users["client_auditor"])
    assert client.post(upload_url).status_code == 403
    assert client.get(scan_url).status_code == 404  # nothing attached yet
    client.force_login(users["trainer"])
    client.post(upload_url, {"scan": SimpleUploadedFile("feuille.exe", b"MZ")})
    half_day.refresh_from_db()
    assert not half_day.sheet_scan  # refused: not a PDF nor an image
    client.post(upload_url, {"scan": SimpleUploadedFile("feuille.pdf", b"%PDF-1.4 scan")})
    client.force_login(users["client_auditor"])
    response = client.get(scan_url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 scan"
