"""Writes of the schedules (SPEC §6): run the optimiser on a period and keep the result."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from decroche.core.services import log_action
from decroche.organisation.models import Site

from .models import ScheduleRun, Shift
from .schedule_selectors import (
    advisor_inputs,
    period_days,
    schedule_advisors,
    schedule_requirement,
)
from .schedules import ShiftRules, optimise_schedule

MAX_DAYS = 30


class ScheduleError(ValueError):
    """A schedule that cannot be computed; the message is for the user."""


def schedule_run(
    *,
    start: dt.date,
    days: int,
    rules: ShiftRules,
    site: Site | None = None,
    shrinkage: float = 0.0,
    time_limit: float = 45.0,
    user=None,
) -> ScheduleRun:
    """Optimise the schedules of ``days`` working days from ``start`` and store the run."""
    if not 1 <= days <= MAX_DAYS:
        raise ScheduleError(_("Between 1 and %(max)d working days.") % {"max": MAX_DAYS})
    if not 0 <= shrinkage < 1:
        raise ScheduleError(_("The shrinkage must be in [0, 1)."))
    period = period_days(start, days)
    advisors = schedule_advisors(period, site=site)
    if not advisors:
        raise ScheduleError(_("No advisor is available on this period."))
    requirement, source = schedule_requirement(period, rules, site=site, shrinkage=shrinkage)
    try:
        result = optimise_schedule(
            requirement, advisor_inputs(advisors, period), rules, time_limit=time_limit
        )
    except ValueError as error:
        raise ScheduleError(str(error)) from error
    parameters = {
        **rules.as_dict(),
        "shrinkage": shrinkage,
        "time_limit": time_limit,
        "history": [source.history[0].isoformat(), source.history[1].isoformat()],
        "history_calls": source.calls,
        "history_forms": source.forms,
        "aht_seconds": round(source.aht_seconds, 1),
        "advisors": len(advisors),
    }
    slots = [rules.time_at(t).strftime("%H:%M") for t in range(rules.intervals)]
    with transaction.atomic():
        run = ScheduleRun.objects.create(
            created_by=user if getattr(user, "is_authenticated", False) else None,
            start=period[0],
            end=period[-1],
            working_days=len(period),
            site=site,
            parameters=parameters,
            status=result.status,
            method=result.method,
            paid_hours=result.paid_hours,
            lower_bound_hours=result.lower_bound_hours,
            phone_shortfall_hours=result.phone_shortfall_hours,
            forms_shortfall_hours=result.forms_shortfall_hours,
            objective=result.objective,
            best_bound=result.best_bound,
            seconds=round(result.seconds, 2),
            requirement={
                "days": [day.isoformat() for day in period],
                "slots": slots,
                "phone": [list(row) for row in requirement.phone],
                "forms_hours": result.forms_required_hours,
            },
            coverage={
                "phone": result.phone_planned,
                "forms_hours": result.forms_planned_hours,
                "planned_hours": result.planned_hours_per_day,
                "reinforcement_hours": result.reinforcement_hours,
                "releasable_hours": result.releasable_hours,
            },
        )
        Shift.objects.bulk_create(
            Shift(
                run=run,
                advisor_id=shift.advisor,
                day=shift.day,
                starts_at=rules.time_at(shift.pattern.start),
                ends_at=rules.time_at(shift.pattern.end),
                lunch_starts_at=(
                    rules.time_at(shift.pattern.lunch_start)
                    if shift.pattern.lunch_start is not None
                    else None
                ),
                lunch_ends_at=(
                    rules.time_at(shift.pattern.lunch_start + shift.pattern.lunch_length)
                    if shift.pattern.lunch_start is not None
                    else None
                ),
                paid_minutes=shift.pattern.work * 30,
                activities=shift.activities,
            )
            for shift in result.shifts
        )
        log_action(
            "planning.schedule.computed",
            user=user,
            data={
                "run": run.pk,
                "start": run.start.isoformat(),
                "working_days": run.working_days,
                "site": site.code if site else None,
                "status": run.status,
                "paid_hours": run.paid_hours,
                "phone_shortfall_hours": run.phone_shortfall_hours,
            },
        )
    return run
