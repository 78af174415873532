"""Web pages of the planning app: the schedules (SPEC §6). Thin views (STYLE habit 3)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .schedule_exports import run_parameters, schedule_workbook, shift_label
from .schedule_forms import ScheduleForm
from .schedule_selectors import runs_visible_to, schedule_tables
from .schedule_services import ScheduleError, schedule_run

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@permission_required("planning.view_schedulerun", raise_exception=True)
def schedules(request: HttpRequest) -> HttpResponse:
    """The parameters form, then the chosen run (default: the latest) as two tables."""
    may_run = request.user.has_perm("planning.run_schedule")
    form = ScheduleForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not may_run:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                run = schedule_run(
                    start=data["start"],
                    days=data["days"],
                    rules=data["rules"],
                    site=data["site"],
                    shrinkage=data["shrinkage"] / 100,
                    time_limit=data["time_limit"],
                    user=request.user,
                )
            except ScheduleError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Schedules computed."))
                return redirect(f"{reverse('planning-schedules')}?run={run.pk}")
    runs = runs_visible_to(request.user)
    run = None
    if request.GET.get("run", "").isdigit():
        run = get_object_or_404(runs, pk=int(request.GET["run"]))
    elif request.method == "GET":
        run = runs.first()
    context = {
        "title": _("Schedules"),
        "form": form if may_run else None,
        "run": run,
        "recent_runs": runs[:10],
    }
    if run is not None:
        tables = schedule_tables(run)
        for row in tables.advisors:
            row["labels"] = [shift_label(shift) for shift in row["cells"]]
        context.update(tables=tables, parameters=run_parameters(run))
    return render(request, "planning/schedules.html", context)


@permission_required("planning.view_schedulerun", raise_exception=True)
def schedule_export(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_object_or_404(runs_visible_to(request.user), pk=run_id)
    response = HttpResponse(schedule_workbook(run), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="horaires-{run.start:%Y-%m-%d}-{run.pk}.xlsx"'
    )
    return response
