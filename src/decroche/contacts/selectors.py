"""Reads of the contacts app, restricted to the user's scope (STYLE habit 5; SPEC §9)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from decroche.organisation.selectors import scope_filter, user_scope

from .choices import ImportStatus
from .models import AdvisorState, Call, ContactForm, ImportBatch

# Who may download any import's rejects (issue 17.12): the security officer (and the
# administrator); anyone else only the rejects of the imports they ran.
DOWNLOAD_ANY_REJECTS = "contacts.download_any_rejects"


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
    """Every import, newest first (the `decroche imports` command, run by the operator;
    pages use `import_batches_visible_to`)."""
    return ImportBatch.objects.select_related("user").order_by("-started_at", "-id")


def import_batches_visible_to(user) -> QuerySet[ImportBatch]:
    """Imports of the user's scope, newest first, scoped like the figures (issue 17.15):
    someone who sees every site sees every import; anyone else the imports they ran and
    those that brought records of their scope (a visible site, or a visible advisor)."""
    batches = import_batches()
    scope = user_scope(user)
    if scope.everything:
        return batches
    if scope.is_empty:
        return batches.filter(user_id=user.pk) if user.is_authenticated else batches.none()
    in_scope = scope_filter(scope)
    brought = (
        Exists(Call.objects.filter(in_scope, import_batch=OuterRef("pk")))
        | Exists(ContactForm.objects.filter(in_scope, import_batch=OuterRef("pk")))
        | Exists(
            AdvisorState.objects.filter(
                advisor_id__in=scope.advisor_ids, import_batch=OuterRef("pk")
            )
        )
    )
    return batches.filter(Q(user_id=user.pk) | brought)


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
    """Rejected rows are source lines (masked, but still about people): only the person
    who ran the import, or the security officer, may download them (issue 17.12; SPEC §9)."""
    if user.has_perm(DOWNLOAD_ANY_REJECTS):
        return True
    return user.has_perm("contacts.import_contacts") and batch.user_id == user.pk


def _start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
