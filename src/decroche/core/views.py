"""The CSO's audit log (issue 2) and access history (issue 12 §4; SPEC §9)."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import selectors
from .downloads import XLSX, file_response
from .exports import Section, sections_to_xlsx
from .forms import AccessHistoryForm, AuditFilterForm
from .services import log_action


@permission_required("core.view_auditentry", raise_exception=True)
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.audit_entries(
        action=filters.get("action", ""),
        username=filters.get("username", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    context = {"title": _("Audit log"), "form": form, "page_obj": page}
    return render(request, "core/audit_log.html", context)


# --- The access history (SPEC §9; issue 12 §4) --------------------------------------------

ACCESS_PAGE_SIZE = 50


def _access_filters(request: HttpRequest) -> tuple[AccessHistoryForm, dict]:
    form = AccessHistoryForm(request.GET or None, kinds=selectors.ACCESS_KINDS)
    return form, (form.cleaned_data if form.is_valid() else {})


def _access_entries(filters: dict):
    return selectors.access_history(
        kind=filters.get("kind", ""),
        username=filters.get("username", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )


@permission_required("core.view_auditentry", raise_exception=True)
def access_history(request: HttpRequest) -> HttpResponse:
    """Sign-ins, failures, second factor, permission changes and reads of sensitive
    records, with the state of the hash chain in a banner."""
    form, filters = _access_filters(request)
    page = Paginator(_access_entries(filters), ACCESS_PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page:
        entry.kind_label = selectors.access_kind_label(entry.action)
    report, verified_at = selectors.verify_chain_cached()
    context = {
        "title": _("Access history"),
        "form": form,
        "page_obj": page,
        "chain": report,
        "chain_message": selectors.describe_chain(report),
        "chain_verified_at": verified_at,
        "export_query": request.GET.urlencode(),
    }
    return render(request, "core/access_history.html", context)


@permission_required("core.view_auditentry", raise_exception=True)
def access_history_export(request: HttpRequest) -> HttpResponse:
    """The filtered access history as a workbook; the export is itself audited."""
    _form, filters = _access_filters(request)
    entries = list(_access_entries(filters))
    content = sections_to_xlsx([access_history_section(entries)])
    log_action(
        "core.access_history.exported",
        user=request.user,
        ip_address=request.META.get("REMOTE_ADDR") or None,
        data={
            "rows": len(entries),
            "filters": {key: str(value) for key, value in filters.items() if value},
        },
    )
    return file_response(content, "historique-des-acces.xlsx", XLSX)


def access_history_section(entries) -> Section:
    rows = [
        [
            timezone.localtime(entry.at).replace(tzinfo=None),
            str(selectors.access_kind_label(entry.action)),
            entry.action,
            entry.username,
            entry.ip_address or "",
            json.dumps(entry.data, ensure_ascii=False, sort_keys=True),
            entry.sequence,
        ]
        for entry in entries
    ]
    return Section(
        gettext("Access history"),
        [
            gettext("Date"),
            gettext("Event"),
            gettext("Action"),
            gettext("Username"),
            gettext("IP address"),
            gettext("Details"),
            gettext("Sequence"),
        ],
        rows=rows,
        formats={0: "dd/mm/yyyy hh:mm:ss"},
        widths=(20, 34, 24, 16, 60, 10),
    )
