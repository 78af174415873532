"""Writes and reads of committee meetings and their minutes (SPEC §6): record a committee,
send its minutes, record an amendment before the 48-working-hour silence deadline."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from decroche.core.services import log_action

from . import committees
from .models import CommitteeMeeting


def meeting_state(meeting: CommitteeMeeting, *, now: dt.datetime | None = None) -> str:
    return committees.minutes_state(
        sent_at=meeting.minutes_sent_at,
        amended_at=meeting.amended_at,
        now=now or timezone.now(),
    )


@transaction.atomic
def meeting_record(
    *, kind: str, held_on: dt.date, minutes: str = "", user=None
) -> CommitteeMeeting:
    """Create the committee of `kind` on `held_on`, or update its draft minutes."""
    meeting, _created = CommitteeMeeting.objects.get_or_create(
        kind=kind, held_on=held_on, defaults={"created_by": user}
    )
    if minutes:
        if meeting.minutes_sent_at is not None:
            raise ValidationError(_("The minutes were sent: record an amendment instead."))
        meeting.minutes = minutes
        meeting.save(update_fields=["minutes"])
    log_action(
        "contract.committee.recorded",
        user=user,
        data={"meeting": meeting.pk, "kind": kind, "held_on": held_on.isoformat()},
    )
    return meeting


@transaction.atomic
def minutes_send(*, meeting: CommitteeMeeting, sent_at: dt.datetime, user=None) -> CommitteeMeeting:
    """Send the minutes; they are validated by silence 48 working hours later."""
    meeting = CommitteeMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.minutes_sent_at is not None:
        raise ValidationError(_("These minutes were already sent."))
    if not meeting.minutes.strip():
        raise ValidationError(_("Write the minutes before sending them."))
    meeting.minutes_sent_at = sent_at
    meeting.save(update_fields=["minutes_sent_at"])
    log_action(
        "contract.committee.minutes_sent",
        user=user,
        data={
            "meeting": meeting.pk,
            "sent_at": sent_at.isoformat(),
            "silence_deadline": committees.silence_deadline(sent_at).isoformat(),
        },
    )
    return meeting


@transaction.atomic
def minutes_amend(
    *, meeting: CommitteeMeeting, amendment: str, amended_at: dt.datetime, user=None
) -> CommitteeMeeting:
    """A remark on sent minutes, accepted only before the silence deadline."""
    meeting = CommitteeMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.minutes_sent_at is None:
        raise ValidationError(_("The minutes have not been sent yet."))
    if amended_at > committees.silence_deadline(meeting.minutes_sent_at):
        raise ValidationError(_("The minutes were already validated by silence."))
    if meeting.amended_at is not None:
        raise ValidationError(_("These minutes were already amended."))
    meeting.amendment, meeting.amended_at = amendment, amended_at
    meeting.save(update_fields=["amendment", "amended_at"])
    log_action(
        "contract.committee.minutes_amended",
        user=user,
        data={"meeting": meeting.pk, "amended_at": amended_at.isoformat()},
    )
    return meeting
