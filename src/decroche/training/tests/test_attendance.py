"""Attendance per half-day: signed by a click (time-stamped, IP kept), corrections kept as
history, the trainer's signature (issue 13 point 3)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from decroche.training import services
from decroche.training.models import Attendance

from . import factories

SIGNED_AT = timezone.make_aware(dt.datetime(2026, 11, 2, 9, 5))


@pytest.fixture
def enrolment(users, advisor):
    manager = users["training_manager"]
    session = factories.session(factories.programme(), manager)
    return services.enrol(session, advisor=advisor, user=users["advisor"], by=manager)


@pytest.mark.django_db
def test_sign_by_click_then_correct_keeps_history(enrolment, users):
    trainee, trainer = users["advisor"], users["trainer"]
    morning = enrolment.session.half_days.get(day=dt.date(2026, 11, 2), half="am")
    signed = services.attendance_sign(
        enrolment=enrolment,
        half_day=morning,
        presence="present",
        by=trainee,
        method="click",
        ip_address="192.0.2.10",
        at=SIGNED_AT,
    )
    assert signed.signed_at == SIGNED_AT and signed.ip_address == "192.0.2.10"
    with pytest.raises(services.TrainingError, match="déjà signée"):
        services.attendance_sign(
            enrolment=enrolment,
            half_day=morning,
            presence="present",
            by=trainee,
            method="click",
            at=SIGNED_AT,
        )
    with pytest.raises(services.TrainingError, match="pourquoi"):
        services.attendance_correct(signed, presence="late", minutes_missed=20, by=trainer)
    corrected = services.attendance_correct(
        signed, presence="late", minutes_missed=20, remark="Arrivée 9 h 20", by=trainer
    )
    rows = Attendance.objects.filter(enrolment=enrolment, half_day=morning).order_by("pk")
    assert [(r.presence, r.is_current) for r in rows] == [("present", False), ("late", True)]
    assert corrected.corrects == signed
    with pytest.raises(services.TrainingError, match="plus récente"):
        services.attendance_correct(signed, presence="absent", remark="x", by=trainer)


@pytest.mark.django_db
def test_no_signing_ahead_nor_partial_without_minutes(enrolment, users):
    afternoon = enrolment.session.half_days.get(day=dt.date(2026, 11, 3), half="pm")
    with pytest.raises(services.TrainingError, match="jour même"):
        services.attendance_sign(
            enrolment=enrolment,
            half_day=afternoon,
            presence="present",
            by=users["advisor"],
            method="click",
            at=SIGNED_AT,
        )
    with pytest.raises(services.TrainingError, match="minutes manquées"):
        services.attendance_sign(
            enrolment=enrolment,
            half_day=afternoon,
            presence="left_early",
            by=users["trainer"],
            method="trainer",
            at=SIGNED_AT,
        )


@pytest.mark.django_db
def test_trainer_signs_once(enrolment, users):
    morning = enrolment.session.half_days.first()
    services.half_day_trainer_sign(morning, by=users["trainer"])
    with pytest.raises(services.TrainingError, match="déjà signé"):
        services.half_day_trainer_sign(morning, by=users["trainer"])


def test_room_code_rotates_every_five_minutes():
    from decroche.training import rules

    secret = b"s"
    code = rules.room_code(secret, 7, 1_000_200.0)  # slot 3334 (1,000,200 // 300)
    assert len(code) == 6 and code.isdigit()
    assert rules.room_code_matches(secret, 7, 1_000_200.0 + 299, code)  # next slot: grace
    assert not rules.room_code_matches(secret, 7, 1_000_200.0 + 600, code)  # two slots on
    assert not rules.room_code_matches(secret, 8, 1_000_200.0, code)  # another half-day


@pytest.mark.django_db
def test_sign_with_the_room_code(client, enrolment, users, settings):
    import time

    import time_machine
    from django.urls import reverse

    from decroche.training import rules

    enrolment.user = users["advisor"]
    enrolment.save()
    morning = enrolment.session.half_days.get(day=dt.date(2026, 11, 2), half="am")
    client.force_login(users["advisor"])
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, 10, tzinfo=dt.UTC), tick=False):
        secret = f"training-room-code:{settings.SECRET_KEY}".encode()
        client.post(reverse("training-my-sign", args=[morning.pk]), {"code": "000000"})
        assert not Attendance.objects.filter(half_day=morning).exists()
        code = rules.room_code(secret, morning.pk, time.time())
        client.post(reverse("training-my-sign", args=[morning.pk]), {"code": code})
    assert Attendance.objects.get(half_day=morning).method == "code"
