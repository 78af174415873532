"""Support after the event (issue 14 §3, §6): debriefs kept apart from anything clinical,
referrals with the agent's consent, managerial rituals with their schedule, work
adjustments and the return plan, long stretches on difficult calls; "not allowed" for
every new view."""

import datetime as dt

import pytest
from django.urls import reverse

from decroche.contacts.factories import call_create
from decroche.core.models import AuditEntry
from decroche.organisation.models import ContactReason
from decroche.wellbeing import rules, selectors, services
from decroche.wellbeing.crypto import EncryptedTextField
from decroche.wellbeing.models import CheckIn, Debrief, Referral, RitualSession, TeamRitual

from .conftest import debriefs_make

# --- pure rules ---


def test_weekly_ritual_dates_skip_a_public_holiday():
    # From Wednesday 20 May 2026, every Monday: 25 May is Whit Monday (a public holiday),
    # skipped, so 1, 8 and 15 June.
    assert rules.ritual_dates(
        frequency="weekly", weekday=0, week_of_month=None, after=dt.date(2026, 5, 20)
    ) == [dt.date(2026, 6, 1), dt.date(2026, 6, 8), dt.date(2026, 6, 15)]
    # A ritual on the day itself counts: Monday 12 January 2026.
    assert rules.ritual_dates(
        frequency="weekly", weekday=0, week_of_month=None, after=dt.date(2026, 1, 12), count=1
    ) == [dt.date(2026, 1, 12)]


def test_monthly_ritual_dates_on_the_nth_weekday():
    # First Tuesday of the month after 10 January 2026: 1 February is a Sunday → Tuesday 3;
    # 1 March a Sunday → Tuesday 3; 1 April a Wednesday → Tuesday 7.
    assert rules.ritual_dates(
        frequency="monthly", weekday=1, week_of_month=1, after=dt.date(2026, 1, 10)
    ) == [dt.date(2026, 2, 3), dt.date(2026, 3, 3), dt.date(2026, 4, 7)]
    # Third Thursday: January 2026 starts on a Thursday → 1, 8, 15 January.
    assert rules.ritual_dates(
        frequency="monthly", weekday=3, week_of_month=3, after=dt.date(2026, 1, 1), count=1
    ) == [dt.date(2026, 1, 15)]


def test_long_stretches_count_runs_of_five_once_per_run_and_reset_each_day():
    day, next_day = dt.date(2026, 1, 12), dt.date(2026, 1, 13)
    calls = (
        [(1, day, True)] * 12  # one run of 12: counts once
        + [(1, day, False)]
        + [(1, day, True)] * 5  # a second run of exactly 5
        + [(1, next_day, True)] * 4  # 4 the next day: too short
        + [(2, day, True)] * 3
        + [(2, day, False)]
        + [(2, day, True)] * 3  # 3 + 3 broken by an easy call: none
    )
    assert rules.long_stretches(calls) == {1: 2}


def test_a_difficult_call_is_a_flagged_reason_or_a_long_talk():
    assert rules.is_difficult_call(7, 60, {7}) is True
    assert rules.is_difficult_call(8, 60, {7}) is False
    assert rules.is_difficult_call(None, 900, set()) is True  # 15 minutes exactly
    assert rules.is_difficult_call(None, 899, set()) is False


# --- signs of load ---


def test_long_stretches_per_team_and_what_the_agent_sees(users, report, incident_world):
    reason = ContactReason.objects.get(code="opposition-closure")
    report.reason = reason
    report.save(update_fields=["reason"])  # the reason is now flagged difficult
    day = dt.date(2026, 1, 13)
    ines = incident_world["ines"]
    # Inès, Tuesday 13 January: 6 calls on the difficult reason from 09:00 (one stretch),
    # then 1 easy call, then 4 calls of 20 minutes (too short a run).
    for minute in range(6):
        call_create(day, 9, minute, advisor=ines, site=ines.site, reason=reason, talk_seconds=60)
    call_create(day, 10, 0, advisor=ines, site=ines.site, talk_seconds=60)
    for minute in range(4):
        call_create(day, 11, minute, advisor=ines, site=ines.site, talk_seconds=1200)
    (sign,) = selectors.load_signs(users["team_leader"], dt.date(2026, 1, 20))
    assert sign["long_stretches"] == 1 and sign["stretched_agents"] == 1
    own = selectors.own_load_signs(users["advisor"], dt.date(2026, 1, 20))
    assert own == {"team": ines.team, "events": 1, "repeated": False, "long_stretches": 1}


def test_the_own_file_shows_what_the_manager_sees(client, users, report):
    client.force_login(users["advisor"])
    page = client.get(reverse("incident-mine")).content.decode()
    assert "Ce que votre responsable voit de vous" in page


# --- debriefs ---


def test_debriefs_hold_no_health_field():
    names = [field.name for field in Debrief._meta.get_fields()]
    assert not any("health" in name for name in names)
    assert not any(isinstance(field, EncryptedTextField) for field in Debrief._meta.fields)


def test_an_individual_debrief_names_one_agent_and_the_others_none(users, report):
    with pytest.raises(Exception, match="individual"):
        services.record_debrief(
            user=users["team_leader"], report=report, kind="individual", held_on=dt.date.today()
        )
    with pytest.raises(Exception, match="individual"):
        services.record_debrief(
            user=users["team_leader"],
            report=report,
            kind="collective",
            victim=report.victims.get(),
            held_on=dt.date.today(),
        )


def test_the_leader_of_another_team_sees_no_debrief_and_no_referral(users, report, incident_world):
    debriefs_make(report, users)
    other = incident_world["other_leader"]
    assert not selectors.debriefs_visible_to(other, report).exists()
    assert selectors.may_see_referrals(other, report.victims.get()) is False


def test_the_manager_records_a_feedback_session_in_the_browser(client, users, report):
    client.force_login(users["team_leader"])
    url = reverse("incident-debrief", args=[report.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "kind": "feedback_session",
            "held_on": "2026-01-19",
            "participants": "9",
            "what_happened": "Appel menaçant",
            "what_protected": "Le relais immédiat",
            "what_to_change": "Bouton d'alerte",
        },
    )
    assert response.status_code == 302
    debrief = Debrief.objects.get()
    assert debrief.participants == 9 and debrief.led_by == users["team_leader"]
    page = client.get(reverse("incident-detail", args=[report.pk])).content.decode()
    assert "Bouton d" in page and "Séance de retour d’expérience" in page
    entry = AuditEntry.objects.get(action="wellbeing.debrief.recorded")
    assert "Bouton" not in str(entry.data)


# --- referrals ---


def test_a_referral_with_consent_is_recorded_and_shown_to_the_referent(client, users, report):
    victim = report.victims.get()
    client.force_login(users["team_leader"])
    response = client.post(
        reverse("incident-referral", args=[victim.pk]),
        {"to": "occupational_health", "consent": "1", "consent_on": "2026-01-14"},
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.consent is True and referral.consent_on == dt.date(2026, 1, 14)
    assert referral.recorded_by == users["team_leader"]
    client.force_login(users["occupational_health"])
    page = client.get(reverse("incident-detail", args=[report.pk])).content.decode()
    assert "Service de santé au travail" in page and users["team_leader"].username in page
    client.post(
        reverse("incident-referral", args=[victim.pk]),
        {"to": "psychologist", "consent": "0", "consent_on": "2026-01-15"},
    )
    assert Referral.objects.filter(consent=False, to="psychologist").count() == 1


# --- check-ins: work adjustments and return plan ---


def test_the_check_in_records_work_adjustments_and_the_return_plan(client, users, report):
    days_1_3 = CheckIn.objects.get(victim__report=report, kind="days_1_3")
    day_30 = CheckIn.objects.get(victim__report=report, kind="day_30")
    client.force_login(users["team_leader"])
    client.post(
        reverse("incident-check-in", args=[days_1_3.pk]),
        {"adjustments": ["no_solo_front_desk", "pair_work"], "return_plan": "ignored here"},
    )
    client.post(
        reverse("incident-check-in", args=[day_30.pk]),
        {"signs": ["sleep"], "return_plan": "Binôme deux semaines, puis retour à l'accueil"},
    )
    days_1_3.refresh_from_db()
    day_30.refresh_from_db()
    assert days_1_3.adjustments == ["no_solo_front_desk", "pair_work"]
    assert days_1_3.return_plan == ""  # the plan belongs to day 30
    assert day_30.return_plan.startswith("Binôme") and day_30.signs == ["sleep"]
    page = client.get(reverse("incident-detail", args=[report.pk])).content.decode()
    assert "Pas d’accueil seul" in page and "Travail en binôme" in page


def test_each_check_in_asks_its_own_questions():
    from decroche.wellbeing.forms import CheckInForm

    assert list(CheckInForm(kind="day_0").fields) == []
    assert list(CheckInForm(kind="days_1_3").fields) == ["adjustments"]
    assert "signs" in CheckInForm(kind="day_7").fields
    assert {"signs", "return_plan"} <= set(CheckInForm(kind="day_30").fields)


# --- rituals ---


def test_the_manager_schedules_a_ritual_and_records_it_held(client, users, incident_world):
    team = incident_world["g1"]
    client.force_login(users["team_leader"])
    response = client.post(
        reverse("incident-ritual-set", args=[team.pk]),
        {
            "kind": "experience_sharing",
            "frequency": "monthly",
            "weekday": "1",
            "week_of_month": "1",
            "starts_at": "14:00",
            "duration_minutes": "45",
        },
    )
    assert response.status_code == 302
    ritual = TeamRitual.objects.get(team=team)
    assert ritual.week_of_month == 1 and ritual.duration_minutes == 45
    response = client.post(
        reverse("incident-ritual-held", args=[ritual.pk]),
        {"held_on": "2026-02-03", "participants": "7", "notes": "Gestion des rappels"},
    )
    assert RitualSession.objects.get(ritual=ritual).participants == 7
    (entry,) = selectors.rituals_of(users["team_leader"], dt.date(2026, 1, 10))
    assert entry["rituals"][0]["next_dates"] == [
        dt.date(2026, 2, 3),
        dt.date(2026, 3, 3),
        dt.date(2026, 4, 7),
    ]
    page = client.get(reverse("incident-toolbox")).content.decode()
    assert "Temps de partage d’expérience" in page and "03/02/2026" in page


def test_a_monthly_ritual_needs_its_week(client, users, incident_world):
    client.force_login(users["team_leader"])
    response = client.post(
        reverse("incident-ritual-set", args=[incident_world["g1"].pk]),
        {"kind": "team_check_in", "frequency": "monthly", "weekday": "0", "starts_at": "09:00"},
    )
    assert response.status_code == 200 and not TeamRitual.objects.exists()


# --- "not allowed" for every new view ---


@pytest.fixture
def support_urls(report, incident_world, users):
    ritual = services.ritual_set(
        user=users["team_leader"],
        team=incident_world["g1"],
        kind="team_check_in",
        frequency="weekly",
        weekday=0,
        starts_at=dt.time(9, 0),
    )
    return [
        reverse("incident-debrief", args=[report.pk]),
        reverse("incident-referral", args=[report.victims.get().pk]),
        reverse("incident-ritual-set", args=[incident_world["g1"].pk]),
        reverse("incident-ritual-held", args=[ritual.pk]),
    ]


def test_new_views_refuse_anonymous_wrong_roles_and_other_teams(
    client, users, incident_world, support_urls
):
    for url in support_urls:
        assert client.get(url).status_code == 302  # anonymous: to the sign-in page
        assert client.post(url).status_code == 302
    refused = [
        users["workforce_planner"],
        users["client_auditor"],
        users["staff_representative"],
        users["site_manager"],
        users["advisor"],
        incident_world["other_leader"],
    ]
    for user in refused:
        client.force_login(user)
        for url in support_urls:
            assert client.get(url).status_code == 403, (user.username, url)
            assert client.post(url).status_code == 403, (user.username, url)
    client.force_login(users["team_leader"])
    for url in support_urls:
        assert client.get(url).status_code == 200
    assert not Debrief.objects.exists() and not Referral.objects.exists()


def test_the_prevention_officer_debriefs_but_records_no_referral(client, users, support_urls):
    client.force_login(users["prevention_officer"])
    debrief, referral, ritual_set, ritual_held = support_urls
    assert client.get(debrief).status_code == 200
    for url in (referral, ritual_set, ritual_held):
        assert client.get(url).status_code == 403


def test_retention_erases_debrief_texts_and_return_plans(users, report, incident_world):
    individual, collective = debriefs_make(report, users)
    ritual = services.ritual_set(
        user=users["team_leader"],
        team=incident_world["g1"],
        kind="team_check_in",
        frequency="weekly",
        weekday=0,
        starts_at=dt.time(9, 0),
    )
    old = services.ritual_held(
        user=users["team_leader"], ritual=ritual, held_on=dt.date(2026, 1, 12), notes="Rappels"
    )
    recent = services.ritual_held(
        user=users["team_leader"], ritual=ritual, held_on=dt.date(2027, 6, 7), notes="Charge"
    )
    CheckIn.objects.filter(victim__report=report).update(return_plan="Retour progressif")
    services.apply_retention(now=dt.datetime(2032, 1, 1, tzinfo=dt.UTC))
    collective.refresh_from_db()
    assert collective.what_protected == "" and collective.participants == 8
    assert not CheckIn.objects.exclude(return_plan="").exists()
    # 1 January 2032 − 1,826 days (5 × 365 + 5 // 4) = 1 January 2027: older sessions erased.
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.notes == "" and recent.notes == "Charge"


def test_the_referent_page_lists_only_consented_referrals(client, users, report):
    victim = report.victims.get()
    leader = users["team_leader"]
    services.record_referral(user=leader, victim=victim, to="psychologist", consent=True)
    services.record_referral(user=leader, victim=victim, to="support_unit", consent=False)
    client.force_login(users["occupational_health"])
    page = client.get(reverse("incident-health")).content.decode()
    assert "Psychologue" in page and "Cellule de soutien" not in page


def test_the_toolbox_holds_the_warning_letter_and_the_team_page_the_next_rituals(
    client, users, incident_world
):
    services.ritual_set(
        user=users["team_leader"],
        team=incident_world["g1"],
        kind="team_check_in",
        frequency="weekly",
        weekday=0,
        starts_at=dt.time(9, 30),
    )
    client.force_login(users["team_leader"])
    page = client.get(reverse("incident-toolbox")).content.decode()
    assert "Courrier de mise en garde" in page and "Madame, Monsieur" in page
    assert "Débriefing collectif" in page and "personne n’est obligé de parler" in page
    page = client.get(reverse("incident-team")).content.decode()
    assert "Prochains rituels" in page and "Point d’équipe" in page and "09:30" in page


def test_a_debrief_or_a_session_in_the_future_is_refused(client, users, report, support_urls):
    client.force_login(users["team_leader"])
    debrief, _referral, _ritual_set, ritual_held = support_urls
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    response = client.post(debrief, {"kind": "collective", "held_on": future, "participants": 3})
    assert response.status_code == 200 and "dans le futur" in response.content.decode()
    response = client.post(ritual_held, {"held_on": future, "participants": 3})
    assert response.status_code == 200
    assert not Debrief.objects.exists() and not RitualSession.objects.exists()
