"""Starting, advancing and ending background jobs (issue 12 point 8). The work itself is a
registered runner (registry.py); a failure is recorded on the job, never lost."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks import task

from decroche.core.services import log_action

from .models import Job
from .registry import runner_for

logger = logging.getLogger(__name__)


def job_start(kind: str, user, /, *, title: str, **params) -> Job:
    """Record a job and enqueue its task; with the immediate backend (tests) the job has
    run when this returns. `params` must be JSON values: the worker receives them."""
    runner_for(kind)  # an unknown kind fails here, in the request, not in the worker
    job = Job.objects.create(kind=kind, title=str(title), requested_by=user, params=params)
    log_action("jobs.job.started", user=user, data={"job": job.pk, "kind": kind})
    # The database backend stores the task in the application's database: the worker
    # finds the job recorded before its task.
    result = run_job.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_result_id=str(result.id))
    job.refresh_from_db()
    return job


def job_progress(job: Job, percent: int, message: str = "") -> None:
    """Where the work is, 0–100, with a short message for the progress page."""
    job.progress = max(0, min(100, int(percent)))
    job.message = str(message)[:300]
    Job.objects.filter(pk=job.pk).update(progress=job.progress, message=job.message)


def job_finish(
    job: Job,
    content: bytes | None = None,
    filename: str = "",
    content_type: str = "application/octet-stream",
    *,
    result_url: str = "",
) -> None:
    """The job is done: its file (kept for download) or the page that shows its result."""
    job.status = Job.Status.DONE
    job.progress = 100
    job.message = ""
    job.result = content
    job.filename = filename
    job.content_type = content_type if content is not None else ""
    job.result_url = result_url
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "status",
            "progress",
            "message",
            "result",
            "filename",
            "content_type",
            "result_url",
            "finished_at",
        ]
    )


def job_fail(job: Job, error: str) -> None:
    """The job failed; `error` is shown to its owner (no traceback)."""
    job.status = Job.Status.FAILED
    job.error = str(error)
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])


def jobs_fail_interrupted() -> int:
    """Fail the jobs left running by a worker that was stopped or killed (run when no worker
    runs, e.g. before starting it): their owner sees why and asks again. Queued jobs stay:
    the next worker runs them. Returns how many were failed."""
    interrupted = list(Job.objects.filter(status=Job.Status.RUNNING).defer("result"))
    for job in interrupted:
        job_fail(job, gettext("The background worker stopped during this job: ask for it again."))
        log_action("jobs.job.interrupted", data={"job": job.pk, "kind": job.kind})
    return len(interrupted)


def jobs_purge(*, days: int) -> int:
    """Delete the finished jobs, their files with them, created more than `days` ago."""
    cutoff = timezone.now() - dt.timedelta(days=days)
    old = Job.objects.filter(status__in=[Job.Status.DONE, Job.Status.FAILED], created_at__lt=cutoff)
    count, _by_model = old.delete()
    if count:
        log_action("jobs.job.purged", data={"count": count, "days": days})
    return count


def job_run(job_id: int) -> str:
    """Run a queued job by its runner; a job already finished is not run again (a task
    retried after the worker died must not produce a second file)."""
    job = Job.objects.get(pk=job_id)
    if job.finished:
        return job.status
    job.status = Job.Status.RUNNING
    job.started_at = timezone.now()
    job.save(update_fields=["status", "started_at"])
    try:
        runner_for(job.kind)(job, **job.params)
    except (ValueError, ValidationError) as error:  # the work refused: a reason for the user
        logger.warning("Job %s (%s) refused: %s", job.pk, job.kind, error)
        messages = getattr(error, "messages", None) or [str(error) or type(error).__name__]
        job_fail(job, " ".join(str(m) for m in messages))
    except Exception:  # a fault: the details go to the log, not to the page
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        job_fail(job, gettext("The job failed; the administrators have the details in the log."))
    else:
        if not job.finished:
            job_fail(job, gettext("The job ended without a result."))
    return job.status


@task()
def run_job(job_id: int) -> str:
    """The one django-tasks task: run job `job_id` in the worker (inline in tests)."""
    return job_run(job_id)
