"""Which jobs a person may see (issue 12 point 8): their own, or all with `view_any_job`."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Job


def jobs_visible_to(user) -> QuerySet[Job]:
    jobs = Job.objects.defer("result")
    if user.has_perm("jobs.view_any_job"):
        return jobs
    return jobs.filter(requested_by=user)


def job_state(job: Job) -> dict:
    """What the progress page polls (etat.json)."""
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "progress": job.progress,
        "message": job.message,
        "error": job.error,
        "finished": job.finished,
        "download": bool(job.filename) and job.status == Job.Status.DONE,
        "result_url": job.result_url,
    }
