"""The demo incident register (issue 14): a few dozen events with follow-ups and check-ins."""

import datetime as dt

import pytest

from decroche.synthetic.incidents import EVENTS, demo_incidents_ensure
from decroche.wellbeing.models import (
    CheckIn,
    Debrief,
    FollowUp,
    IncidentReport,
    Referral,
    RitualSession,
    TeamRitual,
)


@pytest.fixture(autouse=True)
def _key_file(settings, tmp_path):
    settings.FIELD_ENCRYPTION_KEYS = []
    settings.FIELD_ENCRYPTION_KEY_FILE = tmp_path / "field.key"


def test_demo_incidents_across_sites_then_left_alone(world):
    assert demo_incidents_ensure(dt.date(2026, 3, 4)) == EVENTS
    assert IncidentReport.objects.values("site").distinct().count() == 2
    assert FollowUp.objects.filter(done_on__isnull=False).exists()
    assert FollowUp.objects.filter(done_on__isnull=True).exists()
    assert CheckIn.objects.filter(done_on__isnull=False).exists()
    assert demo_incidents_ensure(dt.date(2026, 3, 4)) == 0


def test_demo_support_records_and_rituals(world):
    demo_incidents_ensure(dt.date(2026, 3, 4))
    assert Debrief.objects.filter(kind="individual").exists()
    assert Debrief.objects.filter(kind="feedback_session").exists()
    assert CheckIn.objects.exclude(adjustments=[]).exists()
    assert Referral.objects.filter(consent=True).exists()
    assert not Debrief.objects.filter(held_on__gt=dt.date(2026, 3, 4)).exists()
    # Team g1 is the only led team of the world: its two rituals, sessions before today.
    assert TeamRitual.objects.filter(team=world["g1"]).count() == 2
    assert RitualSession.objects.exists()
    assert not RitualSession.objects.filter(held_on__gte=dt.date(2026, 3, 4)).exists()
    assert IncidentReport.objects.filter(reason__isnull=False).exists()
