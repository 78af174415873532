"""Reads of the contacts app, restricted to the user's scope (STYLE habit 5; SPEC §9)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from decroche.organisation.selectors import VIEW_ALL_SITES, scope_filter, user_scope

from .choices import ImportStatus
from .models import Call, ImportBatch


def calls_visible_to(
    user,
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    site=None,
    reason=None,
    outcome: str = "",
) -> QuerySet[Call]:
    """Calls of the user's scope, newest first. Dates are days in Paris time, both included."""
    calls = Call.objects.filter(scope_filter(user_scope(user)))
    if date_from:
        calls = calls.filter(arrived_at__gte=_start_of_day(date_from))
    if date_to:
        calls = calls.filter(arrived_at__lt=_start_of_day(date_to + dt.timedelta(days=1)))
    if site is not None:
        calls = calls.filter(site=site)
    if reason is not None:
        calls = calls.filter(reason=reason)
    if outcome:
        calls = calls.filter(outcome=outcome)
    return calls.select_related("site", "advisor", "reason").order_by("-arrived_at", "-id")


def import_batches() -> QuerySet[ImportBatch]:
    """Every import, newest first: counts and file names carry no personal data."""
    return ImportBatch.objects.select_related("user").order_by("-started_at", "-id")


def import_batch_latest_of(user) -> ImportBatch | None:
    """The user's most recent import (the one the upload page waits for)."""
    return ImportBatch.objects.filter(user=user).order_by("-started_at", "-id").first()


def import_batch_progress(batch: ImportBatch) -> dict:
    """What a progress bar shows: rows read so far of the rows expected (an estimate from
    the file's lines, so capped at 99 % until the batch is finished)."""
    finished = batch.status != ImportStatus.RUNNING
    expected = batch.rows_expected or 0
    if finished:
        percent = 100
    elif expected:
        percent = min(99, int(100 * batch.rows / expected))
    else:
        percent = 0
    return {
        "id": batch.pk,
        "status": batch.status,
        "rows": batch.rows,
        "rows_expected": batch.rows_expected,
        "accepted": batch.accepted,
        "rejected": batch.rejected,
        "duplicates": batch.duplicates,
        "percent": percent,
        "finished": finished,
    }


def may_download_rejects(user, batch: ImportBatch) -> bool:
    """Rejected rows are raw source lines (they may hold personal data): only the person
    who ran the import, or someone who sees every site, may download them (SPEC §9)."""
    if not user.has_perm("contacts.import_contacts"):
        return False
    return batch.user_id == user.pk or user.has_perm(VIEW_ALL_SITES)


def _start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
