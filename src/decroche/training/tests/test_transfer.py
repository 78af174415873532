"""Self-assessment and action plan, and the transfer evaluation three months after a
session by the trainee and their manager, with one reminder (issue 13 point 5)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from decroche.organisation.models import Advisor
from decroche.training import followup, rules, selectors, services
from decroche.training.models import ActionPlan, TransferEvaluation

from . import factories


def test_due_three_calendar_months_later_or_on_the_feedback_day():
    assert rules.transfer_due_on(dt.date(2026, 11, 30)) == dt.date(2027, 2, 28)  # clipped
    feedback = dt.date(2027, 3, 8)
    assert rules.transfer_due_on(dt.date(2026, 11, 30), feedback) == feedback


@pytest.mark.django_db
def test_a_session_with_a_feedback_day_is_closed_after_its_main_part(users, advisor):
    """Seed 001: 2 days, then the feedback day three months later (part 2)."""
    manager = users["training_manager"]
    session = services.session_plan(
        programme=factories.programme("co-construction", "21"),
        reference="CCI",
        half_days=[
            (dt.date(2026, 11, 2), "am", Decimal("3.5"), 1),
            (dt.date(2026, 11, 3), "pm", Decimal("3.5"), 1),
            (dt.date(2027, 2, 8), "am", Decimal("3.5"), 2),
        ],
        user=manager,
        planned_on=dt.date(2026, 10, 1),
    )
    enrolment = services.enrol(session, advisor=advisor, by=manager)
    services.attendance_sign(
        enrolment=enrolment,
        half_day=session.half_days.first(),
        presence="present",
        by=manager,
        method="trainer",
    )
    assert followup.session_close(session, by=manager) == 2  # the main part is over
    assert {e.due_on for e in TransferEvaluation.objects.all()} == {dt.date(2027, 2, 8)}


@pytest.fixture
def closed(world, users):
    """Inès (team g1, led by the team leader; with the advisor's account) attended; Léa
    was enrolled and absent: only Inès gets transfer evaluations, due 3 Feb 2027."""
    manager = users["training_manager"]
    ines, lea = world["ines"], world["lea"]
    ines.user = users["advisor"]
    ines.email = "ines@example.org"
    ines.save()
    session = factories.session(factories.programme(), manager)  # 2–3 November 2026
    attended = services.enrol(session, advisor=ines, by=manager)
    absent = services.enrol(session, advisor=lea, by=manager)
    for half_day in session.half_days.all():
        for enrolment, presence in ((attended, "present"), (absent, "absent")):
            services.attendance_sign(
                enrolment=enrolment,
                half_day=half_day,
                presence=presence,
                by=manager,
                method="trainer",
            )
    assert followup.session_close(session, by=manager) == 2
    return attended


@pytest.mark.django_db
def test_transfer_answered_by_trainee_and_manager_and_reminded_once(
    client, users, closed, mailoutbox
):
    evaluations = {e.respondent: e for e in TransferEvaluation.objects.all()}
    assert set(evaluations) == {"trainee", "manager"}
    assert {e.due_on for e in evaluations.values()} == {dt.date(2027, 2, 3)}
    assert followup.transfer_reminders_send(today=dt.date(2027, 2, 2)) == 0
    assert followup.transfer_reminders_send(today=dt.date(2027, 2, 3)) == 2
    assert followup.transfer_reminders_send(today=dt.date(2027, 2, 4)) == 0  # once
    assert {tuple(m.to) for m in mailoutbox} == {
        ("camille.advisor@example.org",),  # her account's address first
        ("camille.teamleader@example.org",),
    }
    manager_url = reverse("training-transfer", args=[evaluations["manager"].pk])
    trainee_url = reverse("training-transfer", args=[evaluations["trainee"].pk])
    client.force_login(users["advisor"])
    assert client.get(manager_url).status_code == 403  # the manager's, not hers
    client.post(trainee_url, {"applied": "4", "comment": "Je reformule davantage"})
    client.force_login(users["team_leader"])
    assert client.get(trainee_url).status_code == 403
    page = client.get(reverse("training-team")).content.decode()
    assert "Inès Martin" in page and "à renseigner avant le 03/02/2027" in page
    client.post(manager_url, {"applied": "3"})
    answered = {e.respondent: e.applied for e in TransferEvaluation.objects.all()}
    assert answered == {"trainee": 4, "manager": 3}
    evaluation = selectors.session_evaluation(closed.session)
    assert evaluation.transfer == {"trainee": (4.0, 1), "manager": (3.0, 1)}


@pytest.mark.django_db
def test_action_plan_and_not_allowed(client, users, closed):
    url = reverse("training-my-plan", args=[closed.pk])
    assert client.get(url).status_code == 302
    for role in ("trainer", "client_auditor", "quality_analyst"):
        client.force_login(users[role])
        assert client.get(url).status_code == 403
        assert client.get(reverse("training-team")).status_code in (200, 403)
    client.force_login(users["team_leader"])
    assert client.get(url).status_code == 404  # not her enrolment
    client.force_login(users["advisor"])
    client.post(url, {"self_assessment": "À l'aise à l'écrit", "actions": "Reformuler"})
    assert ActionPlan.objects.get(enrolment=closed).actions == "Reformuler"


@pytest.mark.django_db
def test_team_page_only_for_managers(client, users):
    assert client.get(reverse("training-team")).status_code == 302
    for role in ("advisor", "trainer", "client_auditor"):
        client.force_login(users[role])
        assert client.get(reverse("training-team")).status_code == 403
    client.force_login(users["team_leader"])
    assert client.get(reverse("training-team")).status_code == 200


@pytest.mark.django_db
def test_session_close_refused_before_its_end(users, site):
    manager = users["training_manager"]
    future = factories.session(
        factories.programme(), manager, days=(dt.date(2030, 1, 7),), reference="LATER"
    )
    Advisor.objects.create(
        login="Z1", first_name="Z", last_name="Z", site=site, joined_on=dt.date(2026, 1, 5)
    )
    with pytest.raises(services.TrainingError, match="après sa dernière demi-journée"):
        followup.session_close(future, by=manager)


@pytest.mark.django_db
def test_reminders_command(closed, mailoutbox):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("training_reminders", "--day", "2027-02-03", stdout=out)
    assert out.getvalue().strip() == "2 transfer evaluations reminded."
    call_command("training_reminders", "--day", "2027-02-04", stdout=out)
    assert len(mailoutbox) == 2  # once each
