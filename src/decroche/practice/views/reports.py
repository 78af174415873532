"""Certification reports (issue 15 §5–6): the inter-rater agreement report (page and
XLSX) for the jury, the trainers and the client auditor; the co-signed results for the
jury and the client auditor, read-only. Both read only what is final — grids submitted
by both evaluators, results co-signed — so no provisional grid shows through them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from decroche.core.downloads import XLSX, file_response
from decroche.core.exports import section_table
from decroche.core.services import log_action

from .. import exports, selectors

AGREEMENT = "practice.view_agreement_report"
RESULTS = "practice.view_assessment_results"


def agreement_report(request: HttpRequest) -> HttpResponse:
    """Share of exact agreement and Cohen's kappa per criterion and per evaluator pair,
    for the current framework; `?format=xlsx` downloads the workbook."""
    if not request.user.has_perm(AGREEMENT):
        raise PermissionDenied
    framework = selectors.framework_current()
    report = selectors.agreement_report(framework)
    if request.GET.get("format") == "xlsx":
        content = exports.agreement_xlsx(framework, report)
        log_action(
            "practice.agreement.exported",
            user=request.user,
            data={"framework": framework.code, "version": framework.version},
        )
        return file_response(content, f"accord-evaluateurs-v{framework.version}.xlsx", XLSX)
    return render(
        request,
        "practice/agreement_report.html",
        {
            "framework": framework,
            "tables": [section_table(s) for s in exports.agreement_sections(framework, report)],
            "title": _("Inter-rater agreement"),
        },
    )


def assessment_results(request: HttpRequest) -> HttpResponse:
    """The co-signed, frozen results per block and overall; never a grid in progress."""
    if not request.user.has_perm(RESULTS):
        raise PermissionDenied
    return render(
        request,
        "practice/assessment_results.html",
        {"results": selectors.assessment_results(), "title": _("Certification results")},
    )
