"""Competency framework and the two-evaluator blind assessment (issue 15 §4–5)."""

from __future__ import annotations

import pytest

from decroche.practice import selectors, services
from decroche.practice.models import Criterion, EvidenceRecord, Framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework():
    return Framework.objects.get(code="conseiller-relation-client", version=1)


@pytest.fixture
def people(make_user, users):
    return {
        "candidate": users["advisor"],
        "a": make_user("trainer", username="eva.a"),
        "b": make_user("trainer", username="eva.b"),
        "jury": users["administrator"],
    }


@pytest.fixture
def assessment(framework, people):
    return services.assessment_create(
        candidate=people["candidate"],
        framework=framework,
        evaluator_a=people["a"],
        evaluator_b=people["b"],
        user=people["jury"],
    )


def _criteria(framework) -> list[Criterion]:
    return list(Criterion.objects.filter(competency__block__framework=framework).order_by("code"))


def _fill_all(assessment, evaluator, framework, level=2, overrides=None):
    levels = {c.pk: (overrides or {}).get(c.code, level) for c in _criteria(framework)}
    services.grid_fill(
        assessment=assessment, evaluator=evaluator, levels=levels, comments={"1": "RAS"}
    )


def test_framework_has_five_blocks_with_modalities(framework):
    blocks = list(framework.blocks.all())
    assert [b.number for b in blocks] == [1, 2, 3, 4, 5]
    assert "3 à 5 interactions" in blocks[0].modality and "15 minutes" in blocks[0].modality
    assert "fraude" in blocks[1].modality
    assert len(_criteria(framework)) == 11
    assert services.framework_load() == framework  # loading again changes nothing


def test_grids_are_blind_until_both_are_submitted(assessment, framework, people):
    _fill_all(assessment, people["a"], framework)
    grid_a = assessment.grids.get(evaluator=people["a"])
    # B, not yet submitted, cannot read A's grid, provisional or submitted.
    assert not selectors.grid_readable_by(grid_a, people["b"])
    services.grid_submit(assessment=assessment, evaluator=people["a"])
    grid_a.refresh_from_db()
    assert not selectors.grid_readable_by(grid_a, people["b"])
    with pytest.raises(PermissionError):
        selectors.grid_levels(grid_a, people["b"])
    with pytest.raises(PermissionError):
        selectors.assessment_differences(assessment, people["b"])
    assert not selectors.grid_readable_by(grid_a, people["candidate"])
    # A may not change a submitted grid.
    with pytest.raises(services.AssessmentError, match="submitted"):
        _fill_all(assessment, people["a"], framework, level=3)
    # Once B submits, each reads the other's and the differences appear per criterion.
    _fill_all(assessment, people["b"], framework, overrides={"1.2.a": 1, "2.1.b": 3})
    services.grid_submit(assessment=assessment, evaluator=people["b"])
    assert selectors.grid_readable_by(grid_a, people["b"])
    differing = [
        d["criterion"].code
        for d in selectors.assessment_differences(assessment, people["a"])
        if d["differs"]
    ]
    assert differing == ["1.2.a", "2.1.b"]


def test_incomplete_grid_cannot_be_submitted(assessment, people):
    with pytest.raises(services.AssessmentError, match="every criterion"):
        services.grid_submit(assessment=assessment, evaluator=people["a"])


def test_reconciliation_paths_and_frozen_cosigned_result(assessment, framework, people):
    _fill_all(assessment, people["a"], framework)
    _fill_all(assessment, people["b"], framework, overrides={"1.2.a": 1, "2.1.b": 3})
    for key in ("a", "b"):
        services.grid_submit(assessment=assessment, evaluator=people[key])
    assessment.refresh_from_db()
    assert assessment.status == "reconciling"
    by_code = {c.code: c for c in _criteria(framework)}
    with pytest.raises(services.AssessmentError, match="every criterion must be reconciled"):
        services.assessment_sign(assessment=assessment, evaluator=people["a"])
    with pytest.raises(services.AssessmentError, match="justification"):
        services.criterion_reconcile(
            assessment=assessment,
            criterion=by_code["1.2.a"],
            user=people["a"],
            outcome="decided",
            level=1,
        )
    # 1.2.a: agreement on level 1; 2.1.b: escalated, then the jury decides level 2.
    services.criterion_reconcile(
        assessment=assessment,
        criterion=by_code["1.2.a"],
        user=people["a"],
        outcome="agreed",
        level=1,
    )
    services.criterion_reconcile(
        assessment=assessment,
        criterion=by_code["2.1.b"],
        user=people["b"],
        outcome="escalated",
        justification="Désaccord sur la gravité de la fraude non signalée.",
    )
    assessment.refresh_from_db()
    assert assessment.status == "escalated"
    assert selectors.assessment_final_levels(assessment) is None
    services.criterion_reconcile(
        assessment=assessment,
        criterion=by_code["2.1.b"],
        user=people["jury"],
        outcome="decided",
        level=2,
        justification="Le jury retient le niveau acquis.",
    )
    services.assessment_sign(assessment=assessment, evaluator=people["a"])
    assessment.refresh_from_db()
    assert assessment.status != "signed" and assessment.final == {}
    services.assessment_sign(assessment=assessment, evaluator=people["b"])
    assessment.refresh_from_db()
    assert assessment.status == "signed"
    final = assessment.final
    assert (final["framework"], final["version"]) == ("conseiller-relation-client", 1)
    # Block 1 = min(2, 2, 1, 2, 2, 2) = 1 (1.2.a agreed at 1); blocks 2–5 at 2.
    assert final["blocks"] == [
        {"number": 1, "level": 1},
        {"number": 2, "level": 2},
        {"number": 3, "level": 2},
        {"number": 4, "level": 2},
        {"number": 5, "level": 2},
    ]
    assert final["acquired"] is False  # block 1 below level 2
    assert selectors.grid_readable_by(
        assessment.grids.get(evaluator=people["a"]), people["candidate"]
    )


def test_agreement_report_per_criterion_and_pair(assessment, framework, people):
    _fill_all(assessment, people["a"], framework)
    _fill_all(assessment, people["b"], framework, overrides={"1.2.a": 1})
    for key in ("a", "b"):
        services.grid_submit(assessment=assessment, evaluator=people[key])
    report = selectors.agreement_report(framework)
    assert report["criteria"]["1.2.a"] == {"n": 1, "exact": 0.0, "kappa": 0.0}
    # p_e = 1 for a single agreeing pair: kappa undefined
    assert report["criteria"]["1.1.a"] == {"n": 1, "exact": 1.0, "kappa": None}
    pair = report["pairs"][("eva.a", "eva.b")]
    # 11 criteria, 10 agree: exact = 10/11. A: all 2 (11×2); B: 10×2, 1×1.
    # p_o = 10/11; p_e = (11·10)/121 = 110/121; κ = (10/11 − 110/121)/(1 − 110/121) = 0/…= 0
    assert (
        pair["n"] == 11
        and pair["exact"] == pytest.approx(10 / 11)
        and pair["kappa"] == pytest.approx(0.0)
    )


def test_evidence_records_are_append_only(framework, people):
    record = EvidenceRecord.objects.create(
        candidate=people["candidate"],
        criterion=_criteria(framework)[0],
        kind="interaction",
        reference="appel du 3 mars",
        recorded_by=people["a"],
    )
    record.note = "modifié"
    with pytest.raises(ValueError, match="append-only"):
        record.save()
    with pytest.raises(ValueError, match="append-only"):
        record.delete()


def test_not_assigned_evaluator_is_refused(assessment, framework, make_user):
    outsider = make_user("trainer", username="eva.c")
    with pytest.raises(services.AssessmentError, match="not assigned"):
        _fill_all(assessment, outsider, framework)
