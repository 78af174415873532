"""Contact imports uploaded on the web as background jobs (issue 12 point 8): a large file
is imported by the worker, not in the request. Same `contacts_import` as `decroche import`
(which stays synchronous); the upload is kept privately until the job ends."""

from __future__ import annotations

import contextlib
import os
import pathlib
import uuid

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _

from decroche.core.tabular.errors import ImportFileError
from decroche.core.tabular.rejects import DIRECTORY_MODE, FILE_MODE
from decroche.jobs.models import Job
from decroche.jobs.registry import register
from decroche.jobs.services import job_finish, job_progress

from . import services

IMPORT = "contacts.import"


def uploads_directory() -> pathlib.Path:
    return pathlib.Path(settings.MEDIA_ROOT) / "uploads"


def upload_store(upload: UploadedFile | None) -> str | None:
    """Write an upload to a private file under MEDIA_ROOT/uploads (mode 600 in a directory
    of mode 700, like the rejects files, issue 17.12); its path, for the worker."""
    if upload is None:
        return None
    directory = uploads_directory()
    directory.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
    os.chmod(directory, DIRECTORY_MODE)
    suffix = pathlib.Path(upload.name).suffix.lower()[:10]
    path = directory / f"{uuid.uuid4().hex}{suffix}"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(descriptor, "wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return str(path)


def upload_delete(path: str | None) -> None:
    if path:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def uploads_leftover_delete() -> int:
    """Delete the stored uploads of import jobs that ended without their clean-up (the
    worker killed; `decroche jobs --fail-interrupted` failed them): run as each import
    starts. Only files inside the uploads directory; returns how many were deleted."""
    directory = uploads_directory().resolve()
    ended = Job.objects.filter(kind=IMPORT, status__in=[Job.Status.DONE, Job.Status.FAILED])
    count = 0
    for params in ended.values_list("params", flat=True):
        for key in ("path", "mapping_path"):
            name = params.get(key) if isinstance(params, dict) else None
            if name and pathlib.Path(name).resolve().parent == directory:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(name)
                    count += 1
    return count


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", "\u202f")  # 12 345, as French writes it


@register(IMPORT)
def import_job(
    job, *, kind: str, path: str, file_name: str, mapping_path: str | None = None
) -> None:
    """Import the stored upload (issue 2); progress is lines read of the file's lines. A
    refused file fails the job with the import's message (file, line, field, reason).
    The stored upload and mapping are deleted when the job ends, whatever the outcome."""

    def progress(read: int, expected: int) -> None:
        percent = min(99, 100 * read // expected) if expected else 0
        job_progress(
            job,
            percent,
            _("%(read)s lines read of about %(expected)s")
            % {"read": _thousands(read), "expected": _thousands(expected)},
        )

    uploads_leftover_delete()
    try:
        job_progress(job, 0, _("Reading the file…"))
        try:
            summary = services.contacts_import(
                kind=kind,
                path=pathlib.Path(path),
                mapping_path=pathlib.Path(mapping_path) if mapping_path else None,
                user=job.requested_by,
                file_name=file_name,
                on_progress=progress,
            )
        except ImportFileError as error:
            raise ValueError(str(error)) from error
    finally:
        upload_delete(path)
        upload_delete(mapping_path)
    job_finish(job, result_url=reverse("import-detail", args=[summary.batch_id]))
