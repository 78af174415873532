"""Reads behind the resources dashboard (SPEC §3 "resource dashboards"): the staffing
forecast per half-hour 08:30–17:30 for the coming week, the hours spent in training and
other internal activities, and present vs planned staff every morning with the reason.

The staffing forecast: the calls of a half-hour are forecast as the average of the same
weekday's same half-hour over the 4 previous weeks (``staffing.HISTORY_WEEKS``) of the
user's scope; the handling time is the average (talk + wrap-up) of the scope's answered
calls over those weeks (``selectors.handling_estimates``); ``staffing.interval_staffing``
(Erlang A, the default patience of 180 s) gives the fewest advisors meeting the targets in
force on the week's Monday (answer rate ≥ 90% and average wait < 2 min by default, SPEC §3).
The page lives in planning so that indicators never import planning (issue 10).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from decroche.contacts.models import AdvisorState, Call
from decroche.core.calendar import PARIS, is_working_day, paris_today
from decroche.indicators.dashboards import OPENING_HALF_HOURS
from decroche.organisation.availability import is_absent, is_planned
from decroche.organisation.models import Advisor
from decroche.organisation.selectors import Scope, scope_filter

from .selectors import handling_estimates, staffing_targets
from .staffing import (
    DEFAULT_AHT_SECONDS,
    DEFAULT_PATIENCE_SECONDS,
    HISTORY_WEEKS,
    interval_staffing,
)

MORNING_ENDS = dt.time(12, 0)


@dataclass
class StaffingForecast:
    days: list[dt.date]
    slots: list[int]
    calls: dict[tuple[dt.date, int], float]
    agents: dict[tuple[dt.date, int], int]
    aht_seconds: float
    history: tuple[dt.date, dt.date]


def staffing_forecast(scope: Scope, *, week_start: dt.date) -> StaffingForecast:
    """Advisors needed per half-hour, Monday to Friday of the week starting `week_start`."""
    history_start = week_start - dt.timedelta(weeks=HISTORY_WEEKS)
    history_end = week_start - dt.timedelta(days=1)
    calls = Call.objects.filter(scope_filter(scope), day__gte=history_start, day__lte=history_end)
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for row in calls.values("day", "half_hour").annotate(n=Count("id")):
        if row["half_hour"] is not None:
            counts[(row["day"].weekday(), row["half_hour"])] += row["n"]
    estimates = handling_estimates(week_start, weeks=HISTORY_WEEKS, scope=scope)
    aht = estimates["aht"] or DEFAULT_AHT_SECONDS
    targets = staffing_targets(week_start)
    days = [week_start + dt.timedelta(days=i) for i in range(5)]
    slots = list(OPENING_HALF_HOURS)
    forecast = StaffingForecast(days, slots, {}, {}, aht, (history_start, history_end))
    for day in days:
        for slot in slots:
            volume = counts[(day.weekday(), slot)] / HISTORY_WEEKS
            forecast.calls[(day, slot)] = volume
            staffing = interval_staffing(
                volume, aht=aht, patience=DEFAULT_PATIENCE_SECONDS, targets=targets
            )
            forecast.agents[(day, slot)] = staffing.agents
    return forecast


def internal_hours(scope: Scope, *, start: dt.date, end: dt.date) -> list[dict]:
    """Hours of training and of other internal activities per team over [start, end]."""
    states = AdvisorState.objects.filter(
        day__gte=start, day__lte=end, state__in=("training", "internal")
    )
    if not scope.everything:
        states = states.filter(advisor_id__in=scope.advisor_ids)
    rows = (
        states.values("advisor__site__name", "advisor__team__name", "state")
        .annotate(seconds=Sum("duration_seconds"))
        .order_by("advisor__site__name", "advisor__team__name")
    )
    table: dict[tuple[str, str], dict] = {}
    for row in rows:
        key = (row["advisor__site__name"], row["advisor__team__name"] or "—")
        entry = table.setdefault(
            key, {"site": key[0], "team": key[1], "training": 0.0, "internal": 0.0}
        )
        entry[row["state"]] += (row["seconds"] or 0) / 3600
    return list(table.values())


@dataclass
class MorningAttendance:
    day: dt.date
    planned: int
    present: int
    gaps: list[dict] = field(default_factory=list)
    recorded: bool = True  # False: no advisor state of the scope imported for that day yet


def morning_attendance(
    scope: Scope, *, start: dt.date, end: dt.date, today: dt.date | None = None
) -> list[MorningAttendance]:
    """Each working morning of [start, end] up to `today`: advisors planned, present (with
    at least one state starting before noon), and the reason of each planned advisor
    missing or of each advisor absent (the recorded absence, else "not recorded"). A day
    whose advisor states are not imported yet says so instead of showing everyone absent."""
    end = min(end, today or paris_today())
    advisors = Advisor.objects.select_related("team").order_by("last_name", "first_name")
    states = AdvisorState.objects.filter(day__gte=start, day__lte=end)
    if not scope.everything:
        advisors = advisors.filter(id__in=scope.advisor_ids)
        states = states.filter(advisor_id__in=scope.advisor_ids)
    present: dict[dt.date, set[int]] = defaultdict(set)
    recorded: set[dt.date] = set()
    for advisor_id, day, started in states.values_list("advisor_id", "day", "started_at"):
        recorded.add(day)
        if started.astimezone(PARIS).time() < MORNING_ENDS:
            present[day].add(advisor_id)
    advisors = list(advisors)
    mornings = []
    day = start
    while day <= end:
        if is_working_day(day) and day not in recorded:
            planned = sum(is_planned(advisor, day) for advisor in advisors)
            mornings.append(MorningAttendance(day, planned, 0, recorded=False))
        elif is_working_day(day):
            morning = MorningAttendance(day, 0, len(present[day]))
            for advisor in advisors:
                planned = is_planned(advisor, day)
                morning.planned += planned
                here = advisor.id in present[day]
                if planned and not here:
                    morning.gaps.append({"advisor": advisor, "reason": _("not recorded")})
                elif is_absent(advisor, day) and not here:
                    until = advisor.absent_to.strftime("%d/%m/%Y") if advisor.absent_to else "…"
                    morning.gaps.append(
                        {
                            "advisor": advisor,
                            "reason": _("absence until %(date)s") % {"date": until},
                        }
                    )
            mornings.append(morning)
        day += dt.timedelta(days=1)
    return mornings
