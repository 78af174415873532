"""Web import of contact exports (issue 2: upload, summary, rejected rows), import
history and the calls list. Thin views: one selector or service each (STYLE habit 3)."""

from __future__ import annotations

import contextlib
import os
import pathlib
import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from decroche.core.downloads import CSV, file_response
from decroche.core.services import log_action
from decroche.core.tabular.errors import ImportFileError
from decroche.organisation.selectors import sites_visible_to

from . import selectors, services
from .forms import CallFilterForm, ImportUploadForm
from .rejections import import_results


@permission_required("contacts.import_contacts", raise_exception=True)
def import_upload(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        mapping = form.cleaned_data.get("mapping")
        with _saved(upload) as path, _saved(mapping) as mapping_path:
            try:
                summary = services.contacts_import(
                    kind=form.cleaned_data["kind"],
                    path=path,
                    mapping_path=mapping_path,
                    user=request.user,
                    file_name=upload.name,
                )
            except ImportFileError as error:
                form.add_error(None, str(error))
            else:
                _result_message(request, summary)
                return redirect("import-detail", batch_id=summary.batch_id)
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


def _result_message(request: HttpRequest, summary) -> None:
    """Success when every row is in, a warning when some are rejected, an error when most
    are (issue 18.6)."""
    if not summary.rejected:
        messages.success(request, gettext("Import finished: every row was read."))
        return
    text = ngettext(
        "Import finished: %(rejected)s row of %(rows)s was rejected.",
        "Import finished: %(rejected)s rows of %(rows)s were rejected.",
        summary.rejected,
    ) % {"rejected": summary.rejected, "rows": summary.rows}
    if summary.rejected * 2 > summary.rows:
        messages.error(request, text)
    else:
        messages.warning(request, text)


@contextlib.contextmanager
def _saved(upload: UploadedFile | None):
    """Write an upload to a private temporary file (same suffix) and remove it afterwards."""
    if upload is None:
        yield None
        return
    suffix = pathlib.Path(upload.name).suffix.lower()[:10]
    descriptor, name = tempfile.mkstemp(prefix="decroche-upload-", suffix=suffix)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        yield pathlib.Path(name)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
