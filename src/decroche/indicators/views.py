"""Indicator pages (issue 3; SPEC §3): dashboards with drill-down and exports, and the
definitions (drafts computed on real data, publication, history). Thin views: the reads are
in `dashboards.py`, the writes in `services.py`; `display.py` shapes figures for the
templates. The resources dashboard, which staffs the phones, is a planning page
(`planning.views.resources_dashboard`) kept at its address here (`decroche/urls.py`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from decroche.core.downloads import CSV, XLSX, file_response
from decroche.organisation.selectors import sites_visible_to, teams_visible_to, user_scope

from . import dashboards, display, services
from .choices import VersionStatus
from .exports import report_csv, report_workbook
from .forms import DashboardForm, IndicatorDraftForm, PreviewForm, PublishForm
from .models import IndicatorVersion

VIEW = "indicators.view_indicatorversion"
DRAFT = "indicators.add_indicatorversion"
PUBLISH = "indicators.publish_indicatorversion"


@permission_required(VIEW, raise_exception=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    """Daily, weekly or monthly figures of the user's scope, drilled down by level."""
    scope = user_scope(request.user)
    form = DashboardForm(
        request.GET or None,
        levels=dashboards.levels_for(scope),
        sites=sites_visible_to(request.user),
        teams=teams_visible_to(request.user),
    )
    selection = form.selection()
    context = {"title": _("Indicator dashboard"), "form": form, "selection": selection}
    if not selection.level:
        return render(request, "indicators/dashboard.html", {**context, "empty_scope": True})
    export = request.GET.get("export")
    board = dashboards.dashboard(selection, scope, charts=export not in ("xlsx", "csv"))
    if export in ("xlsx", "csv"):
        return _export(export, board)
    context.update(display.dashboard_context(board, selection), query=request.GET.urlencode())
    return render(request, "indicators/dashboard.html", context)


def _export(kind: str, board: dashboards.Dashboard) -> HttpResponse:
    name = f"indicateurs-{board.start.isoformat()}-{board.end.isoformat()}"
    if kind == "csv":
        return file_response(report_csv(board.results, board.notices), f"{name}.csv", CSV)
    title = _("Indicators from %(start)s to %(end)s") % {"start": board.start, "end": board.end}
    workbook = report_workbook(
        [(board.grain, board.results)], list(board.versions.values()), title, board.notices
    )
    return file_response(workbook, f"{name}.xlsx", XLSX)


@permission_required(VIEW, raise_exception=True)
def definition_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "indicators/definition_list.html",
        {
            "title": _("Indicator definitions"),
            "entries": dashboards.indicator_catalogue(),
            "may_draft": request.user.has_perm(DRAFT),
        },
    )


@permission_required(VIEW, raise_exception=True)
def definition_history(request: HttpRequest, code: str) -> HttpResponse:
    """Every version of one indicator, with who drafted and published it, and when."""
    versions = list(
        IndicatorVersion.objects.filter(code=code).select_related("created_by", "published_by")
    )
    if not versions:
        raise Http404
    return render(
        request,
        "indicators/definition_history.html",
        {
            "title": versions[0].label,
            "code": code,
            "versions": versions,
            "may_draft": request.user.has_perm(DRAFT),
        },
    )


@permission_required(VIEW, raise_exception=True)
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One version computed on the recorded data (a draft included), and its publication."""
    version = get_object_or_404(IndicatorVersion, pk=pk)
    preview_form = PreviewForm(request.GET or None)
    start, end, period = preview_form.span()
    preview_error = ""
    try:
        preview = dashboards.draft_preview(version, start=start, end=end, period=period)
    except (ValueError, LookupError) as error:  # a formula naming a deleted measure
        preview, preview_error = [], str(error)
    may_publish = version.status == VersionStatus.DRAFT and request.user.has_perm(PUBLISH)
    context = {
        "title": str(version),
        "version": version,
        "preview_form": preview_form,
        "preview": display.preview_rows(preview, version),
        "preview_error": preview_error,
        "publish_form": PublishForm(initial={"valid_from": version.valid_from})
        if may_publish
        else None,
    }
    return render(request, "indicators/version_detail.html", context)


@permission_required(DRAFT, raise_exception=True)
def draft_create(request: HttpRequest) -> HttpResponse:
    """A new draft: of a new indicator, or the next version of `?code=`."""
    initial = {"valid_from": timezone.localdate()}
    based_on = IndicatorVersion.objects.filter(code=request.GET.get("code", "")).first()
    if based_on is not None:
        initial.update(
            {field: getattr(based_on, field) for field in display.DRAFT_FIELDS},
            code=based_on.code,
        )
    form = IndicatorDraftForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        code = fields.pop("code")
        try:
            draft = services.indicator_draft_create(code=code, user=request.user, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Draft saved; it is computed below on recorded data."))
            return redirect("indicator-version", pk=draft.pk)
    return render(
        request,
        "indicators/draft_form.html",
        {"title": _("New indicator draft"), "form": form, "based_on": based_on},
    )


@permission_required(PUBLISH, raise_exception=True)
def version_publish(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(IndicatorVersion, pk=pk)
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_publish(
                draft=version, valid_from=form.cleaned_data["valid_from"], user=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Version published."))
    return redirect("indicator-version", pk=version.pk)
