"""Practice pages (issue 15 §3, §6): play in the browser to an ending, result with
evidence, self-assessment, progress, trainer's runs and review; "not allowed" for each."""

from __future__ import annotations

from html import unescape

import pytest
from django.urls import reverse

from decroche.core.models import AuditEntry
from decroche.practice import services
from decroche.practice.models import CriterionReview, Run, Scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario():
    return Scenario.objects.get(slug="agressivite-gratuite-carte")


@pytest.fixture
def finished_run(users, scenario):
    run = services.run_start(user=users["advisor"], scenario=scenario)
    run = services.run_choose(run=run, index=0)
    return services.run_choose(run=run, index=0)


def _urls(run_pk: int, scenario_pk: int) -> dict[str, str]:
    return {
        "list": reverse("practice-scenario-list"),
        "start": reverse("practice-run-start", args=[scenario_pk]),
        "play": reverse("practice-run-play", args=[run_pk]),
        "result": reverse("practice-run-result", args=[run_pk]),
        "review": reverse("practice-run-review", args=[run_pk]),
        "mine": reverse("practice-my-runs"),
        "runs": reverse("practice-run-list"),
        "queue": reverse("practice-review-queue"),
    }


def test_anonymous_is_redirected_everywhere(client, finished_run, scenario):
    for name, url in _urls(finished_run.pk, scenario.pk).items():
        response = client.post(url) if name == "start" else client.get(url)
        assert response.status_code == 302, name
        assert "/connexion/" in response["Location"] or "login" in response["Location"], name


def test_a_role_without_practice_permissions_gets_403(client, users, finished_run, scenario):
    client.force_login(users["quality_analyst"])
    for name, url in _urls(finished_run.pk, scenario.pk).items():
        response = client.post(url) if name == "start" else client.get(url)
        assert response.status_code == 403, name


def test_an_advisor_plays_in_the_browser_to_a_scored_ending(client, users, scenario):
    client.force_login(users["advisor"])
    page = unescape(client.get(reverse("practice-scenario-list")).content.decode())
    assert "Incivilité à l'accueil" in page
    response = client.post(reverse("practice-run-start", args=[scenario.pk]))
    run = Run.objects.get(user=users["advisor"])
    assert response["Location"] == reverse("practice-run-play", args=[run.pk])
    page = unescape(client.get(response["Location"]).content.decode())
    assert (
        "Vous êtes des incapables" in page
        and "<script" not in page.split("<main")[1].split("</main>")[0]
    )
    assert client.post(response["Location"], {"choice": "1"}).status_code == 302  # "Calmez-vous"
    page = unescape(client.get(response["Location"]).content.decode())
    assert "Espèce de fonctionnaire" in page
    client.post(response["Location"], {"choice": "0"})  # frame set
    response = client.post(response["Location"], {"choice": "0"})  # pragmatic solution
    run.refresh_from_db()
    assert run.ending == "resolved" and run.finished
    # distanced_engagement -2, safe_frame +2, mediation +2 = 2; no fault, ending accepted
    assert run.result["total"] == 2 and run.passed is True
    assert client.get(reverse("practice-run-play", args=[run.pk]))["Location"] == reverse(
        "practice-run-result", args=[run.pk]
    )
    page = unescape(client.get(reverse("practice-run-result", args=[run.pk])).content.decode())
    assert "« Calmez-vous, madame. »" in page
    response = client.post(
        reverse("practice-run-result", args=[run.pk]),
        {
            "self_assessment": "J'ai dit « calmez-vous ».",
            "action_plan": "Nommer l'émotion d'abord.",
        },
    )
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.action_plan == "Nommer l'émotion d'abord."
    entry = AuditEntry.objects.get(action="practice.run.reflected")
    assert "calmez" not in str(entry.data).lower()
    page = unescape(client.get(reverse("practice-my-runs")).content.decode())
    assert "Setting the frame assertively" in page or "Poser le cadre avec assertivité" in page


def test_an_impossible_move_is_refused_with_a_message(client, users, scenario):
    client.force_login(users["advisor"])
    run = services.run_start(user=users["advisor"], scenario=scenario)
    response = client.post(reverse("practice-run-play", args=[run.pk]), {"choice": "7"})
    assert response.status_code == 200
    run.refresh_from_db()
    assert run.state["events"] == []


def test_written_reply_is_played_through_the_form(client, users):
    written = Scenario.objects.get(slug="reclamation-ecrite-carte")
    client.force_login(users["advisor"])
    client.post(reverse("practice-run-start", args=[written.pk]))
    run = Run.objects.get(user=users["advisor"])
    client.post(
        reverse("practice-run-play", args=[run.pk]),
        {"text": "Bonjour, je comprends. Cordialement."},
    )
    run.refresh_from_db()
    assert run.ending == "resolved"
    # empathy +2; written_quality: 5 words < 40 (-1), greeting +1, closing +1 = 1; total 3 < 5
    assert {c["code"]: c["score"] for c in run.result["criteria"]} == {
        "empathy": 2,
        "written_quality": 1,
    }
    assert run.passed is False


def test_others_runs_are_hidden_from_an_advisor(client, users, make_user, finished_run):
    other = make_user("advisor", username="lea.advisor")
    client.force_login(other)
    assert client.get(reverse("practice-run-result", args=[finished_run.pk])).status_code == 404
    assert client.get(reverse("practice-run-play", args=[finished_run.pk])).status_code == 403
    assert "Incivilité" not in unescape(client.get(reverse("practice-my-runs")).content.decode())
    assert client.get(reverse("practice-run-review", args=[finished_run.pk])).status_code == 403


def test_trainer_sees_runs_and_reviews_a_score(client, users, finished_run):
    trainer = users["trainer"]
    client.force_login(trainer)
    assert "Incivilité" in unescape(client.get(reverse("practice-run-list")).content.decode())
    assert "Incivilité" in unescape(client.get(reverse("practice-review-queue")).content.decode())
    assert client.get(reverse("practice-run-result", args=[finished_run.pk])).status_code == 200
    # A trainer may not play or reflect on someone else's run.
    assert client.get(reverse("practice-run-play", args=[finished_run.pk])).status_code == 403
    assert (
        client.post(reverse("practice-run-result", args=[finished_run.pk]), {}).status_code == 403
    )
    codes = [c["code"] for c in finished_run.result["criteria"]]
    assert codes == ["assertive_communication", "mediation"]
    response = client.post(
        reverse("practice-run-review", args=[finished_run.pk]),
        {
            "score_assertive_communication": "2",
            "score_mediation": "1",
            "comment_mediation": "Solution donnée sans vérifier l'adresse.",
        },
    )
    assert response.status_code == 302
    finished_run.refresh_from_db()
    assert finished_run.review_status == "changed"
    reviews = {r.criterion: r for r in CriterionReview.objects.filter(run=finished_run)}
    assert (reviews["mediation"].engine_score, reviews["mediation"].reviewed_score) == (2, 1)
    assert reviews["assertive_communication"].reviewed_score == 2
    assert "Incivilité" not in unescape(
        client.get(reverse("practice-review-queue")).content.decode()
    )
    page = unescape(
        client.get(reverse("practice-run-result", args=[finished_run.pk])).content.decode()
    )
    assert "Solution donnée sans vérifier" in page


def test_every_shipped_scenario_is_played_in_the_browser_to_a_scored_ending(client, users):
    """Done-when of issue 15: each shipped scenario, through the pages, first move each
    turn (or a short written reply), to an ending with its scored, evidenced feedback."""
    client.force_login(users["advisor"])
    scenarios = list(Scenario.objects.order_by("slug"))
    assert len(scenarios) >= 6
    for scenario in scenarios:
        client.post(reverse("practice-run-start", args=[scenario.pk]))
        run = Run.objects.filter(user=users["advisor"], scenario=scenario).latest("pk")
        play = reverse("practice-run-play", args=[run.pk])
        for _turn in range(40):
            response = client.get(play)
            if response.status_code == 302:  # finished: the play page sends to the result
                break
            page = response.content.decode()
            answer = (
                {"text": "Bonjour, je comprends votre demande. Cordialement."}
                if 'name="text"' in page
                else {"choice": "0"}
            )
            assert client.post(play, answer).status_code == 302, scenario.slug
        run.refresh_from_db()
        assert run.finished and run.ending, scenario.slug
        result = client.get(reverse("practice-run-result", args=[run.pk]))
        assert result.status_code == 200, scenario.slug
        assert run.result["criteria"] and "passed" in run.result, scenario.slug
