"""The life of an `ImportBatch` beyond its rows (issue 17): who runs it, whether it is
still alive, what is derived from it, and how an interrupted one is resumed or discarded.

A batch is `running` while its runner beats (`heartbeat_at`, at every committed batch of
rows and before every post-step). A running batch whose process is gone (same host, the
pid no longer exists) or whose heartbeat is older than `HEARTBEAT_STALE` (another host,
a lost task) is `interrupted` (`import_batches_reap`). Its rows stay as committed; the
user either re-imports the same file (the new batch takes its rows over and completes
what was derived from them: nothing is doubled, natural keys skip what was written) or
discards it (`import_batch_discard`: its rows are deleted, audited).
"""

from __future__ import annotations

import datetime as dt
import os
import socket

from django.db import models, transaction
from django.utils import timezone

from decroche.core.services import log_action

from ..choices import ImportStatus
from ..models import Call, ImportBatch
from ..repeats import repeat_delays_refresh
from ..signals import contacts_imported

# A runner beats at least once per committed batch of rows and before each post-step;
# the slowest post-step (a summary refresh of years of data) stays well under this.
HEARTBEAT_STALE = dt.timedelta(minutes=15)
UNFINISHED = (ImportStatus.FAILED, ImportStatus.INTERRUPTED)


class BatchNotDiscardable(Exception):
    """The batch is not an unfinished import whose rows may be deleted."""


def runner_identity() -> dict:
    """What identifies the process running an import, stored on its batch."""
    return {
        "runner_host": socket.gethostname()[:255],
        "runner_pid": os.getpid(),
        "heartbeat_at": timezone.now(),
    }


def batch_beat(batch_id: int, **counts) -> None:
    """One sign of life of a running import (with its counts so far, when given)."""
    ImportBatch.objects.filter(pk=batch_id).update(heartbeat_at=timezone.now(), **counts)


def _process_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, under another user
        return False
    return False


def batch_is_alive(batch: ImportBatch, *, now: dt.datetime | None = None) -> bool:
    """Whether a running batch still has a process behind it."""
    now = now or timezone.now()
    last_sign = batch.heartbeat_at or batch.started_at
    if last_sign is not None and now - last_sign > HEARTBEAT_STALE:
        return False
    if batch.runner_pid and batch.runner_host == socket.gethostname()[:255]:
        return not _process_gone(batch.runner_pid)
    return True


def import_batches_reap() -> list[int]:
    """Mark `interrupted` every running batch whose process is gone; their ids. Each is
    claimed with one conditional update (two readers never both report it) and audited."""
    now = timezone.now()
    reaped = []
    for batch in ImportBatch.objects.filter(status=ImportStatus.RUNNING):
        if batch_is_alive(batch, now=now):
            continue
        reason = (
            f"interrupted: runner {batch.runner_host or '?'} pid {batch.runner_pid or '?'} "
            f"stopped after {batch.rows} rows (last sign of life "
            f"{(batch.heartbeat_at or batch.started_at):%Y-%m-%d %H:%M:%S} UTC); re-import "
            "the same file to resume, or discard it"
        )
        claimed = ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.RUNNING).update(
            status=ImportStatus.INTERRUPTED, finished_at=now, error=reason
        )
        if claimed:
            reaped.append(batch.pk)
            log_action("contacts.import.interrupted", data=_written(batch))
    return reaped


def _record_models() -> list[type[models.Model]]:
    """The record tables whose rows name the import that wrote them."""
    # Their foreign keys have no reverse accessor (related_name="+"): hidden relations.
    return [
        relation.related_model
        for relation in ImportBatch._meta.get_fields(include_hidden=True)
        if relation.one_to_many
        and relation.related_model is not ImportBatch
        and relation.field.name == "import_batch"
    ]


def _written(batch: ImportBatch) -> dict:
    data = {
        "batch_id": batch.pk,
        "kind": batch.kind,
        "file": batch.file_name,
        "sha256": batch.file_sha256,
        "rows": batch.rows,
        "accepted": batch.accepted,
        "rejected": batch.rejected,
        "duplicates": batch.duplicates,
    }
    for model in _record_models():
        count = model.objects.filter(import_batch_id=batch.pk).count()
        if count:
            data[f"stored_{model._meta.model_name}"] = count
    return data


def earlier_attempts_take_over(batch: ImportBatch) -> list[int]:
    """A re-import of a file whose earlier import failed or was interrupted takes over
    the rows it wrote, so that what is derived from them (repeat delays, summary days) is
    completed with this batch; the earlier batches point at this one. Their ids."""
    earlier = list(
        ImportBatch.objects.filter(
            kind=batch.kind,
            file_sha256=batch.file_sha256,
            status__in=UNFINISHED,
            discarded_at__isnull=True,
            resumed_by__isnull=True,
        )
        .exclude(pk=batch.pk)
        .exclude(file_sha256="")
        .values_list("pk", flat=True)
    )
    if not earlier:
        return []
    with transaction.atomic():
        for model in _record_models():
            for old in earlier:
                model.objects.filter(import_batch_id=old).update(import_batch_id=batch.pk)
        ImportBatch.objects.filter(pk__in=earlier).update(resumed_by=batch.pk)
    return earlier


def derived_data_complete(batch: ImportBatch) -> None:
    """Everything derived from the batch's rows, before it may be called completed: the
    repeat delays of its callers (SPEC §4 FCR), then the listeners of `contacts_imported`
    (the indicators' summary of the touched days). An error here fails the batch."""
    batch_beat(batch.pk)
    repeat_days: set[dt.date] = set()
    if batch.kind in {"calls", "queue-log"}:
        repeat_delays_refresh(batch_id=batch.pk, changed_days=repeat_days)
    batch_beat(batch.pk)
    contacts_imported.send(sender=ImportBatch, batch_id=batch.pk, changed_days={Call: repeat_days})


def import_batch_discard(*, batch: ImportBatch, user=None) -> dict:
    """Delete what an interrupted or failed import wrote (audited), then bring what is
    derived from those rows up to date. {model name: rows deleted}."""
    import_batches_reap()
    batch.refresh_from_db()
    if batch.status not in UNFINISHED:
        raise BatchNotDiscardable(
            f"import #{batch.pk} is {batch.status}: only an interrupted or failed import "
            "can be discarded"
        )
    if batch.discarded_at is not None or batch.resumed_by_id is not None:
        raise BatchNotDiscardable(
            f"import #{batch.pk} was already "
            + ("discarded" if batch.discarded_at else f"resumed by import #{batch.resumed_by_id}")
        )
    data = _written(batch)
    deleted: dict[str, int] = {}
    days: dict[type, set[dt.date]] = {}
    with transaction.atomic():
        callers = set(
            Call.objects.filter(import_batch_id=batch.pk)
            .exclude(caller_hash="")
            .values_list("caller_hash", flat=True)
            .distinct()
        )
        for model in _record_models():
            rows = model.objects.filter(import_batch_id=batch.pk)
            day_columns = [
                column
                for column, (_instant, kind) in getattr(model, "LOCAL_DERIVED", {}).items()
                if kind == "day"
            ]
            for column in day_columns:
                days.setdefault(model, set()).update(
                    day for day in rows.values_list(column, flat=True).distinct() if day is not None
                )
            count, _by_model = rows.delete()
            if count:
                deleted[model._meta.model_name] = count
        repeat_delays_refresh(caller_hashes=callers, changed_days=days.setdefault(Call, set()))
        ImportBatch.objects.filter(pk=batch.pk).update(discarded_at=timezone.now())
    # The summary listener recomputes the given days from what the tables now hold.
    contacts_imported.send(sender=ImportBatch, batch_id=batch.pk, changed_days=days)
    log_action("contacts.import.discarded", user=user, data={**data, "deleted": deleted})
    return deleted
