"""Writes of the training app (SPEC §8; issue 13): requests, sessions, enrolments with the
waiting list, attendance and its corrections, certificates. Each is one transaction and one
audit entry (STYLE habit 6); refusals raise `TrainingError` with a French message."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Sequence
from decimal import Decimal

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from decroche.core.services import log_action
from decroche.organisation.models import Advisor

from . import rules
from .choices import EnrolmentStatus, Presence, SessionStatus, SignatureMethod
from .exports import convocation_text
from .models import (
    Attendance,
    Certificate,
    Enrolment,
    Programme,
    Session,
    SessionHalfDay,
    TrainingRequest,
)

# Unambiguous capitals and digits (no 0/O, 1/I): read aloud or typed from paper.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12  # 32**12 ≈ 1.2e18 codes: not guessable


class TrainingError(ValueError):
    """A training action refused; the message says why, in French."""


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


@transaction.atomic
def request_create(
    *,
    programme: Programme,
    requested_on: dt.date,
    user,
    trainees_expected: int = 0,
    note: str = "",
) -> TrainingRequest:
    """A session asked for; the training body must plan it by `rules.planning_deadline`."""
    request = TrainingRequest.objects.create(
        programme=programme,
        requested_on=requested_on,
        plan_by=rules.planning_deadline(requested_on),
        requested_by=user,
        trainees_expected=trainees_expected,
        note=note,
    )
    log_action(
        "training.request.created",
        user=user,
        data={"request": request.pk, "programme": programme.code, "plan_by": str(request.plan_by)},
    )
    return request


@transaction.atomic
def session_plan(
    *,
    programme: Programme,
    reference: str,
    half_days: Sequence[tuple[dt.date, str]] | Sequence[tuple[dt.date, str, Decimal, int]],
    user,
    planned_on: dt.date,
    capacity: int | None = None,
    place: str = "",
    virtual_room: str = "",
    trainers: Sequence = (),
    training_body: str = "",
    request: TrainingRequest | None = None,
) -> Session:
    """A dated session of `programme`: its half-days (day, "am"/"pm"[, hours, part]); the
    capacity is the programme's maximum group size unless smaller. Planning answers
    `request` when given (its deadline is then met or missed for good)."""
    if not half_days:
        raise TrainingError(_("A session has at least one half-day."))
    capacity = capacity or programme.max_group_size
    if capacity > programme.max_group_size:
        raise TrainingError(_("The capacity exceeds the programme's maximum group size."))
    session = Session.objects.create(
        programme=programme,
        reference=reference,
        place=place or programme.place,
        virtual_room=virtual_room,
        training_body=training_body,
        capacity=capacity,
    )
    for item in half_days:
        day, half = item[0], item[1]
        hours = item[2] if len(item) > 2 else Decimal("3.5")  # type: ignore[misc]
        part = item[3] if len(item) > 3 else 1  # type: ignore[misc]
        SessionHalfDay.objects.create(session=session, day=day, half=half, hours=hours, part=part)
    session.trainers.set(trainers)
    if request is not None:
        request = TrainingRequest.objects.select_for_update().get(pk=request.pk)
        if request.session_id is not None:
            raise TrainingError(_("This request already has its session."))
        request.session = session
        request.planned_on = planned_on
        request.save(update_fields=["session", "planned_on"])
    log_action(
        "training.session.planned",
        user=user,
        data={
            "session": session.reference,
            "programme": programme.code,
            "request": request.pk if request else None,
            "late": request.is_overdue(planned_on) if request else False,
        },
    )
    return session


@transaction.atomic
def session_validate(session: Session, *, user, on: dt.date) -> Session:
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status != SessionStatus.PLANNED:
        raise TrainingError(_("Only a planned session can be validated."))
    session.status = SessionStatus.VALIDATED
    session.validated_on = on
    session.save(update_fields=["status", "validated_on"])
    log_action("training.session.validated", user=user, data={"session": session.reference})
    return session


@transaction.atomic
def session_cancel(
    session: Session, *, user, on: dt.date, reason: str, by_training_body: bool
) -> Session:
    """Cancel a session. Cancelled by the training body after its validation, it enters
    the cancellation register: the contract's penalties follow (SPEC §8, seed 000)."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status in (SessionStatus.CANCELLED, SessionStatus.CANCELLED_BY_BODY):
        raise TrainingError(_("This session is already cancelled."))
    if not reason.strip():
        raise TrainingError(_("Give the reason for the cancellation."))
    if by_training_body and session.status != SessionStatus.VALIDATED:
        raise TrainingError(
            _("The register records the training body's cancellations after validation.")
        )
    session.status = (
        SessionStatus.CANCELLED_BY_BODY if by_training_body else SessionStatus.CANCELLED
    )
    session.cancelled_on = on
    session.cancellation_reason = reason.strip()
    session.save(update_fields=["status", "cancelled_on", "cancellation_reason"])
    log_action(
        "training.session.cancelled",
        user=user,
        data={"session": session.reference, "by_training_body": by_training_body},
    )
    return session


def _notify(enrolment: Enrolment, subject: str, body: str) -> None:
    """Mail the trainee and whoever enrolled them, once the transaction commits."""
    recipients = {
        address
        for address in (
            enrolment.user.email if enrolment.user else "",
            enrolment.advisor.email if enrolment.advisor else "",
            enrolment.enrolled_by.email,
        )
        if address
    }
    if recipients:
        transaction.on_commit(
            lambda: send_mail(subject, body, None, sorted(recipients), fail_silently=True)
        )


@transaction.atomic
def enrol(
    session: Session,
    *,
    by,
    advisor: Advisor | None = None,
    user=None,
    employer: str = "",
    at: dt.datetime | None = None,
) -> Enrolment:
    """A seat if one is free, else the end of the waiting list. The session row is locked
    (select_for_update) while seats are counted, so two enrolments at once never take the
    same last seat (no over-booking, issue 13 "Correctness")."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status not in (SessionStatus.PLANNED, SessionStatus.VALIDATED):
        raise TrainingError(_("Enrolments are closed: the session is held or cancelled."))
    if advisor is None and user is None:
        raise TrainingError(_("Say who is enrolled."))
    if advisor is not None and user is None:
        user = advisor.user
    if advisor is None and user is not None:
        advisor = Advisor.objects.filter(user=user).first()
    live = session.enrolments.exclude(status=EnrolmentStatus.CANCELLED)
    if (advisor and live.filter(advisor=advisor).exists()) or (
        user and live.filter(user=user).exists()
    ):
        raise TrainingError(_("This person is already enrolled in the session."))
    taken = live.filter(status=EnrolmentStatus.ENROLLED).count()
    status = EnrolmentStatus.ENROLLED if taken < session.capacity else EnrolmentStatus.WAITING
    name = f"{advisor.first_name} {advisor.last_name}" if advisor is not None else _name(user)
    enrolment = Enrolment.objects.create(
        session=session,
        advisor=advisor,
        user=user,
        trainee_name=name,
        employer=employer,
        status=status,
        requested_at=at or timezone.now(),
        enrolled_by=by,
    )
    log_action(
        "training.enrolment.created",
        user=by,
        data={"session": session.reference, "enrolment": enrolment.pk, "status": status},
    )
    return enrolment


@transaction.atomic
def enrolment_cancel(enrolment: Enrolment, *, by) -> Enrolment | None:
    """Withdraw an enrolment; a freed seat goes to the first of the waiting list, who is
    notified with the person who enrolled them. Returns the promoted enrolment, if any."""
    session = Session.objects.select_for_update().get(pk=enrolment.session_id)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status == EnrolmentStatus.CANCELLED:
        raise TrainingError(_("This enrolment is already cancelled."))
    freed = enrolment.status == EnrolmentStatus.ENROLLED
    enrolment.status = EnrolmentStatus.CANCELLED
    enrolment.save(update_fields=["status"])
    log_action(
        "training.enrolment.cancelled",
        user=by,
        data={"session": session.reference, "enrolment": enrolment.pk},
    )
    return waiting_list_promote(session, by=by) if freed else None


def waiting_list_promote(session: Session, *, by) -> Enrolment | None:
    """Give a free seat to the first of the waiting list (called with the session locked)."""
    taken = session.enrolments.filter(status=EnrolmentStatus.ENROLLED).count()
    if taken >= session.capacity:
        return None
    first = (
        session.enrolments.select_for_update()
        .filter(status=EnrolmentStatus.WAITING)
        .order_by("requested_at", "pk")
        .first()
    )
    if first is None:
        return None
    first.status = EnrolmentStatus.ENROLLED
    first.promoted_at = timezone.now()
    first.save(update_fields=["status", "promoted_at"])
    log_action(
        "training.enrolment.promoted",
        user=by,
        data={"session": session.reference, "enrolment": first.pk},
    )
    _notify(
        first,
        _("A seat is free for you in the training session %(reference)s")
        % {"reference": session.reference},
        _("%(name)s moves from the waiting list to the session %(title)s (%(reference)s).")
        % {
            "name": first.trainee_name,
            "title": session.programme.title,
            "reference": session.reference,
        },
    )
    return first


def _check_presence(presence: str, minutes_missed: int, half_day: SessionHalfDay) -> None:
    if presence not in Presence.values:
        raise TrainingError(_("Unknown presence."))
    partial = presence in (Presence.LATE, Presence.LEFT_EARLY)
    if partial and minutes_missed <= 0:
        raise TrainingError(_("Say how many minutes were missed."))
    if not partial and minutes_missed:
        raise TrainingError(_("Minutes missed only go with a late arrival or early departure."))
    if minutes_missed > half_day.hours * 60:
        raise TrainingError(_("More minutes missed than the half-day lasts."))


@transaction.atomic
def attendance_sign(
    *,
    enrolment: Enrolment,
    half_day: SessionHalfDay,
    presence: str,
    by,
    method: str,
    minutes_missed: int = 0,
    remark: str = "",
    ip_address: str | None = None,
    at: dt.datetime | None = None,
) -> Attendance:
    """Record one trainee's presence on one half-day (time-stamped, IP kept). Once recorded
    it is changed only by `attendance_correct`, which keeps the history."""
    if half_day.session_id != enrolment.session_id:
        raise TrainingError(_("This half-day is not one of the trainee's session."))
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise TrainingError(_("Only an enrolled trainee signs the attendance."))
    now = at or timezone.now()
    if method in (
        SignatureMethod.CLICK,
        SignatureMethod.CODE,
    ) and half_day.day != timezone.localdate(now):
        raise TrainingError(_("A half-day is signed on the day itself."))
    _check_presence(presence, minutes_missed, half_day)
    if Attendance.objects.filter(enrolment=enrolment, half_day=half_day, is_current=True).exists():
        raise TrainingError(_("This half-day is already signed: correct it instead."))
    attendance = Attendance.objects.create(
        enrolment=enrolment,
        half_day=half_day,
        presence=presence,
        minutes_missed=minutes_missed,
        remark=remark.strip(),
        method=method,
        signed_at=now,
        ip_address=ip_address,
        recorded_by=by,
    )
    log_action(
        "training.attendance.signed",
        user=by,
        ip_address=ip_address,
        data={"attendance": attendance.pk, "presence": presence, "method": method},
    )
    return attendance


@transaction.atomic
def attendance_correct(
    previous: Attendance, *, presence: str, by, minutes_missed: int = 0, remark: str = ""
) -> Attendance:
    """A correction: a new row that retires `previous` (kept, with who and when)."""
    previous = Attendance.objects.select_for_update().get(pk=previous.pk)
    if not previous.is_current:
        raise TrainingError(_("This line was already corrected: correct the latest one."))
    if not remark.strip():
        raise TrainingError(_("Say why the attendance is corrected."))
    _check_presence(presence, minutes_missed, previous.half_day)
    previous.is_current = False
    previous.save(update_fields=["is_current"])
    correction = Attendance.objects.create(
        enrolment=previous.enrolment,
        half_day=previous.half_day,
        presence=presence,
        minutes_missed=minutes_missed,
        remark=remark.strip(),
        method=SignatureMethod.TRAINER,
        signed_at=timezone.now(),
        recorded_by=by,
        corrects=previous,
    )
    log_action(
        "training.attendance.corrected",
        user=by,
        data={
            "attendance": correction.pk,
            "corrects": previous.pk,
            "before": previous.presence,
            "after": presence,
        },
    )
    return correction


@transaction.atomic
def half_day_trainer_sign(half_day: SessionHalfDay, *, by) -> SessionHalfDay:
    """The trainer signs the half-day's sheet (once)."""
    half_day = SessionHalfDay.objects.select_for_update().get(pk=half_day.pk)
    if half_day.trainer_signed_at is not None:
        raise TrainingError(_("The trainer already signed this half-day."))
    half_day.trainer_signed_by = by
    half_day.trainer_signed_at = timezone.now()
    half_day.save(update_fields=["trainer_signed_by", "trainer_signed_at"])
    log_action("training.half_day.trainer_signed", user=by, data={"half_day": half_day.pk})
    return half_day


def attended(enrolment: Enrolment) -> list[tuple[dt.date, Decimal]]:
    """(day, hours attended) of every half-day with a current attendance line."""
    lines = Attendance.objects.filter(enrolment=enrolment, is_current=True).select_related(
        "half_day"
    )
    return [
        (
            line.half_day.day,
            rules.half_day_hours(line.presence, line.half_day.hours, line.minutes_missed),
        )
        for line in lines
    ]


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
        if not Certificate.objects.filter(code=code).exists():
            return code


def _issue(enrolment: Enrolment, *, by, replaces: Certificate | None = None) -> Certificate:
    days = [(day, hours) for day, hours in attended(enrolment) if hours > 0]
    if not days:
        raise TrainingError(_("No half-day attended: there is nothing to certify."))
    return Certificate.objects.create(
        code=_new_code(),
        enrolment=enrolment,
        hours=sum((hours for _day, hours in days), Decimal("0")),
        first_day=min(day for day, _hours in days),
        last_day=max(day for day, _hours in days),
        issued_at=timezone.now(),
        issued_by=by,
        replaces=replaces,
    )


@transaction.atomic
def certificate_issue(enrolment: Enrolment, *, by) -> Certificate:
    """The certificate of completion of what attendance supports: the hours actually
    attended, half-days rolled up (`rules.half_day_hours`), between the first and the last
    half-day attended. One valid certificate per enrolment: re-issue to change it."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise TrainingError(_("Only an enrolled trainee receives a certificate."))
    if enrolment.certificates.filter(revoked_at__isnull=True).exists():
        raise TrainingError(_("A valid certificate exists: re-issue it to change it."))
    certificate = _issue(enrolment, by=by)
    log_action(
        "training.certificate.issued",
        user=by,
        data={"certificate": certificate.code, "hours": str(certificate.hours)},
    )
    return certificate


@transaction.atomic
def certificate_revoke(certificate: Certificate, *, by, reason: str) -> Certificate:
    """Revoked, the certificate's public page says so; nothing is deleted."""
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is not None:
        raise TrainingError(_("This certificate is already revoked."))
    if not reason.strip():
        raise TrainingError(_("Give the reason for the revocation."))
    certificate.revoked_at = timezone.now()
    certificate.revocation_reason = reason.strip()
    certificate.save(update_fields=["revoked_at", "revocation_reason"])
    log_action(
        "training.certificate.revoked",
        user=by,
        data={"certificate": certificate.code, "reason": certificate.revocation_reason},
    )
    return certificate


@transaction.atomic
def certificate_reissue(certificate: Certificate, *, by, reason: str) -> Certificate:
    """Revoke and issue anew from the attendance as it stands (after a correction)."""
    old = certificate_revoke(certificate, by=by, reason=reason)
    new = _issue(old.enrolment, by=by, replaces=old)
    log_action(
        "training.certificate.reissued",
        user=by,
        data={"certificate": new.code, "replaces": old.code, "hours": str(new.hours)},
    )
    return new


def convocations_send(session: Session, *, by) -> int:
    """Mail each enrolled trainee (and whoever enrolled them) their convocation with the
    practical details, once the transaction commits; returns how many were sent."""
    sent = 0
    for enrolment in session.enrolments.filter(status=EnrolmentStatus.ENROLLED).select_related(
        "user", "advisor", "enrolled_by"
    ):
        subject, body = convocation_text(enrolment)
        _notify(enrolment, subject, body)
        sent += 1
    log_action(
        "training.convocations.sent", user=by, data={"session": session.reference, "sent": sent}
    )
    return sent


SCAN_TYPES = {".pdf", ".png", ".jpg", ".jpeg"}
SCAN_MAX_BYTES = 10 * 1024 * 1024


@transaction.atomic
def sheet_scan_attach(half_day: SessionHalfDay, *, upload, by) -> SessionHalfDay:
    """Attach the scan of the paper sign-in sheet of a half-day (PDF or image, ≤ 10 MB);
    a new scan replaces the previous file, the audit keeps who and when."""
    extension = os.path.splitext(upload.name)[1].lower()
    if extension not in SCAN_TYPES:
        raise TrainingError(_("The scan is a PDF, PNG or JPEG file."))
    if upload.size > SCAN_MAX_BYTES:
        raise TrainingError(_("The scan is larger than 10 MB."))
    half_day.sheet_scan.save(
        f"emargement-{half_day.session.reference}-{half_day.day:%Y%m%d}-{half_day.half}{extension}",
        upload,
        save=True,
    )
    log_action("training.sheet_scan.attached", user=by, data={"half_day": half_day.pk})
    return half_day
