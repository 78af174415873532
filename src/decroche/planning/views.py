"""Web pages of the planning app: the volume forecast with the planner's events and the
client's monthly forecasts, the order proposal, the schedules (SPEC §1, §2, §6), and the
resources dashboard (SPEC §3; at its address under /indicateurs/, `decroche/urls.py`).
Thin views (STYLE habit 3)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from decroche.core.calendar import paris_today
from decroche.core.downloads import XLSX, file_response
from decroche.indicators import display
from decroche.jobs.services import job_start
from decroche.organisation.selectors import user_scope

from . import proposal_tables, resources, selectors, services
from .forms import (
    ClientForecastForm,
    ForecastEventForm,
    ForecastRangeForm,
    ProposalForm,
    ScheduleForm,
    WeekForm,
    default_forecast_range,
)
from .jobs import SCHEDULE, rules_params
from .models import ClientForecast, ForecastEvent
from .schedule_exports import run_parameters, schedule_workbook, shift_label
from .schedule_selectors import runs_visible_to, schedule_tables


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
            # The optimiser runs in the background worker (issue 12 point 8); the job's
            # page shows its progress, then links to the run (or shows why it failed).
            job = job_start(
                SCHEDULE,
                request.user,
                title=_("Schedules from %(day)s (%(days)s working days)")
                % {"day": f"{data['start']:%d/%m/%Y}", "days": data["days"]},
                start=data["start"].isoformat(),
                days=data["days"],
                rules=rules_params(data["rules"]),
                site_id=data["site"].pk if data["site"] else None,
                shrinkage=data["shrinkage"] / 100,
                time_limit=data["time_limit"],
            )
            return redirect("job-detail", job_id=job.pk)
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
    return file_response(
        schedule_workbook(run), f"horaires-{run.start:%Y-%m-%d}-{run.pk}.xlsx", XLSX
    )


# --- forecast, events and client forecasts ---------------------------------------------------


def _range_form(data) -> ForecastRangeForm:
    if data.get("start") or data.get("end"):
        return ForecastRangeForm({"start": data.get("start"), "end": data.get("end")})
    start, end = default_forecast_range()
    return ForecastRangeForm({"start": start.isoformat(), "end": end.isoformat()})


def _forecast_page(
    request: HttpRequest,
    *,
    event_form: ForecastEventForm | None = None,
    client_form: ClientForecastForm | None = None,
) -> HttpResponse:
    user = request.user
    range_form = _range_form(request.GET if request.method == "GET" else request.POST)
    rows = None
    if range_form.is_valid():
        rows = selectors.forecast_days(
            range_form.cleaned_data["start"], range_form.cleaned_data["end"]
        )
    may_add_event = user.has_perm("planning.add_forecastevent")
    may_set_client = user.has_perms(
        ["planning.add_clientforecast", "planning.change_clientforecast"]
    )
    context = {
        "title": pgettext_lazy("page", "Forecast"),
        "range_form": range_form,
        "range": range_form.cleaned_data if rows is not None else None,
        "rows": rows,
        "events": selectors.forecast_event_list(),
        "client_forecasts": selectors.client_forecast_list(),
        "event_form": (event_form or ForecastEventForm(prefix="event")) if may_add_event else None,
        "client_form": (client_form or ClientForecastForm(prefix="client"))
        if may_set_client
        else None,
        "may_delete_event": user.has_perm("planning.delete_forecastevent"),
        "may_delete_client": user.has_perm("planning.delete_clientforecast"),
    }
    return render(request, "planning/forecast.html", context)


def _back_to_forecast(request: HttpRequest) -> HttpResponse:
    """The forecast page on the range the write was made from (only valid dates kept)."""
    query = {}
    for key in ("start", "end"):
        try:
            query[key] = dt.date.fromisoformat(request.POST.get(key, "")).isoformat()
        except ValueError:
            pass
    url = reverse("planning-forecast")
    return redirect(f"{url}?{urlencode(query)}" if len(query) == 2 else url)


@permission_required("planning.view_forecastevent", raise_exception=True)
def forecast(request: HttpRequest) -> HttpResponse:
    """Calls and forms expected per day of a range, the events and the client's volumes."""
    return _forecast_page(request)


@require_POST
@permission_required("planning.add_forecastevent", raise_exception=True)
def forecast_event_add(request: HttpRequest) -> HttpResponse:
    form = ForecastEventForm(request.POST, prefix="event")
    if form.is_valid():
        try:
            services.forecast_event_create(**form.cleaned_data, user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Event added."))
            return _back_to_forecast(request)
    return _forecast_page(request, event_form=form)


@require_POST
@permission_required("planning.delete_forecastevent", raise_exception=True)
def forecast_event_remove(request: HttpRequest, event_id: int) -> HttpResponse:
    event = get_object_or_404(ForecastEvent, pk=event_id)
    services.forecast_event_delete(event=event, user=request.user)
    messages.success(request, _("Event deleted."))
    return _back_to_forecast(request)


@require_POST
@permission_required(
    ["planning.add_clientforecast", "planning.change_clientforecast"], raise_exception=True
)
def client_forecast_save(request: HttpRequest) -> HttpResponse:
    form = ClientForecastForm(request.POST, prefix="client")
    if form.is_valid():
        try:
            services.client_forecast_set(**form.cleaned_data, user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Client forecast saved."))
            return _back_to_forecast(request)
    return _forecast_page(request, client_form=form)


@require_POST
@permission_required("planning.delete_clientforecast", raise_exception=True)
def client_forecast_remove(request: HttpRequest, row_id: int) -> HttpResponse:
    row = get_object_or_404(ClientForecast, pk=row_id)
    services.client_forecast_delete(row=row, user=request.user)
    messages.success(request, _("Client forecast deleted."))
    return _back_to_forecast(request)


# --- order proposal --------------------------------------------------------------------------


def _proposal_form(request: HttpRequest) -> ProposalForm:
    if request.GET.get("committee"):
        return ProposalForm(request.GET)
    return ProposalForm({"committee": paris_today().isoformat(), "shrinkage": 0})


def _build_proposal(form: ProposalForm):
    return selectors.order_proposal(
        form.cleaned_data["committee"], shrinkage=form.cleaned_data["shrinkage"] / 100
    )


def _number(value, digits: int = 1) -> str:
    return "—" if value is None else formats.number_format(value, digits, use_l10n=True)


def _percent(value) -> str:
    return "—" if value is None else f"{_number(value * 100, 1)} %"


def _proposal_tables(proposal) -> dict:
    """Display strings of the committee pack tables (`proposal_tables`), rates as %."""
    answer_rate = gettext("Predicted answer rate")
    baseline = proposal.plans[0]
    periods = [
        {
            "label": proposal_tables.period_label(period),
            "cells": [
                _number(period.calls),
                _number(period.forms),
                _number(period.phone_hours),
                _number(period.form_hours),
                _number(period.scheduled_hours + period.form_hours),
                _percent(period.answer_rate),
                _number(period.average_wait),
            ],
        }
        for period in baseline.periods
    ]
    scenarios = [
        row[:2] + [_percent(v) if row[1] == answer_rate else _number(v) for v in row[2:]]
        for row in proposal_tables.summary_rows(proposal)
    ]
    firm = baseline.periods[0]
    days = [
        [formats.date_format(day.day, "D d/m")]
        + [_percent(v) if index == 4 else _number(v) for index, v in enumerate(row[1:])]
        for day, row in zip(firm.days, proposal_tables.day_rows(firm), strict=True)
    ]
    return {
        "assumptions": proposal_tables.assumption_rows(proposal),
        "periods": periods,
        "scenario_headers": proposal_tables.summary_headers(proposal),
        "scenarios": scenarios,
        "firm_label": proposal_tables.period_label(firm),
        "day_headers": proposal_tables.day_headers(),
        "days": days,
    }


@permission_required("planning.view_forecastevent", raise_exception=True)
def order_proposal(request: HttpRequest) -> HttpResponse:
    """The proposal of a forecast committee: periods, scenarios, the firm period by hour."""
    form = _proposal_form(request)
    context = {"title": _("Order proposal"), "form": form}
    if form.is_valid():
        context.update(
            _proposal_tables(_build_proposal(form)),
            export_query=urlencode(
                {
                    "committee": form.cleaned_data["committee"].isoformat(),
                    "shrinkage": form.cleaned_data["shrinkage"],
                }
            ),
        )
    return render(request, "planning/order_proposal.html", context)


@permission_required("planning.view_forecastevent", raise_exception=True)
def order_proposal_export(request: HttpRequest) -> HttpResponse:
    form = _proposal_form(request)
    if not form.is_valid():
        return redirect("planning-order-proposal")
    committee = form.cleaned_data["committee"]
    return file_response(
        proposal_tables.proposal_workbook(_build_proposal(form)),
        f"proposition-commande-{committee:%Y-%m-%d}.xlsx",
        XLSX,
    )


@permission_required("indicators.view_indicatorversion", raise_exception=True)
def resources_dashboard(request: HttpRequest) -> HttpResponse:
    """SPEC §3 resource dashboards: staffing forecast for the coming week, training and
    internal hours, and present vs planned staff every morning of the chosen week."""
    scope = user_scope(request.user)
    form = WeekForm(request.GET or None)
    day = (form.cleaned_data.get("day") if form.is_valid() else None) or timezone.localdate()
    monday = day - dt.timedelta(days=day.weekday())
    friday = monday + dt.timedelta(days=4)
    forecast = resources.staffing_forecast(scope, week_start=monday + dt.timedelta(weeks=1))
    context = {
        "title": gettext("Resources dashboard"),
        "form": form,
        "monday": monday,
        "friday": friday,
        "forecast": forecast,
        "forecast_rows": display.forecast_rows(forecast),
        "hours": resources.internal_hours(scope, start=monday, end=monday + dt.timedelta(days=6)),
        "mornings": resources.morning_attendance(scope, start=monday, end=friday),
    }
    return render(request, "planning/resources.html", context)
