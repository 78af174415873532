"""Schedule solving as a background job (issue 12 point 8): the optimiser may run for
`time_limit` seconds, which no request should wait for. Same `schedule_run` as before."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from decroche.jobs.registry import register
from decroche.jobs.services import job_finish, job_progress
from decroche.organisation.models import Site

from .schedule_services import schedule_run
from .schedules import ShiftRules

SCHEDULE = "planning.schedule"


def rules_params(rules: ShiftRules) -> dict:
    """The rules as JSON values (times as HH:MM), what the worker receives."""
    return rules.as_dict()


def rules_from_params(values: dict) -> ShiftRules:
    defaults = ShiftRules()
    return ShiftRules(
        **{
            key: dt.time.fromisoformat(value)
            if isinstance(getattr(defaults, key), dt.time)
            else value
            for key, value in values.items()
        }
    )


@register(SCHEDULE)
def schedule_job(
    job,
    *,
    start: str,
    days: int,
    rules: dict,
    site_id: int | None,
    shrinkage: float,
    time_limit: float,
) -> None:
    """SPEC §6: optimise the schedules and store the run; the job's result is its page.
    A ScheduleError fails the job with its message for the planner."""
    job_progress(
        job, 5, _("Optimising the schedules (at most %(seconds)s s)…") % {"seconds": time_limit}
    )
    run = schedule_run(
        start=dt.date.fromisoformat(start),
        days=days,
        rules=rules_from_params(rules),
        site=Site.objects.get(pk=site_id) if site_id else None,
        shrinkage=shrinkage,
        time_limit=time_limit,
        user=job.requested_by,
    )
    job_finish(job, result_url=f"{reverse('planning-schedules')}?run={run.pk}")
