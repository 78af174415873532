"""Demo incident register (issue 14): a few dozen events across the sites over the last
three months, with their follow-ups partly done and the check-ins held up to today; the
work adjustments, the return plans, debriefs and feedback sessions of the serious events,
referrals with the agent's answer, and each led team's managerial rituals with the
sessions held.

Everything goes through `wellbeing.services` (health notes encrypted, actions audited).
Safe to run again: once the register holds events, it is left alone.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model

from decroche.core.calendar import PARIS, add_working_days, paris_today
from decroche.organisation.models import Advisor, ContactReason, Team
from decroche.wellbeing import rules, services
from decroche.wellbeing.models import IncidentReport, TeamRitual

SEED = 14
EVENTS = 40
# (types, severity, place, words) of typical events, weighted by how often they occur.
PATTERNS = [
    (["incivility"], 1, "phone", "L’usager a raccroché en criant « vous ne servez à rien »."),
    (["verbal"], 2, "phone", "Insultes répétées : « incapable », « je vais vous faire virer »."),
    (["verbal", "threat"], 3, "front_desk_walk_in", "« Je vous attends à la sortie »."),
    (["discriminatory"], 3, "email_chat", "Propos racistes dans le tchat."),
    (["psychological"], 2, "phone", "Rappels incessants, ton méprisant dès le début."),
    (["physical", "property"], 4, "front_desk_walk_in", "Chaise renversée, agent bousculé."),
    (["suicidal_intent"], 4, "phone", "L’usager dit « de toute façon je vais en finir »."),
    (["sexual"], 3, "phone", "Remarques à caractère sexuel répétées."),
]
WEIGHTS = [10, 12, 5, 3, 5, 2, 1, 2]
# Reasons the phone events are about: they become the "difficult" reasons of the signs of
# load (issue 14 §6).
DIFFICULT_REASONS = ("opposition-closure", "identification-failed", "incident-account")
ADJUSTMENTS = ["no_solo_front_desk", "pair_work", "back_office", "breaks"]
REFERRALS = ["occupational_health", "support_unit", "psychologist"]
# (kind, frequency, weekday, week of the month, time, minutes) of each led team's rituals.
RITUALS = (
    ("team_check_in", "weekly", 0, None, dt.time(9, 0), 10),
    ("experience_sharing", "monthly", 3, 1, dt.time(14, 0), 45),
)


def demo_incidents_ensure(today: dt.date | None = None) -> int:
    """Create the demo events; returns how many were created (0 when already there)."""
    today = today or paris_today()
    demo_rituals_ensure(today)
    if IncidentReport.objects.exists():
        return 0
    rng = random.Random(SEED)
    support_rng = random.Random(SEED + 1)  # the support part: the events stay the same
    reasons = list(ContactReason.objects.filter(code__in=DIFFICULT_REASONS))
    advisors = list(Advisor.objects.filter(team__isnull=False).select_related("site", "team"))
    if not advisors:
        return 0
    author = get_user_model().objects.filter(groups__name="team_leader").first()
    created = 0
    for _index in range(EVENTS):
        types, severity, place, words = rng.choices(PATTERNS, weights=WEIGHTS)[0]
        victim = rng.choice(advisors)
        day = today - dt.timedelta(days=rng.randint(0, 90))
        if day.weekday() >= 5:
            day -= dt.timedelta(days=day.weekday() - 4)
        moment = dt.datetime.combine(day, dt.time(rng.randint(8, 16), rng.choice((0, 20, 40))))
        report = services.report_incident(
            user=author,
            occurred_at=moment.replace(tzinfo=PARIS),
            site=victim.site,
            place=place,
            description=words,
            types=types,
            severity=severity,
            victims=[
                {
                    "advisor": victim,
                    "statement": "J’ai gardé mon calme et passé le relais.",
                    "health_note": "Choc émotionnel signalé" if severity >= 3 else "",
                }
            ],
            immediate_actions=["taken_over", "not_alone"] if severity >= 3 else [],
            consequences=["sick_leave"] if severity == 4 else [],
            health_note="Orientation vers le médecin du travail" if severity == 4 else "",
            reason=support_rng.choice(reasons) if reasons and place == "phone" else None,
        )
        created += 1
        for follow_up in report.follow_ups.all():
            if follow_up.due_on < today and rng.random() < 0.8:
                services.complete_follow_up(
                    user=author, follow_up=follow_up, done_on=follow_up.due_on
                )
        victim = report.victims.get()
        for check_in in victim.check_ins.all():
            if check_in.due_on < today and rng.random() < 0.85:
                signs = rng.sample(["sleep", "avoidance", "irritability"], rng.randint(0, 2))
                serious = severity >= 3
                services.record_check_in(
                    user=author,
                    check_in=check_in,
                    signs=signs,
                    done_on=check_in.due_on,
                    adjustments=(
                        support_rng.sample(ADJUSTMENTS, 2)
                        if serious and check_in.kind == "days_1_3"
                        else []
                    ),
                    return_plan=(
                        "Deux semaines en binôme, puis retour à l’accueil seul si l’agent le souhaite."
                        if severity == 4 and check_in.kind == "day_30"
                        else ""
                    ),
                )
                if check_in.referral_proposed:
                    services.record_referral(
                        user=author,
                        victim=victim,
                        check_in=check_in,
                        to=support_rng.choice(REFERRALS),
                        consent=support_rng.random() < 0.75,
                        consent_on=check_in.due_on,
                    )
        _demo_debriefs(report, victim, author, today, support_rng)
    return created


def _demo_debriefs(report, victim, author, today: dt.date, rng: random.Random) -> None:
    """Serious events: the individual debrief within 3 days, the team's feedback session
    within 10 working days, when those days are past."""
    if report.severity < 3:
        return
    event_day = report.occurred_at.astimezone(PARIS).date()
    individual_on = rules.working_day_on_or_after(event_day + dt.timedelta(days=1))
    if individual_on <= today:
        services.record_debrief(
            user=author,
            report=report,
            kind="individual",
            victim=victim,
            held_on=individual_on,
            what_happened="Retour sur l’appel, au rythme de l’agent.",
            what_to_change="Passer le relais plus tôt quand le ton monte.",
        )
    session_on = add_working_days(individual_on, 9)
    if session_on <= today:
        services.record_debrief(
            user=author,
            report=report,
            kind="feedback_session",
            held_on=session_on,
            participants=rng.randint(6, 12),
            what_happened="Un usager a menacé un collègue ; le relais a été pris.",
            what_protected="Le binôme et l’appel au responsable en moins d’une minute.",
            what_to_change="Bouton d’alerte sur le poste ; phrase de fin d’appel commune.",
        )


def demo_rituals_ensure(today: dt.date) -> int:
    """Each led team's short check-in (every Monday) and experience-sharing time (first
    Thursday of the month), with the sessions of the last eight weeks mostly held."""
    if TeamRitual.objects.exists():
        return 0
    rng = random.Random(SEED + 2)
    created = 0
    for team in Team.objects.filter(leader__isnull=False, is_active=True).select_related("leader"):
        for kind, frequency, weekday, week, starts_at, minutes in RITUALS:
            ritual = services.ritual_set(
                user=team.leader,
                team=team,
                kind=kind,
                frequency=frequency,
                weekday=weekday,
                week_of_month=week,
                starts_at=starts_at,
                duration_minutes=minutes,
            )
            created += 1
            past = rules.ritual_dates(
                frequency=frequency,
                weekday=weekday,
                week_of_month=week,
                after=today - dt.timedelta(weeks=8),
                count=9 if frequency == "weekly" else 2,
            )
            for day in past:
                if day < today and rng.random() < 0.9:
                    services.ritual_held(
                        user=team.leader,
                        ritual=ritual,
                        held_on=day,
                        participants=rng.randint(5, 12),
                    )
    return created
