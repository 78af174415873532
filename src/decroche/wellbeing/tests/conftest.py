"""Fixtures of the incident register: the two-site world, the advisor A1001 signed in as
`users["advisor"]`, a leader of the other team, and one report with health notes."""

from __future__ import annotations

import datetime as dt

import pytest

from decroche.core.calendar import PARIS
from decroche.wellbeing import services

EVENT_AT = dt.datetime(2026, 1, 12, 10, 15, tzinfo=PARIS)  # Monday 12 January 2026
HEALTH_NOTE = "Crise d’angoisse, suivi par le médecin"
VICTIM_NOTE = "Troubles du sommeil depuis l’appel"


@pytest.fixture(autouse=True)
def _key_file(settings, tmp_path):
    settings.FIELD_ENCRYPTION_KEYS = []
    settings.FIELD_ENCRYPTION_KEY_FILE = tmp_path / "field.key"


@pytest.fixture
def incident_world(world, users, make_user):
    world["ines"].user = users["advisor"]
    world["ines"].save()
    other_leader = make_user("team_leader", username="autre.chef")
    world["l1"].leader = other_leader
    world["l1"].save()
    world["other_leader"] = other_leader
    return world


@pytest.fixture
def report(incident_world, users):
    return services.report_incident(
        user=users["advisor"],
        occurred_at=EVENT_AT,
        site=incident_world["grenoble"],
        place="phone",
        description="L'usager a crié « vous êtes des incapables ».",
        types=["verbal", "threat"],
        severity=3,
        victims=[
            {
                "advisor": incident_world["ines"],
                "statement": "Il m'a menacée.",
                "health_note": VICTIM_NOTE,
            }
        ],
        health_note=HEALTH_NOTE,
    )


def debriefs_make(report, users):
    """An individual debrief about the victim, and the team's feedback session."""
    victim = report.victims.get()
    leader = users["team_leader"]
    individual = services.record_debrief(
        user=leader,
        report=report,
        kind="individual",
        victim=victim,
        held_on=dt.date(2026, 1, 13),
        what_happened="Menaces au téléphone",
    )
    collective = services.record_debrief(
        user=leader,
        report=report,
        kind="feedback_session",
        held_on=dt.date(2026, 1, 20),
        participants=8,
        what_protected="Le binôme a repris l'appel",
        what_to_change="Script de fin d'appel",
    )
    return individual, collective
