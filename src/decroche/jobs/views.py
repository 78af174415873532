"""Pages of background jobs (issue 12 point 8): the list of one's jobs, a job's progress
bar (polled as JSON by static/decroche/job-progress.js), its file when done."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from decroche.core.downloads import file_response
from decroche.core.services import log_action

from .models import Job
from .selectors import job_state, jobs_visible_to


def _may_run_jobs(request: HttpRequest) -> None:
    # Jobs are started from pages that need a role: a person without one has none to see.
    if not request.user.get_all_permissions():
        raise PermissionDenied


def _job(request: HttpRequest, job_id: int) -> Job:
    _may_run_jobs(request)
    return get_object_or_404(jobs_visible_to(request.user), pk=job_id)


def job_list(request: HttpRequest) -> HttpResponse:
    _may_run_jobs(request)
    page = Paginator(jobs_visible_to(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "jobs/list.html", {"title": _("Background jobs"), "page_obj": page})


def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)
    return render(request, "jobs/detail.html", {"title": job.title, "job": job})


def job_state_json(request: HttpRequest, job_id: int) -> JsonResponse:
    return JsonResponse({"job": job_state(_job(request, job_id))})


def job_download(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)
    if job.status != Job.Status.DONE or not job.filename:
        raise Http404
    content = Job.objects.values_list("result", flat=True).get(pk=job.pk)
    log_action("jobs.job.downloaded", user=request.user, data={"job": job.pk, "kind": job.kind})
    return file_response(bytes(content), job.filename, job.content_type)
