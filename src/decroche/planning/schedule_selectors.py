"""Reads behind the schedules (SPEC §6): the period's working days, the advisors with their
skills and availability, the requirement per half-hour from the volume forecast, and the
tables of a stored run.

Requirement rule, written once: the calls of each half-hour are the volume forecast
(``planning.forecast`` through ``selectors.volume_forecast``: history, planner events, the
client's monthly forecast), times the site's share of the last 4 weeks when a site is chosen;
the handling time is the average (talk + wrap-up) of the calls answered in those 4 weeks;
``staffing.interval_staffing`` (Erlang A, the default patience of 180 s) gives the fewest
advisors on the phones meeting the targets in force on the period's first day (answer rate
≥ 90% and average wait < 2 min by default, SPEC §3); a shrinkage share then adds time off
the phones. Forms: the forecast forms due each working day (a weekend's on Monday)
staffed by ``proposal.form_advisors`` (90 forms per advisor per day, SPEC §1, §3), each
advisor a full day of ``proposal.FORM_DAY_HOURS``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from decroche.contacts.models import Call, ContactForm
from decroche.core.calendar import is_working_day
from decroche.organisation.availability import is_planned
from decroche.organisation.models import Advisor, Site
from decroche.organisation.selectors import user_scope

from .models import ScheduleRun
from .proposal import FORM_DAY_HOURS, form_advisors
from .schedules import AdvisorInput, Requirement, ShiftRules
from .selectors import handling_estimates, staffing_targets, volume_forecast
from .staffing import (
    DEFAULT_AHT_SECONDS,
    DEFAULT_PATIENCE_SECONDS,
    HISTORY_WEEKS,
    interval_staffing,
)


def period_days(start: dt.date, count: int) -> list[dt.date]:
    """``count`` working days from ``start`` (the first working day on or after it)."""
    days = []
    day = start
    while len(days) < count:
        if is_working_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def schedule_advisors(days: list[dt.date], *, site: Site | None = None) -> list[Advisor]:
    """Advisors who could work some day of the period, with at least one skill."""
    advisors = Advisor.objects.filter(Q(handles_phone=True) | Q(handles_forms=True))
    advisors = advisors.filter(joined_on__lte=days[-1]).exclude(left_on__lte=days[0])
    if site is not None:
        advisors = advisors.filter(site=site)
    return [
        a
        for a in advisors.order_by("last_name", "first_name", "pk")
        if any(is_planned(a, d) for d in days)
    ]


def advisor_inputs(advisors: list[Advisor], days: list[dt.date]) -> list[AdvisorInput]:
    """The optimiser's view of each advisor: skills (SPEC §1) and availability per day
    (employed, not left, outside any recorded absence)."""
    return [
        AdvisorInput(
            key=advisor.pk,
            name=str(advisor),
            phone=advisor.handles_phone,
            forms=advisor.handles_forms,
            available=tuple(is_planned(advisor, day) for day in days),
        )
        for advisor in advisors
    ]


@dataclass(frozen=True)
class RequirementSource:
    """Where the requirement came from, for the page and the export."""

    history: tuple[dt.date, dt.date]
    calls: int  # calls forecast over the period (the site's share when one is chosen)
    forms: int  # forms forecast over the period
    aht_seconds: float


def site_share(site: Site | None, history: tuple[dt.date, dt.date]) -> float:
    """The site's share of the calls and forms of the history (1 for the whole centre)."""
    if site is None:
        return 1.0
    calls = Call.objects.filter(day__range=history).aggregate(
        everyone=Count("id"), here=Count("id", filter=Q(site=site))
    )
    forms = ContactForm.objects.filter(received_day__range=history).aggregate(
        everyone=Count("id"), here=Count("id", filter=Q(site=site))
    )
    everyone = calls["everyone"] + forms["everyone"]
    return (calls["here"] + forms["here"]) / everyone if everyone else 0.0


def schedule_requirement(
    days: list[dt.date], rules: ShiftRules, *, site: Site | None = None, shrinkage: float = 0.0
) -> tuple[Requirement, RequirementSource]:
    """Advisors needed per day × half-hour and forms hours per day (module docstring)."""
    history = (days[0] - dt.timedelta(weeks=HISTORY_WEEKS), days[0] - dt.timedelta(days=1))
    # From three days before: a weekend's forms are due on the Monday that follows.
    forecasts = volume_forecast(days[0] - dt.timedelta(days=3), days[-1])
    share = site_share(site, history)
    estimates = handling_estimates(days[0], weeks=HISTORY_WEEKS)
    aht = estimates["aht"] or DEFAULT_AHT_SECONDS
    targets = staffing_targets(days[0])
    phone = []
    for day in days:
        volumes = forecasts["calls"].intraday.get(day)
        row = []
        for slot in range(rules.intervals):
            volume = round(float(volumes[slot]) * share, 2) if volumes is not None else 0.0
            staffing = interval_staffing(
                volume,
                aht=aht,
                patience=DEFAULT_PATIENCE_SECONDS,
                targets=targets,
                shrinkage=shrinkage,
            )
            row.append(staffing.scheduled_agents)
        phone.append(tuple(row))
    forms_daily = {day: volume * share for day, volume in forecasts["forms"].daily.items()}
    advisors = form_advisors(forms_daily, days)
    forms_hours = tuple(round(advisors[day] * FORM_DAY_HOURS, 1) for day in days)
    calls_total = sum(float(sum(forecasts["calls"].intraday.get(day, [0]))) for day in days)
    forms_total = sum(forms_daily.get(day, 0.0) for day in days)
    requirement = Requirement(tuple(days), tuple(phone), forms_hours)
    return requirement, RequirementSource(
        history, round(calls_total * share), round(forms_total), aht
    )


def runs_visible_to(user) -> QuerySet[ScheduleRun]:
    """Runs of every site for those who see every site, else of their sites (SPEC §9)."""
    runs = ScheduleRun.objects.select_related("site", "created_by")
    scope = user_scope(user)
    if scope.everything:
        return runs
    return runs.filter(site_id__in=scope.site_ids)


@dataclass
class ScheduleTables:
    """A run as the page and the export show it."""

    days: list[dt.date]
    slots: list[str]  # "08:30", "09:00", ...
    advisors: list[dict]  # {"advisor", "cells": [shift or None per day], "hours"}
    coverage: list[dict]  # {"slot", "cells": [{"required", "planned", "shortfall"}]}
    forms: list[dict]  # per day {"required", "planned", "shortfall"}
    totals: list[dict]  # per day {"planned_hours", "reinforcement", "releasable"}


def schedule_tables(run: ScheduleRun) -> ScheduleTables:
    days = [dt.date.fromisoformat(day) for day in run.requirement["days"]]
    slots = run.requirement["slots"]
    position = {day: i for i, day in enumerate(days)}
    rows: dict[int, dict] = {}
    for shift in run.shifts.select_related("advisor").order_by(
        "advisor__last_name", "advisor__first_name", "advisor_id", "day"
    ):
        row = rows.setdefault(
            shift.advisor_id, {"advisor": shift.advisor, "cells": [None] * len(days), "hours": 0.0}
        )
        row["cells"][position[shift.day]] = shift
        row["hours"] += shift.paid_minutes / 60
    phone_required, phone_planned = run.requirement["phone"], run.coverage["phone"]
    coverage = [
        {
            "slot": slot,
            "cells": [
                {
                    "required": phone_required[d][t],
                    "planned": phone_planned[d][t],
                    "shortfall": max(0, phone_required[d][t] - phone_planned[d][t]),
                }
                for d in range(len(days))
            ],
        }
        for t, slot in enumerate(slots)
    ]
    forms = [
        {"required": need, "planned": got, "shortfall": max(0.0, need - got)}
        for need, got in zip(
            run.requirement["forms_hours"], run.coverage["forms_hours"], strict=True
        )
    ]
    totals = [
        {"planned_hours": planned, "reinforcement": reinforce, "releasable": release}
        for planned, reinforce, release in zip(
            run.coverage["planned_hours"],
            run.coverage["reinforcement_hours"],
            run.coverage["releasable_hours"],
            strict=True,
        )
    ]
    return ScheduleTables(days, slots, list(rows.values()), coverage, forms, totals)
