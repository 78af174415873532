"""Web import of contact exports (issue 2: upload, summary, rejected rows), import
history and the calls list. Thin views: one selector or service each (STYLE habit 3)."""

from __future__ import annotations

import pathlib

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from decroche.core.downloads import CSV, file_response
from decroche.core.services import log_action
from decroche.jobs.services import job_start
from decroche.organisation.selectors import sites_visible_to

from . import selectors, services
from .forms import CallFilterForm, ImportUploadForm
from .jobs import IMPORT, upload_delete, upload_store
from .rejections import import_results


@permission_required("contacts.import_contacts", raise_exception=True)
def import_upload(request: HttpRequest) -> HttpResponse:
    """The upload is stored privately and imported by a background job (issue 12 point 8):
    the request returns at once, to the job's page (progress, then the import summary)."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        path = upload_store(upload)
        mapping_path = upload_store(form.cleaned_data.get("mapping"))
        try:
            job = job_start(
                IMPORT,
                request.user,
                title=_("Import of %(file)s") % {"file": upload.name[:150]},
                kind=form.cleaned_data["kind"],
                path=path,
                mapping_path=mapping_path,
                file_name=upload.name,
            )
        except BaseException:
            upload_delete(path)
            upload_delete(mapping_path)
            raise
        return redirect("job-detail", job_id=job.pk)
    return render(
        request, "contacts/import_upload.html", {"title": _("Import contacts"), "form": form}
    )


@permission_required("contacts.view_importbatch", raise_exception=True)
def import_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    """The summary of one import: rows read, accepted, rejected, duplicates skipped."""
    services.import_batches_reap()
    batch = get_object_or_404(selectors.import_batches_visible_to(request.user), pk=batch_id)
    context = {
        "title": _("Import summary"),
        "batch": batch,
        "results": import_results(batch),
        "may_download_rejects": bool(batch.rejects_path)
        and selectors.may_download_rejects(request.user, batch),
    }
    return render(request, "contacts/import_detail.html", context)


@permission_required("contacts.import_contacts", raise_exception=True)
def import_progress_mine(request: HttpRequest) -> JsonResponse:
    """The progress of the user's own latest import, polled by the upload page while its
    upload is being imported (issue 17); {"batch": null} before the batch exists."""
    batch = selectors.import_batch_latest_of(request.user)
    return JsonResponse({"batch": selectors.import_batch_progress(batch) if batch else None})


@permission_required("contacts.view_importbatch", raise_exception=True)
def import_progress(request: HttpRequest, batch_id: int) -> JsonResponse:
    """The progress of one import (rows read so far of the rows expected), as JSON."""
    batch = get_object_or_404(selectors.import_batches_visible_to(request.user), pk=batch_id)
    return JsonResponse({"batch": selectors.import_batch_progress(batch)})


@login_required
def import_rejects(request: HttpRequest, batch_id: int) -> HttpResponse:
    """The batch's own rejects CSV, for its importer or the security officer, audited
    (issue 17.12): the path comes from the batch, never from the request."""
    batch = get_object_or_404(selectors.import_batches_visible_to(request.user), pk=batch_id)
    if not selectors.may_download_rejects(request.user, batch):
        raise PermissionDenied
    path = pathlib.Path(batch.rejects_path) if batch.rejects_path else None
    if path is None or not path.is_file():
        raise Http404(_("This import has no rejected rows file."))
    log_action(
        "contacts.import.rejects_downloaded",
        user=request.user,
        data={"batch_id": batch.pk, "rejected": batch.rejected},
    )
    return file_response(path.open("rb"), f"rejets-import-{batch.pk}.csv", CSV)


@permission_required("contacts.view_importbatch", raise_exception=True)
def import_list(request: HttpRequest) -> HttpResponse:
    services.import_batches_reap()  # a batch whose process is gone shows as interrupted
    page = Paginator(selectors.import_batches_visible_to(request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request, "contacts/import_list.html", {"title": _("Import history"), "page_obj": page}
    )


@permission_required("contacts.view_call", raise_exception=True)
def call_list(request: HttpRequest) -> HttpResponse:
    form = CallFilterForm(request.GET or None, sites=sites_visible_to(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    calls = selectors.calls_visible_to(
        request.user,
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
        site=filters.get("site"),
        reason=filters.get("reason"),
        outcome=filters.get("outcome", ""),
    )
    page = Paginator(calls, 50).get_page(request.GET.get("page"))
    return render(
        request, "contacts/call_list.html", {"title": _("Calls"), "form": form, "page_obj": page}
    )
