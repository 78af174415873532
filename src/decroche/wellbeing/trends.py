"""Incidents before and after the difficult-situations training (issue 14 §5; SPEC §8).

For each session of that training that has ended, the events its trainees suffered (as
victims) in a window before its first half-day and in a window of the same length after
its last one, each against the calls the trainees handled in it: events per 10,000
calls. The after-window is at most `WINDOW_DAYS` long and stops at today; the
before-window has the same length, so the two are comparable. Counts under 5 are
suppressed, as in every incident statistic: no names, and no cell small enough to point
at someone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max, Min
from django.utils.translation import gettext as _

from decroche.contacts.models import Call
from decroche.core.calendar import paris_midnight
from decroche.organisation.models import Advisor
from decroche.training.choices import EnrolmentStatus, SessionStatus
from decroche.training.models import Enrolment, Session
from decroche.training.selectors import BeforeAfter

from . import rules
from .models import IncidentReport

WINDOW_DAYS = 90
# The programmes whose effect is followed: the agents' course on difficult situations
# (demo code); a deployment names its own in the setting INCIDENT_TREND_PROGRAMMES.
DEFAULT_PROGRAMMES = ("situations-difficiles-agents",)


@dataclass(frozen=True)
class Window:
    start: dt.date
    end: dt.date  # exclusive
    events: int | None  # None: suppressed (under 5)
    calls: int
    per_10000_calls: float | None


@dataclass(frozen=True)
class SessionTrend:
    reference: str
    programme: str
    first_day: dt.date
    last_day: dt.date
    trainees: int
    before: Window
    after: Window

    @property
    def days(self) -> int:
        return (self.after.end - self.after.start).days


def _window(trainees: list[int], start: dt.date, end: dt.date) -> Window:
    since = paris_midnight(start)
    until = paris_midnight(end)
    events = (
        IncidentReport.objects.filter(
            occurred_at__gte=since, occurred_at__lt=until, victims__advisor_id__in=trainees
        )
        .distinct()
        .count()
    )
    calls = Call.objects.filter(advisor_id__in=trainees, day__gte=start, day__lt=end).count()
    shown = rules.suppress(events)
    rate = rules.per_ten_thousand(events, calls) if shown is not None else None
    return Window(start, end, shown, calls, rate)


def training_trends(today: dt.date, *, window_days: int = WINDOW_DAYS) -> list[SessionTrend]:
    """One line per ended session of the followed programmes, newest first."""
    codes = getattr(settings, "INCIDENT_TREND_PROGRAMMES", DEFAULT_PROGRAMMES)
    sessions = (
        Session.objects.filter(programme__code__in=codes)
        .exclude(status__in=[SessionStatus.CANCELLED, SessionStatus.CANCELLED_BY_BODY])
        .annotate(first_day=Min("half_days__day"), last_day=Max("half_days__day"))
        .filter(last_day__lt=today)
        .select_related("programme")
        .order_by("-last_day", "reference")
    )
    trends = []
    for session in sessions:
        trainees = list(
            Enrolment.objects.filter(
                session=session, status=EnrolmentStatus.ENROLLED, advisor__isnull=False
            ).values_list("advisor_id", flat=True)
        )
        after_start = session.last_day + dt.timedelta(days=1)
        length = min(window_days, (today - after_start).days)
        if not trainees or length <= 0:
            continue
        span = dt.timedelta(days=length)
        trends.append(
            SessionTrend(
                reference=session.reference,
                programme=session.programme.title,
                first_day=session.first_day,
                last_day=session.last_day,
                trainees=len(trainees),
                before=_window(trainees, session.first_day - span, session.first_day),
                after=_window(trainees, after_start, after_start + span),
            )
        )
    return trends


def trends_as_dicts(trends: list[SessionTrend]) -> list[dict]:
    """The lines as JSON: dates in ISO form."""

    def window(w: Window) -> dict:
        return {
            "start": w.start.isoformat(),
            "end": w.end.isoformat(),
            "events": w.events,
            "calls": w.calls,
            "per_10000_calls": w.per_10000_calls,
        }

    return [
        {
            "session": t.reference,
            "programme": t.programme,
            "first_day": t.first_day.isoformat(),
            "last_day": t.last_day.isoformat(),
            "trainees": t.trainees,
            "days": t.days,
            "before": window(t.before),
            "after": window(t.after),
        }
        for t in trends
    ]


def incidents_before_after(
    logins: set[str], before: tuple[dt.date, dt.date], after: tuple[dt.date, dt.date]
) -> BeforeAfter:
    """Beside a session's evaluation (issue 13 point 6): the incidents its trainees
    suffered per 10,000 calls they handled, before and after (first and last day
    included), suppressed under 5 events like every incident statistic. Registered with
    `training.selectors.before_after_register` when the app starts."""
    trainees = list(Advisor.objects.filter(login__in=logins).values_list("pk", flat=True))
    one_day = dt.timedelta(days=1)
    rates = [
        _window(trainees, first, last + one_day).per_10000_calls for first, last in (before, after)
    ]
    return BeforeAfter(_("Incidents suffered per 10,000 calls handled"), "count", *rates)
