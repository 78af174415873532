"""The demo's committees (SPEC §6): the weekly production committees, the ten-day forecast
committees that issue the firm orders and the monthly steering committees, with their
minutes, recorded through `contract.meetings` (audited). Their packs are computed from
the data when asked for (`contract.packs`).

Minutes are sent the next working day at 10:00 (within the 24 working hours), so the older
ones are validated by silence 48 working hours later; the Cnam remarks on the steering
committee that reviews the shortage month (amended); a committee of the last working day
keeps draft minutes. Idempotent: a committee already recorded is left as it is.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from decroche.contract.choices import CommitteeKind
from decroche.contract.meetings import meeting_record, minutes_amend, minutes_send
from decroche.contract.models import CommitteeMeeting
from decroche.core.calendar import PARIS, add_working_days, is_working_day

from .orders import demo_periods
from .profiles import SHORTAGE_ABSENCE

WEEKLY_COMMITTEE_WEEKDAY = 3  # Thursday


def demo_committee_days(start: dt.date, end: dt.date) -> list[tuple[str, dt.date]]:
    """(kind, day) of the demo's committees held from `start` to `end`: every working
    Thursday, the firm-order day of every ten-day period (10 working days before it), and
    the first working day of every month after a month of the span."""
    days: set[tuple[str, dt.date]] = set()
    day = start
    while day <= end:
        if day.weekday() == WEEKLY_COMMITTEE_WEEKDAY and is_working_day(day):
            days.add((CommitteeKind.WEEKLY, day))
        if day.day == 1 and day > start:
            days.add((CommitteeKind.MONTHLY, add_working_days(day - dt.timedelta(days=1), 1)))
        day += dt.timedelta(days=1)
    for first, _last in demo_periods(start, end):
        days.add((CommitteeKind.FORECAST, add_working_days(first, -10)))
    return sorted((kind, day) for kind, day in days if start <= day <= end)


def _minutes(kind: str, held_on: dt.date, shortage: tuple[dt.date, dt.date] | None) -> str:
    reviewed = (held_on.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    if kind == CommitteeKind.MONTHLY and shortage and reviewed == shortage[0]:
        return (
            f"Revue des résultats de {reviewed:%m/%Y}. Épidémie hivernale : "
            f"{SHORTAGE_ABSENCE:.0%} des conseillers téléphone planifiés absents chaque jour. "
            "Taux de décroché et conformité au plan de marche sous leurs seuils : pénalités "
            "selon le relevé mensuel. Décision : plan d'action de renfort (recrutement, "
            "formulaires reportés)."
        )
    if kind == CommitteeKind.MONTHLY:
        return (
            f"Revue des résultats de {reviewed:%m/%Y} : niveaux de service suivis, sans remarque."
        )
    if kind == CommitteeKind.FORECAST:
        return "Prévision à J+10, J+20 et J+30 présentée ; commande ferme et indicatives émises."
    if shortage and shortage[0] <= held_on <= shortage[1]:
        return "Production de la semaine : absences au-dessus du prévu, attente en hausse."
    return "Production de la semaine conforme à la prévision."


@transaction.atomic
def demo_committees_ensure(
    *,
    start: dt.date,
    end: dt.date,
    shortage: tuple[dt.date, dt.date] | None = None,
    prepared_by=None,
    client=None,
    now: dt.datetime | None = None,
) -> int:
    """Record the committees of `demo_committee_days` not yet recorded; returns how many."""
    now = now or timezone.now()
    added = 0
    for kind, held_on in demo_committee_days(start, end):
        if CommitteeMeeting.objects.filter(kind=kind, held_on=held_on).exists():
            continue
        meeting = meeting_record(
            kind=kind, held_on=held_on, minutes=_minutes(kind, held_on, shortage), user=prepared_by
        )
        added += 1
        sent_at = dt.datetime.combine(add_working_days(held_on, 1), dt.time(10), tzinfo=PARIS)
        if sent_at > now:
            continue  # the minutes of the last committee are still a draft
        meeting = minutes_send(meeting=meeting, sent_at=sent_at, user=prepared_by)
        reviewed = (held_on.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        if kind == CommitteeKind.MONTHLY and shortage and reviewed == shortage[0]:
            minutes_amend(
                meeting=meeting,
                amendment=(
                    "Remarque de la Cnam : le plan de renfort est attendu avant le prochain "
                    "comité de pilotage, avec un point hebdomadaire sur le taux de décroché."
                ),
                amended_at=min(sent_at + dt.timedelta(hours=4), now),
                user=client,
            )
    return added
