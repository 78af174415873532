"""The trained advisors' operational figures before and after a session, same-length
windows, from the indicator engine (issue 13 point 6)."""

from __future__ import annotations

import datetime as dt

import pytest

from decroche.contacts.factories import call_create
from decroche.training import selectors, services

from . import factories

FIRST, LAST = dt.date(2026, 2, 2), dt.date(2026, 2, 3)


@pytest.mark.django_db
def test_handling_time_before_and_after_for_the_trainees_only(world, users):
    manager = users["training_manager"]
    session = factories.session(factories.programme(), manager, days=(FIRST, LAST))
    ines, lea = world["ines"], world["lea"]
    enrolment = services.enrol(session, advisor=ines, by=manager)
    services.enrol(session, advisor=lea, by=manager)  # enrolled, never attended: not counted
    services.attendance_sign(
        enrolment=enrolment,
        half_day=session.half_days.first(),
        presence="present",
        by=manager,
        method="trainer",
    )
    after = dt.date(2026, 2, 10)
    for talk, wrap_up in ((150, 30), (150, 30)):
        call_create(
            after,
            10,
            advisor=ines,
            site=world["grenoble"],
            talk_seconds=talk,
            wrap_up_seconds=wrap_up,
        )
    call_create(after, 11, advisor=lea, site=world["lyon"], talk_seconds=600, wrap_up_seconds=60)
    rows = {row.unit + ":" + row.label: row for row in selectors.operational_before_after(session)}
    handling = next(
        row for key, row in rows.items() if key.startswith("seconds:") and "traitement" in key
    )
    # Before (3 Jan – 1 Feb, 30 days): the world's 3 calls of Inès, (240 + 60) × 3 / 3 = 300 s.
    # After (4 Feb – 5 Mar, 30 days): Inès's 2 calls, (150 + 30) × 2 / 2 = 180 s; Léa's call is not hers.
    assert (handling.before, handling.after) == (300.0, 180.0)
    quality = next(row for row in rows.values() if row.unit == "score")
    assert (quality.before, quality.after) == (None, None)  # no evaluation in either window


@pytest.mark.django_db
def test_the_session_page_shows_them(client, world, users):
    manager = users["training_manager"]
    session = factories.session(factories.programme(), manager, days=(FIRST, LAST))
    enrolment = services.enrol(session, advisor=world["ines"], by=manager)
    services.attendance_sign(
        enrolment=enrolment,
        half_day=session.half_days.first(),
        presence="present",
        by=manager,
        method="trainer",
    )
    client.force_login(users["client_auditor"])
    page = client.get(f"/formation/sessions/{session.pk}/").content.decode()
    assert "Résultats opérationnels avant et après la session" in page
    assert "5\xa0min\xa000\xa0s" in page  # the 300 s handling time before
