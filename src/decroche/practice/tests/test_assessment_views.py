"""Assessment pages (issue 15 §5–6): only assigned evaluators, blind until both submit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from decroche.practice import services
from decroche.practice.models import Assessment, Criterion, Framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(make_user, users):
    framework = Framework.objects.get(code="conseiller-relation-client")
    a, b = make_user("trainer", username="eva.a"), make_user("trainer", username="eva.b")
    assessment = services.assessment_create(
        candidate=users["advisor"],
        framework=framework,
        evaluator_a=a,
        evaluator_b=b,
        user=users["administrator"],
    )
    criteria = list(Criterion.objects.filter(competency__block__framework=framework))
    return assessment, a, b, criteria


def _grid_post(criteria, level, action, special=None):
    data = {f"level_{c.pk}": str((special or {}).get(c.code, level)) for c in criteria}
    data.update(
        {"comment_1": "Observation de 4 appels, dont une mise en situation.", "action": action}
    )
    return data


def test_not_allowed(client, users, setup, make_user):
    assessment, a, *_ = setup
    urls = [
        reverse("practice-assessment-list"),
        reverse("practice-assessment", args=[assessment.pk]),
        reverse("practice-assessment-file", args=[assessment.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302
    client.force_login(users["advisor"])  # the candidate holds no evaluator permission
    for url in urls:
        assert client.get(url).status_code == 403
    client.force_login(make_user("trainer", username="eva.c"))  # not assigned
    assert client.get(urls[1]).status_code == 404
    assert client.get(urls[2]).status_code == 404
    client.force_login(a)  # assigned, but the result is not co-signed: no file yet
    assert client.get(urls[2]).status_code == 403
    client.force_login(make_user("trainer", username="eva.d"))
    assert "Camille Advisor" not in client.get(urls[0]).content.decode()


def test_blind_grids_then_reconciliation_and_cosignature(client, setup):
    assessment, a, b, criteria = setup
    url = reverse("practice-assessment", args=[assessment.pk])
    client.force_login(a)
    assert client.post(url, _grid_post(criteria, 3, "submit", {"1.2.a": 1})).status_code == 302
    client.force_login(b)
    page = client.get(url).content.decode()
    assert "Observation de 4 appels" not in page  # A's comments are not shown to B
    assert "Levels of both evaluators" not in page and "Niveaux des deux évaluateurs" not in page
    assert 'value="3" selected' not in page  # A's levels do not leak into B's form
    client.post(url, _grid_post(criteria, 3, "save"))
    page = client.get(url).content.decode()
    assert page.count("selected") >= len(criteria)  # B's own provisional levels
    client.post(url, _grid_post(criteria, 3, "submit"))
    assessment.refresh_from_db()
    assert assessment.status == "reconciling"
    page = client.get(url).content.decode()
    assert "Levels of both evaluators" in page or "Niveaux des deux évaluateurs" in page
    target = next(c for c in criteria if c.code == "1.2.a")
    client.post(
        url,
        {
            "action": "reconcile",
            "criterion": target.pk,
            "outcome": "decided",
            "level": "2",
            "justification": "Assertivité observée sur 3 appels sur 4.",
        },
    )
    client.post(url, {"action": "sign"})
    client.force_login(a)
    client.post(url, {"action": "sign"})
    assessment.refresh_from_db()
    assert assessment.status == "signed"
    # Block 1 = min(3, 3, 2 (decided), 3, 3, 3) = 2; the others 3; acquired (all ≥ 2).
    assert [blk["level"] for blk in assessment.final["blocks"]] == [2, 3, 3, 3, 3]
    assert assessment.final["acquired"] is True
    assert (
        client.post(url, _grid_post(criteria, 0, "save")).status_code == 200
    )  # refused: submitted


def test_the_jury_creates_an_assessment_a_trainer_may_not(client, users, make_user):
    a, b = make_user("trainer", username="eva.a"), make_user("trainer", username="eva.b")
    url = reverse("practice-assessment-list")
    data = {"candidate": users["advisor"].username, "evaluator_a": "eva.a", "evaluator_b": "eva.b"}
    client.force_login(a)
    assert client.post(url, data).status_code == 403
    client.force_login(users["administrator"])
    response = client.post(url, {**data, "evaluator_b": "personne"})
    assert response.status_code == 200 and not Assessment.objects.exists()
    response = client.post(url, {**data, "evaluator_b": users["advisor"].username})
    assert response.status_code == 200 and not Assessment.objects.exists()  # may not evaluate
    response = client.post(url, data)
    assessment = Assessment.objects.get()
    assert response["Location"] == reverse("practice-assessment", args=[assessment.pk])
    assert (assessment.evaluator_a, assessment.evaluator_b) == (a, b)
    assert assessment.grids.count() == 2
