"""Requests and their one-month deadline, sessions, enrolments and the waiting list,
including concurrent enrolments for the last seats (issue 13 "Correctness")."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import OperationalError, close_old_connections

from decroche.core.models import AuditEntry
from decroche.organisation.models import Advisor
from decroche.training import services
from decroche.training.choices import EnrolmentStatus, SessionStatus
from decroche.training.models import Enrolment

from . import factories


def advisors(site, count):
    return [
        Advisor.objects.create(
            login=f"T{i:03d}",
            first_name="Stagiaire",
            last_name=f"N{i}",
            site=site,
            joined_on=dt.date(2026, 1, 5),
        )
        for i in range(count)
    ]


@pytest.mark.django_db
def test_request_deadline_and_overdue(users):
    manager = users["training_manager"]
    programme = factories.programme()
    request = services.request_create(
        programme=programme, requested_on=dt.date(2026, 4, 1), user=manager
    )
    # 1 April + 1 month = 1 May, a holiday: the body plans by Monday 4 May.
    assert request.plan_by == dt.date(2026, 5, 4)
    assert not request.is_overdue(dt.date(2026, 5, 4))
    assert request.is_overdue(dt.date(2026, 5, 5))
    factories.session(
        programme,
        manager,
        days=(dt.date(2026, 6, 1),),
        planned_on=dt.date(2026, 5, 6),
        request=request,
    )
    request.refresh_from_db()
    # Planned on 6 May, after the 4 May deadline: overdue for good.
    assert request.is_overdue(dt.date(2026, 5, 6))
    assert request.session is not None


@pytest.mark.django_db
def test_waiting_list_promoted_in_order(users, site):
    manager = users["training_manager"]
    session = factories.session(factories.programme(max_group_size=2), manager)
    first, second, third, fourth = advisors(site, 4)
    a = services.enrol(session, advisor=first, by=manager)
    b = services.enrol(session, advisor=second, by=manager)
    c = services.enrol(session, advisor=third, by=manager)
    d = services.enrol(session, advisor=fourth, by=manager)
    assert [e.status for e in (a, b, c, d)] == ["enrolled", "enrolled", "waiting", "waiting"]
    with pytest.raises(services.TrainingError, match="déjà inscrite"):
        services.enrol(session, advisor=first, by=manager)
    # A waiting trainee leaving frees no seat.
    assert services.enrolment_cancel(d, by=manager) is None
    promoted = services.enrolment_cancel(a, by=manager)
    assert promoted == c
    c.refresh_from_db()
    assert c.status == EnrolmentStatus.ENROLLED and c.promoted_at is not None
    assert AuditEntry.objects.filter(action="training.enrolment.promoted").count() == 1
    assert session.enrolments.filter(status="enrolled").count() == 2


@pytest.mark.django_db
def test_capacity_bounded_by_the_programme(users):
    manager = users["training_manager"]
    programme = factories.programme()  # 10 by default (SPEC §8)
    assert programme.max_group_size == 10
    with pytest.raises(services.TrainingError, match="taille maximale"):
        factories.session(programme, manager, capacity=12)


@pytest.mark.django_db
def test_cancellation_by_the_training_body_after_validation(users):
    manager = users["training_manager"]
    session = factories.session(factories.programme(), manager)
    with pytest.raises(services.TrainingError, match="après validation"):
        services.session_cancel(
            session, user=manager, on=dt.date(2026, 10, 1), reason="x", by_training_body=True
        )
    services.session_validate(session, user=manager, on=dt.date(2026, 10, 1))
    services.session_cancel(
        session,
        user=manager,
        on=dt.date(2026, 10, 20),
        reason="Formateur malade",
        by_training_body=True,
    )
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED_BY_BODY
    assert session.cancelled_on == dt.date(2026, 10, 20)


@pytest.mark.django_db(transaction=True)
def test_concurrent_enrolments_never_overbook(users, site):
    """Eight enrolments at once for three seats: three seats taken, five waiting. On
    PostgreSQL the session row lock serialises them; SQLite allows one writer at a time
    (IMMEDIATE transactions), and a writer refused by a locked table retries."""
    manager = users["training_manager"]
    session = factories.session(factories.programme(max_group_size=3), manager)
    people = advisors(site, 8)
    barrier = threading.Barrier(len(people))
    errors = []

    def enrol(advisor):
        try:
            barrier.wait()
            for _attempt in range(50):
                try:
                    services.enrol(session, advisor=advisor, by=manager)
                    return
                except OperationalError:  # SQLite: "database table is locked"
                    threading.Event().wait(0.02)
            errors.append(advisor.login)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=enrol, args=(a,)) for a in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    statuses = list(Enrolment.objects.filter(session=session).values_list("status", flat=True))
    assert sorted(statuses) == ["enrolled"] * 3 + ["waiting"] * 5
