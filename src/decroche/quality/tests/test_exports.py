# ruff: noqa: F811  (the `setting` fixture is imported from test_views)
"""Quality workbooks: scoped like the pages, calibration scores never in advisors' results,
nothing of a calibration before its reveal (SPEC §7, §9)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from decroche.contacts.factories import call_create
from decroche.quality import services
from decroche.quality.models import CalibrationItem, CalibrationSession
from decroche.quality.services import AnswerInput
from decroche.quality.tests.test_views import DAY, best_answers, setting  # noqa: F401

EXPORT = reverse("quality-evaluation-export")


def sheet_rows(response, title):
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    return [list(row) for row in workbook[title].iter_rows(values_only=True)]


def table(rows, first_header):
    """The rows from the header row (the first one starting with `first_header`) on."""
    start = next(i for i, row in enumerate(rows) if row and row[0] == first_header)
    return rows[start], [r for r in rows[start + 1 :] if any(v is not None for v in r)]


@pytest.fixture
def calibration(users, setting, make_user):  # noqa: F811
    """A calibration of one call of Inès: the contractor 100, the Cnam 97.14 (formule
    partial: accueil 20 × 6/7 = 17.14 instead of 20)."""
    version = setting["version"]
    cnam = make_user("cnam_evaluator", username="cnam.eval")
    session = CalibrationSession.objects.create(
        held_on=DAY, grid_version=version, title="Calibrage de novembre"
    )
    call = call_create(DAY, advisor=setting["mine"])
    item = CalibrationItem.objects.create(session=session, call=call)
    answers = {**best_answers(version), "proactif": AnswerInput("so")}
    for user, party, given in (
        (users["quality_analyst"], "contractor", answers),
        (cnam, "cnam", {**answers, "formule": AnswerInput("partiel")}),
    ):
        services.evaluation_submit(
            evaluator=user,
            party=party,
            version=version,
            advisor=setting["mine"],
            contact=call,
            answers=given,
            calibration_item=item,
        )
    return session


@pytest.mark.django_db
def test_advisor_exports_only_their_own_evaluations_without_calibration_scores(
    client,
    users,
    setting,
    calibration,  # noqa: F811
):
    client.force_login(users["advisor"])
    assert "export.xlsx" in client.get(reverse("quality-evaluation-list")).content.decode()
    headers, rows = table(sheet_rows(client.get(EXPORT), "Évaluations"), "N° d'évaluation")
    assert headers[0] == "N° d'évaluation" and "Conseiller" in headers
    # one row: their one ordinary evaluation (the two calibration scores stay out), 100 as a number
    assert [(r[0], r[3]) for r in rows] == [(setting["evaluation"].pk, "A1001")]
    score = rows[0][headers.index("Note /100")]
    assert score == 100 and isinstance(score, int | float)  # a number, not text
    _headers, answers = table(sheet_rows(client.get(EXPORT), "Réponses"), "N° d'évaluation")
    assert answers and {a[0] for a in answers} == {setting["evaluation"].pk}


@pytest.mark.django_db
def test_team_leader_exports_their_team_and_others_are_refused(client, users, setting):  # noqa: F811
    client.force_login(users["team_leader"])
    _headers, rows = table(sheet_rows(client.get(EXPORT), "Évaluations"), "N° d'évaluation")
    assert [r[3] for r in rows] == ["A1001"]  # Léa of Lyon is outside the team
    client.force_login(users["quality_analyst"])
    _headers, rows = table(sheet_rows(client.get(EXPORT), "Évaluations"), "N° d'évaluation")
    assert sorted(r[3] for r in rows) == ["A1001", "B2001"]
    for role in ("workforce_planner", "contract_manager", "security_officer", "trainer"):
        client.force_login(users[role])
        assert client.get(EXPORT).status_code == 403, role
    client.logout()
    assert client.get(EXPORT).status_code == 302


@pytest.mark.django_db
def test_a_calibration_cannot_be_exported_before_its_reveal(client, users, calibration):
    url = reverse("quality-calibration-export", args=[calibration.pk])
    client.force_login(users["quality_analyst"])
    assert client.get(url).status_code == 403  # still scored blind, even for its manager
    services.calibration_reveal(calibration, user=users["quality_analyst"])
    assert (
        "export.xlsx"
        in client.get(reverse("quality-calibration", args=[calibration.pk])).content.decode()
    )
    rows = sheet_rows(client.get(url), "Écarts par contact")
    headers, lines = table(rows, "Contact")
    line = dict(zip(headers, lines[0], strict=True))
    # contractor 100, Cnam 20 × 6/7 + 80 = 97.14, gap 2.86 points, all of it on accueil
    assert (line["Titulaire"], line["Cnam"]) == (100.0, pytest.approx(97.14, abs=0.01))
    assert line["Écart"] == pytest.approx(2.86, abs=0.01)
    accueil = next(h for h in headers if h.startswith("Écart : Accueil"))
    assert line[accueil] == pytest.approx(2.86, abs=0.01)
    _headers, questions = table(sheet_rows(client.get(url), "Écarts par question"), "Contact")
    gaps = {q[2]: q[3] for q in questions}
    assert max(gaps.values()) == 1.0  # formule: full 3 points against partiel 2
    for role in ("advisor", "workforce_planner", "trainer"):  # the calibration page's readers only
        client.force_login(users[role])
        assert client.get(url).status_code == 403, role
