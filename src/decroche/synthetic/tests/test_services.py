"""Storing the synthetic traffic: idempotence, natural keys, stored values (SPEC §3, §9)."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import numpy as np
import pytest
from django.conf import settings
from django.core.management import call_command

from decroche.contacts.localtime import local_day, local_half_hour
from decroche.contacts.models import AdvisorState, Call, ContactForm, FrontDeskVisit
from decroche.core.pseudonymise import pseudonymise
from decroche.organisation.models import Advisor, Site
from decroche.synthetic import roster
from decroche.synthetic.records import caller_hashes
from decroche.synthetic.services import traffic_generate

pytestmark = pytest.mark.django_db(transaction=True)
MONDAY, WEDNESDAY = dt.date(2026, 1, 12), dt.date(2026, 1, 14)


def test_second_run_adds_nothing_and_another_seed_adds_its_own():
    first = traffic_generate(start=MONDAY, end=WEDNESDAY, seed=1, scale=0.05)
    calls = Call.objects.count()
    assert calls == first.generated["call"] == first.inserted["call"] > 500
    assert AdvisorState.objects.count() == first.inserted["advisorstate"] > 0
    assert ContactForm.objects.count() == first.inserted["contactform"] > 0
    again = traffic_generate(start=MONDAY, end=WEDNESDAY, seed=1, scale=0.05)
    assert sum(again.inserted.values()) == 0
    assert Call.objects.count() == calls
    other = traffic_generate(start=MONDAY, end=MONDAY, seed=2, scale=0.05)
    assert other.inserted["call"] == other.generated["call"] > 0
    assert (
        Call.objects.filter(source_system="generator", source_id__startswith="s2x0.05-").count()
        == other.inserted["call"]
    )


def test_reference_data_and_roster_created_once():
    traffic_generate(start=MONDAY, end=MONDAY, seed=1, scale=0.02)
    traffic_generate(start=MONDAY, end=MONDAY, seed=1, scale=0.02)
    assert Advisor.objects.count() == len(roster.advisors())
    assert Site.objects.count() == 3
    assert Advisor.objects.exclude(left_on=None).exists()


def test_stored_values_match_the_local_day_rules_and_pseudonymisation():
    traffic_generate(start=MONDAY, end=MONDAY, seed=1, scale=0.05)
    for call in Call.objects.order_by("id")[:300]:
        assert call.day == local_day(call.arrived_at) == MONDAY
        assert call.half_hour == local_half_hour(call.arrived_at)
        if call.is_answered:
            assert call.answered_at == call.arrived_at + dt.timedelta(seconds=call.wait_seconds)
            assert call.advisor.site_id == call.site_id
    for form in ContactForm.objects.exclude(answered_at=None)[:100]:
        assert form.answered_day == local_day(form.answered_at)
    assert FrontDeskVisit.objects.filter(site__code="cpam-grenoble").exists()
    assert caller_hashes(np.array([612345678]))[0] == pseudonymise(
        "06 12 34 56 78", key=settings.PSEUDONYMISATION_KEY
    )


def test_generate_command_prints_a_json_summary():
    out = StringIO()
    call_command(
        "generate",
        "--from",
        "2026-01-12",
        "--to",
        "2026-01-12",
        "--scale",
        "0.02",
        "--json",
        stdout=out,
    )
    summary = json.loads(out.getvalue())
    assert summary["inserted"]["call"] == Call.objects.count() > 0
    assert summary["seed"] == 1 and summary["scale"] == 0.02


def test_some_callers_call_again_about_the_same_reason():
    from decroche.contacts.repeats import repeat_delays_refresh

    traffic_generate(start=MONDAY, end=dt.date(2026, 1, 16), seed=1, scale=0.1)
    repeat_delays_refresh()
    delays = list(
        Call.objects.exclude(days_to_repeat=None).values_list("days_to_repeat", flat=True)
    )
    answered = Call.objects.filter(outcome="answered").count()
    assert 0 in delays and any(delay > 0 for delay in delays)
    assert 0.01 < len(delays) / answered < 0.25
