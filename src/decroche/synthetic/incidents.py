"""Demo incident register (issue 14): a few dozen events across the sites over the last
three months, with their follow-ups partly done and the check-ins held up to today.

Everything goes through `wellbeing.services` (health notes encrypted, actions audited).
Safe to run again: once the register holds events, it is left alone.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model

from decroche.core.calendar import PARIS, paris_today
from decroche.organisation.models import Advisor
from decroche.wellbeing import services
from decroche.wellbeing.models import IncidentReport

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


def demo_incidents_ensure(today: dt.date | None = None) -> int:
    """Create the demo events; returns how many were created (0 when already there)."""
    if IncidentReport.objects.exists():
        return 0
    today = today or paris_today()
    rng = random.Random(SEED)
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
        )
        created += 1
        for follow_up in report.follow_ups.all():
            if follow_up.due_on < today and rng.random() < 0.8:
                services.complete_follow_up(
                    user=author, follow_up=follow_up, done_on=follow_up.due_on
                )
        for check_in in report.victims.get().check_ins.all():
            if check_in.due_on < today and rng.random() < 0.85:
                signs = rng.sample(["sleep", "avoidance", "irritability"], rng.randint(0, 2))
                services.record_check_in(
                    user=author, check_in=check_in, signs=signs, done_on=check_in.due_on
                )
    return created
