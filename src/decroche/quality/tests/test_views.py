"""Quality pages: who may see and do what (SPEC §7, §9), and the blind calibration rule."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse

from decroche.contacts.factories import call_create
from decroche.organisation.models import Advisor, Site, Team
from decroche.quality import services
from decroche.quality.models import CalibrationItem, CalibrationSession, Evaluation, GridVersion
from decroche.quality.selectors import scoring_grid
from decroche.quality.services import AnswerInput

DAY = dt.date(2026, 11, 2)


def best_answers(version):
    grid = scoring_grid(version)
    return {
        q.code: AnswerInput(max(q.options, key=lambda o: o.points).code)
        for _s, q in grid.questions()
    }


@pytest.fixture
def setting(users, site):
    """Advisor A1001 (linked to the advisor account) in Grenoble, led by the team leader;
    an advisor of Lyon outside the team leader's scope; the shipped call grid."""
    team = Team.objects.create(site=site, code="g1", name="G1", leader=users["team_leader"])
    mine = Advisor.objects.create(
        login="A1001",
        first_name="Inès",
        last_name="Martin",
        site=site,
        team=team,
        joined_on=dt.date(2025, 1, 6),
        user=users["advisor"],
    )
    lyon = Site.objects.create(code="lyon", name="Lyon")
    other = Advisor.objects.create(
        login="B2001", first_name="Léa", last_name="Roux", site=lyon, joined_on=dt.date(2025, 1, 6)
    )
    version = GridVersion.objects.get(grid__code="appel-n1", status="published")
    evaluation = services.evaluation_submit(
        evaluator=users["quality_analyst"],
        party="contractor",
        version=version,
        advisor=mine,
        contact=call_create(DAY, advisor=mine),
        answers=best_answers(version),
    )
    foreign = services.evaluation_submit(
        evaluator=users["quality_analyst"],
        party="contractor",
        version=version,
        advisor=other,
        contact=call_create(DAY, advisor=other),
        answers=best_answers(version),
    )
    return {
        "mine": mine,
        "other": other,
        "version": version,
        "evaluation": evaluation,
        "foreign": foreign,
    }


@pytest.mark.django_db
def test_every_quality_page_requires_login(client, setting):
    for url in (
        reverse("quality-evaluation-list"),
        reverse("quality-evaluation", args=[setting["evaluation"].pk]),
        reverse("quality-advisor", args=[setting["mine"].pk]),
        reverse("quality-calibration-list"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "connexion" in response["Location"]


@pytest.mark.django_db
def test_advisor_sees_only_their_own_evaluations_and_acknowledges(client, users, setting):
    client.force_login(users["advisor"])
    listing = client.get(reverse("quality-evaluation-list")).content.decode()
    assert reverse("quality-evaluation", args=[setting["evaluation"].pk]) in listing
    assert reverse("quality-evaluation", args=[setting["foreign"].pk]) not in listing
    assert (
        client.get(reverse("quality-evaluation", args=[setting["foreign"].pk])).status_code == 404
    )
    assert client.get(reverse("quality-advisor", args=[setting["other"].pk])).status_code == 403
    response = client.post(
        reverse("quality-evaluation", args=[setting["evaluation"].pk]), {"acknowledge": "1"}
    )
    assert response.status_code == 302
    setting["evaluation"].refresh_from_db()
    assert setting["evaluation"].acknowledged_at is not None


@pytest.mark.django_db
def test_team_leader_reads_their_team_only_and_cannot_act_for_the_advisor(client, users, setting):
    client.force_login(users["team_leader"])
    assert (
        client.get(reverse("quality-evaluation", args=[setting["evaluation"].pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("quality-evaluation", args=[setting["foreign"].pk])).status_code == 404
    )
    assert (
        client.post(
            reverse("quality-evaluation", args=[setting["evaluation"].pk]), {"acknowledge": "1"}
        ).status_code
        == 403
    )
    other_call = call_create(DAY, advisor=setting["other"])
    assert client.get(reverse("quality-evaluate", args=["call", other_call.pk])).status_code == 403


@pytest.mark.django_db
def test_roles_without_quality_rights_are_refused(client, users, setting):
    for role in ("workforce_planner", "contract_manager", "security_officer", "trainer"):
        client.force_login(users[role])
        assert client.get(reverse("quality-evaluation-list")).status_code == 403, role
        call = call_create(DAY, advisor=setting["mine"])
        assert client.get(reverse("quality-evaluate", args=["call", call.pk])).status_code == 403
        assert client.get(reverse("quality-calibration-list")).status_code == 403


@pytest.mark.django_db
def test_evaluating_through_the_page_stores_the_score(client, users, setting):
    client.force_login(users["quality_analyst"])
    call = call_create(DAY, advisor=setting["mine"])
    url = reverse("quality-evaluate", args=["call", call.pk])
    assert "Accueil et présentation du service" in client.get(url).content.decode()
    data = {f"q_{code}": answer.option for code, answer in best_answers(setting["version"]).items()}
    data["q_identite"] = "non"  # a failed critical item without a comment: refused
    response = client.post(url, data)
    assert response.status_code == 200 and "commentaire" in response.content.decode().lower()
    data["c_identite"] = "Identité non vérifiée avant de donner le détail des remboursements"
    response = client.post(url, data)
    evaluation = Evaluation.objects.get(call=call)
    assert response.status_code == 302 and evaluation.total == D("0.00") and evaluation.zeroed


@pytest.mark.django_db
def test_calibration_page_and_report_stay_blind_until_revealed(client, users, setting, make_user):
    version = setting["version"]
    cnam = make_user("cnam_evaluator", username="cnam.eval")
    session = CalibrationSession.objects.create(
        held_on=DAY, grid_version=version, title="Calibrage de novembre"
    )
    call = call_create(DAY, advisor=setting["mine"])
    item = CalibrationItem.objects.create(session=session, call=call)
    answers = {**best_answers(version), "proactif": AnswerInput("so")}  # no bonus
    services.evaluation_submit(
        evaluator=users["quality_analyst"],
        party="contractor",
        version=version,
        advisor=setting["mine"],
        contact=call,
        answers=answers,
        calibration_item=item,
    )
    services.evaluation_submit(
        evaluator=cnam,
        party="cnam",
        version=version,
        advisor=setting["mine"],
        contact=call,
        answers={**answers, "formule": AnswerInput("partiel")},
        calibration_item=item,
    )
    url = reverse("quality-calibration", args=[session.pk])
    client.force_login(cnam)
    page = client.get(url).content.decode()
    # The Cnam evaluator's own score is shown, the contractor's 100 is not. "accueil" (weight
    # 20) holds formule (max 3), identite (max 1), ecoute (max 3): partiel on formule gives
    # (2 + 1 + 3)/7 = 6/7; total = 20 × 6/7 + 40 + 15 + 25 = 97.142857… → 97,14.
    assert "97,14" in page and "100,00" not in page
    assert client.post(url, {"reveal": "1"}).status_code == 403  # only quality managers reveal
    client.force_login(users["quality_analyst"])
    assert client.post(url, {"reveal": "1"}).status_code == 302
    page = client.get(url).content.decode()
    assert "97,14" in page and "100,00" in page and "2,86" in page  # gap 100 − 97.14
    # calibration scores stay out of the advisor's results
    client.force_login(users["advisor"])
    assert client.get(reverse("quality-calibration-list")).status_code == 403
    listing = client.get(reverse("quality-evaluation-list")).content.decode()
    assert listing.count("/qualite/evaluations/") == 1  # their one ordinary evaluation


@pytest.mark.django_db
def test_reading_a_named_advisors_evaluation_is_in_the_access_history(client, users, setting):
    """SPEC §9: every read of an advisor's evaluation by someone else is recorded; the
    advisor reading their own is not a read of someone else's data."""
    from decroche.core.models import AuditEntry

    evaluation, mine = setting["evaluation"], setting["mine"]
    client.force_login(users["team_leader"])
    client.get(reverse("quality-evaluation", args=[evaluation.pk]), REMOTE_ADDR="192.0.2.8")
    client.get(reverse("quality-advisor", args=[mine.pk]))
    entry = AuditEntry.objects.get(action="quality.evaluation.read")
    assert entry.user == users["team_leader"] and entry.ip_address == "192.0.2.8"
    assert entry.data == {
        "model": "quality.evaluation",
        "id": evaluation.pk,
        "reason": "detail",
        "advisor": mine.pk,
    }
    assert AuditEntry.objects.get(action="quality.advisor.read").data["id"] == mine.pk

    client.force_login(users["advisor"])
    client.get(reverse("quality-evaluation", args=[evaluation.pk]))
    client.get(reverse("quality-advisor", args=[mine.pk]))
    assert (
        AuditEntry.objects.filter(
            action__in=["quality.evaluation.read", "quality.advisor.read"]
        ).count()
        == 2
    )
