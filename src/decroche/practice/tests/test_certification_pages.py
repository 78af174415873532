"""Certification roles and pages (issue 15 §4–6): the evaluator and jury roles, the
inter-rater agreement report (page and XLSX), the co-signed results for the jury and the
client auditor, the append-only evidence page; "not allowed" for each; no page or export
shows one evaluator's provisional grid (nor their evidence) to the other."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from decroche.accounts.roles import ROLES_BY_CODE
from decroche.core.models import AuditEntry
from decroche.practice import services
from decroche.practice.models import Criterion, EvidenceRecord, Framework, Scenario
from decroche.synthetic.demo import DEMO_PEOPLE

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework():
    return Framework.objects.get(code="conseiller-relation-client", version=1)


@pytest.fixture
def criteria(framework):
    return {c.code: c for c in Criterion.objects.filter(competency__block__framework=framework)}


def _candidate(make_user, username, last_name):
    user = make_user("advisor", username=username)
    user.last_name = last_name
    user.save(update_fields=["last_name"])
    return user


@pytest.fixture
def people(make_user, users):
    return {
        "a": make_user("evaluator", username="eva.a"),
        "b": make_user("evaluator", username="eva.b"),
        "c": make_user("evaluator", username="eva.c"),
        "jury": make_user("certification_jury", username="jury.one"),
        "first": _candidate(make_user, "cand.one", "Premier"),
        "second": _candidate(make_user, "cand.two", "Second"),
        "third": _candidate(make_user, "cand.three", "Troisieme"),
    }


def _assess(framework, people, candidate, a, b):
    return services.assessment_create(
        candidate=people[candidate],
        framework=framework,
        evaluator_a=people[a],
        evaluator_b=people[b],
        user=people["jury"],
    )


def _grade(assessment, evaluator, criteria, level, overrides=None, submit=True):
    levels = {c.pk: (overrides or {}).get(code, level) for code, c in criteria.items()}
    services.grid_fill(
        assessment=assessment, evaluator=evaluator, levels=levels, comments={"1": "RAS"}
    )
    if submit:
        services.grid_submit(assessment=assessment, evaluator=evaluator)


def test_evaluator_and_jury_roles():
    evaluator, jury = ROLES_BY_CODE["evaluator"], ROLES_BY_CODE["certification_jury"]
    assert evaluator.permissions == ("practice.evaluate_competencies",)
    assert "practice.manage_assessments" in jury.permissions
    assert "practice.evaluate_competencies" not in jury.permissions  # the jury does not grade
    assert evaluator.requires_second_factor and jury.requires_second_factor  # personal data
    auditor = ROLES_BY_CODE["client_auditor"].permissions
    assert "practice.view_assessment_results" in auditor
    assert "practice.evaluate_competencies" not in auditor
    assert "practice.manage_assessments" not in auditor
    # The demo makes one account per role: both new roles have their demo person.
    assert {"evaluator", "certification_jury"} <= DEMO_PEOPLE.keys()


def test_not_allowed(client, users, people, framework):
    assessment = _assess(framework, people, "first", "a", "b")
    agreement, results = reverse("practice-agreement"), reverse("practice-assessment-results")
    evidence = reverse("practice-assessment-evidence", args=[assessment.pk])
    for url in (agreement, agreement + "?format=xlsx", results, evidence):
        assert client.get(url).status_code == 302  # anonymous: to the sign-in page
    client.force_login(users["advisor"])
    for url in (agreement, agreement + "?format=xlsx", results, evidence):
        assert client.get(url).status_code == 403
    client.force_login(people["a"])  # an evaluator reads neither the report nor the results
    for url in (agreement, agreement + "?format=xlsx", results):
        assert client.get(url).status_code == 403
    assert client.get(evidence).status_code == 200  # assigned
    detail = reverse("practice-assessment", args=[assessment.pk])
    assert client.get(detail).status_code == 200
    client.force_login(people["c"])  # an evaluator not assigned to this assessment
    assert client.get(evidence).status_code == 404
    assert client.get(detail).status_code == 404
    assert "Camille Premier" not in client.get(reverse("practice-assessment-list")).content.decode()
    assert client.post(evidence, {"criterion": "1", "kind": "file"}).status_code == 404
    client.force_login(users["trainer"])  # trainers read the agreement, not the results
    assert client.get(agreement).status_code == 200
    assert client.get(results).status_code == 403
    auditor = users["client_auditor"]
    client.force_login(auditor)  # read-only: results and agreement, never an assessment
    assert client.get(agreement).status_code == 200
    assert client.get(results).status_code == 200
    for name in ("practice-assessment", "practice-assessment-evidence", "practice-assessment-file"):
        assert client.get(reverse(name, args=[assessment.pk])).status_code == 403
    assert client.get(reverse("practice-assessment-list")).status_code == 403
    client.force_login(people["jury"])
    for url in (agreement, results, evidence, reverse("practice-assessment-list")):
        assert client.get(url).status_code == 200


def test_agreement_report_page_and_xlsx_on_hand_computed_figures(
    client, people, framework, criteria
):
    # Assessment 1 (eva.a, eva.b): A gives 2 everywhere, B 2 except 1.2.a at 1.
    first = _assess(framework, people, "first", "a", "b")
    _grade(first, people["a"], criteria, 2)
    _grade(first, people["b"], criteria, 2, {"1.2.a": 1})
    # Assessment 2 (eva.a, eva.b): both give 3 everywhere.
    second = _assess(framework, people, "second", "a", "b")
    _grade(second, people["a"], criteria, 3)
    _grade(second, people["b"], criteria, 3)
    # Assessment 3 (eva.a, eva.c): A submitted, C still provisional — must not count.
    third = _assess(framework, people, "third", "a", "c")
    _grade(third, people["a"], criteria, 0)
    _grade(third, people["c"], criteria, 1, submit=False)
    client.force_login(people["jury"])
    page = client.get(reverse("practice-agreement")).content.decode()
    # Pair (eva.a, eva.b): 22 levels compared, 21 equal: p_o = 21/22 = 95.45… % → "95,5 %".
    # A: 11×2, 11×3; B: 10×2, 1×1, 11×3. p_e = (11·10 + 11·11)/22² = 231/484;
    # κ = (462/484 − 231/484) / (253/484) = 231/253 = 0.913… → "0,91".
    assert "95,5\u00a0%" in page and "0,91" in page
    # 1.2.a: pairs (2,1), (3,3): p_o = 1/2; p_e = (1·1 [level 3])/4 = 1/4;
    # κ = (1/2 − 1/4)/(3/4) = 1/3 → "50,0 %", "0,33".
    assert "50,0\u00a0%" in page and "0,33" in page
    assert "eva.c" not in page  # the provisional grid of assessment 3 shows nowhere
    response = client.get(reverse("practice-agreement") + "?format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEntry.objects.filter(action="practice.agreement.exported").count() == 1
    workbook = load_workbook(io.BytesIO(response.content))
    per_criterion, per_pair = workbook.worksheets
    rows = [r for r in per_criterion.iter_rows(values_only=True) if r and r[0] in criteria]
    by_code = {r[0]: r for r in rows}
    assert len(rows) == 11
    assert by_code["1.2.a"][2:] == (2, 0.5, pytest.approx(1 / 3))
    # 1.1.a: (2,2), (3,3): p_o = 1; p_e = (1·1 + 1·1)/4 = 1/2; κ = (1 − 1/2)/(1 − 1/2) = 1.
    assert by_code["1.1.a"][2:] == (2, 1.0, 1.0)
    pairs = [r for r in per_pair.iter_rows(values_only=True) if r and r[0] in ("eva.a", "eva.c")]
    assert pairs == [("eva.a", "eva.b", 22, pytest.approx(21 / 22), pytest.approx(231 / 253))]


def test_results_show_only_cosigned_assessments(client, users, people, framework, criteria):
    signed = _assess(framework, people, "first", "a", "b")
    _grade(signed, people["a"], criteria, 2)
    _grade(signed, people["b"], criteria, 2, {"1.2.a": 1})
    services.criterion_reconcile(
        assessment=signed,
        criterion=criteria["1.2.a"],
        user=people["a"],
        outcome="agreed",
        level=1,
    )
    for evaluator in ("a", "b"):
        services.assessment_sign(assessment=signed, evaluator=people[evaluator])
    in_progress = _assess(framework, people, "second", "a", "c")
    _grade(in_progress, people["a"], criteria, 3)
    client.force_login(users["client_auditor"])
    page = client.get(reverse("practice-assessment-results")).content.decode()
    # Block 1 = min(2, 2, 1 (agreed), 2, 2, 2) = 1 "En cours d'acquisition"; not acquired.
    assert "Camille Premier" in page and "Camille Second" not in page
    assert "Bloc 1 : En cours d&#x27;acquisition" in page and "Bloc 2 : Acquis" in page
    assert "Certification non acquise" in page or "not acquired" in page


def test_evidence_page_append_only_and_blind(client, people, framework, criteria, users):
    assessment = _assess(framework, people, "first", "a", "b")
    url = reverse("practice-assessment-evidence", args=[assessment.pk])
    criterion = criteria["1.2.a"]
    client.force_login(people["a"])
    response = client.post(
        url,
        {
            "criterion": criterion.pk,
            "kind": "interaction",
            "reference": "appel du 3 mars, 10 h 40",
            "note": "Reformule et nomme la colère, garde le cadre.",
        },
    )
    assert response.status_code == 302
    record = EvidenceRecord.objects.get()
    assert (record.assessment, record.candidate, record.recorded_by) == (
        assessment,
        people["first"],
        people["a"],
    )
    assert AuditEntry.objects.filter(action="practice.evidence.recorded").count() == 1
    # B, whose grid is provisional, does not see A's evidence in this assessment, nor the
    # jury's correction of it.
    jury_fix = services.evidence_record(
        assessment=assessment,
        user=people["jury"],
        criterion=criterion,
        kind="interaction",
        reference="appel du 3 mars, 10 h 40",
        note="Le jury précise : colère nommée.",
        corrects=record,
    )
    client.force_login(people["b"])
    page = client.get(url).content.decode()
    assert "nomme la colère" not in page and "Le jury précise" not in page
    # An interaction without its reference, or a role-play run of someone else: refused.
    client.post(url, {"criterion": criterion.pk, "kind": "interaction", "note": "x"})
    other_run = services.run_start(
        user=users["advisor"], scenario=Scenario.objects.get(slug="agressivite-gratuite-carte")
    )
    response = client.post(
        url, {"criterion": criterion.pk, "kind": "role_play", "run": other_run.pk}
    )
    assert response.status_code == 200  # the run is not among the candidate's: form error
    assert EvidenceRecord.objects.count() == 2  # A's and the jury's
    # A corrects their record: a new record pointing at it; the first one is unchanged.
    client.force_login(people["a"])
    correction = {
        "criterion": criterion.pk,
        "kind": "interaction",
        "reference": "appel du 3 mars, 10 h 40",
        "corrects": record.pk,
    }
    with pytest.raises(services.AssessmentError, match="already corrected"):
        services.evidence_record(
            assessment=assessment,
            user=people["a"],
            criterion=criterion,
            kind="interaction",
            reference="x",
            note="y",
            corrects=record,
        )
    assert client.post(url, correction).status_code == 200  # not offered: already corrected
    correction["corrects"] = jury_fix.pk
    assert client.post(url, correction).status_code == 200  # a correction needs its note
    correction["note"] = "Nomme la colère mais ne reformule pas."
    assert client.post(url, correction).status_code == 302
    fixed = EvidenceRecord.objects.latest("pk")
    assert fixed.corrects == jury_fix and EvidenceRecord.objects.count() == 3
    record.refresh_from_db()
    assert record.note == "Reformule et nomme la colère, garde le cadre."
    page = client.get(url).content.decode()
    assert "corrigée" in page and f"corrige le n° {jury_fix.pk}" in page
    assert "Ce qui l&#x27;a montré" in page and "Consigner la preuve" in page  # in French
    # Once both grids are submitted, B sees A's evidence.
    _grade(assessment, people["a"], criteria, 2)
    _grade(assessment, people["b"], criteria, 2)
    client.force_login(people["b"])
    assert "ne reformule pas" in client.get(url).content.decode()
    # The jury sees everything; a signed assessment takes no more evidence.
    for evaluator in ("a", "b"):
        services.assessment_sign(assessment=assessment, evaluator=people[evaluator])
    client.force_login(people["jury"])
    assert "ne reformule pas" in client.get(url).content.decode()
    assert client.post(url, {**correction, "corrects": fixed.pk}).status_code == 403


def test_role_play_evidence_links_a_finished_run_of_the_candidate(people, framework, criteria):
    assessment = _assess(framework, people, "first", "a", "b")
    scenario = Scenario.objects.get(slug="agressivite-gratuite-carte")
    run = services.run_start(user=people["first"], scenario=scenario)
    with pytest.raises(services.AssessmentError, match="finished run"):
        services.evidence_record(
            assessment=assessment,
            user=people["a"],
            criterion=criteria["1.2.b"],
            kind="role_play",
            run=run,
        )
    run = services.run_choose(run=services.run_choose(run=run, index=0), index=0)
    record = services.evidence_record(
        assessment=assessment,
        user=people["a"],
        criterion=criteria["1.2.b"],
        kind="role_play",
        run=run,
    )
    assert record.run == run
    with pytest.raises(services.AssessmentError, match="evaluators of this assessment"):
        services.evidence_record(
            assessment=assessment,
            user=people["c"],
            criterion=criteria["1.2.b"],
            kind="file",
            reference="dossier 12",
        )


def test_quality_evidence_names_a_submitted_evaluation_of_the_candidate(
    client, people, framework, criteria, advisor, users
):
    from decimal import Decimal

    from decroche.quality.choices import EvaluatedObject, EvaluationOrigin, GridStatus
    from decroche.quality.models import Evaluation, GridVersion

    advisor.user = people["first"]
    advisor.save(update_fields=["user"])
    version = GridVersion.objects.filter(
        status=GridStatus.PUBLISHED, grid__evaluated_object=EvaluatedObject.CALL
    ).first()

    def evaluation(status):
        return Evaluation.objects.create(
            grid_version=version,
            evaluator=users["quality_analyst"],
            evaluator_party="contractor",
            advisor=advisor,
            evaluated_object=EvaluatedObject.CALL,
            contact_day=advisor.joined_on,
            origin=EvaluationOrigin.SAMPLING,
            status=status,
            total=Decimal("90"),
        )

    submitted, draft = evaluation("submitted"), evaluation("draft")
    assessment = _assess(framework, people, "first", "a", "b")
    url = reverse("practice-assessment-evidence", args=[assessment.pk])
    client.force_login(people["a"])
    page = client.get(url).content.decode()
    offered = page.split('name="quality_evaluation"')[1].split("</select>")[0]
    assert f'value="{submitted.pk}"' in offered and f'value="{draft.pk}"' not in offered
    data = {"criterion": criteria["1.1.a"].pk, "kind": "quality", "quality_evaluation": draft.pk}
    assert client.post(url, data).status_code == 200  # a draft is not offered
    data["quality_evaluation"] = submitted.pk
    assert client.post(url, data).status_code == 302
    assert EvidenceRecord.objects.get().quality_evaluation == submitted
    other = _assess(framework, people, "second", "a", "b")  # not this candidate's evaluation
    with pytest.raises(services.AssessmentError, match="not the candidate's"):
        services.evidence_record(
            assessment=other,
            user=people["a"],
            criterion=criteria["1.1.a"],
            kind="quality",
            quality_evaluation=submitted,
        )


def test_the_candidate_sees_their_result_only_once_cosigned(
    client, users, people, framework, criteria
):
    assessment = _assess(framework, people, "first", "a", "b")
    mine, file = (
        reverse("practice-my-assessments"),
        reverse("practice-assessment-file", args=[assessment.pk]),
    )
    assert client.get(mine).status_code == 302  # anonymous
    client.force_login(users["client_auditor"])  # does not practise
    assert client.get(mine).status_code == 403
    _grade(assessment, people["a"], criteria, 3)
    _grade(assessment, people["b"], criteria, 2, submit=False)
    client.force_login(people["first"])
    page = client.get(mine).content.decode()
    assert "Évaluation en aveugle en cours" in page
    assert "Maîtrisé" not in page and "Bloc 1" not in page  # no level before co-signature
    assert client.get(file).status_code == 403
    _grade(assessment, people["b"], criteria, 3, submit=False)  # B changes their mind: 3
    services.grid_submit(assessment=assessment, evaluator=people["b"])
    for evaluator in ("a", "b"):
        services.assessment_sign(assessment=assessment, evaluator=people[evaluator])
    page = client.get(mine).content.decode()
    assert "Bloc 1 : Maîtrisé" in page and "Certification acquise" in page
    response = client.get(file)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert AuditEntry.objects.filter(action="practice.assessment.file_downloaded").count() == 1
    client.force_login(people["second"])  # another advisor: neither page nor file
    assert "Bloc 1" not in client.get(mine).content.decode()
    assert client.get(file).status_code == 403
