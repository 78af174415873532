"""Writes of the incident register (issue 14; SPEC §8, §9). Keyword-only, in transactions,
audited without personal data: the audit trail names report ids and kinds, never the
description, statements or health notes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from decroche.core.calendar import paris_day, paris_today
from decroche.core.services import log_action, log_read

from . import rules, selectors
from .choices import (
    Adjustment,
    Consequence,
    DebriefKind,
    ImmediateAction,
    IncidentType,
    ReferralTo,
    Severity,
    Sign,
)
from .models import (
    CheckIn,
    Debrief,
    FollowUp,
    IncidentReport,
    Referral,
    RitualSession,
    TeamRitual,
    Victim,
    Witness,
)


def _check_codes(values: Iterable[str], allowed: Iterable[str], field: str) -> list[str]:
    values = list(dict.fromkeys(values))
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise ValidationError({field: f"unknown values: {', '.join(unknown)}"})
    return values


@transaction.atomic
def report_incident(
    *,
    user,
    occurred_at: dt.datetime,
    site,
    place: str,
    description: str,
    types: Iterable[str],
    severity: int,
    victims: Iterable = (),
    witnesses: Iterable[dict] = (),
    reason=None,
    trigger: str = "",
    aggressiveness: str = "",
    contact_reference: str = "",
    call=None,
    immediate_actions: Iterable[str] = (),
    consequences: Iterable[str] = (),
    health_note: str = "",
) -> IncidentReport:
    """Record one continuous event, then open its follow-up items (due on working days)
    and each victim's check-ins; suicidal intent opens its procedure at once (§8).

    `victims`: advisors, or dicts {"advisor", "statement", "health_note"}."""
    types = _check_codes(types, IncidentType.values, "types")
    if not types:
        raise ValidationError({"types": "at least one type is required"})
    if severity not in Severity.values:
        raise ValidationError({"severity": "severity is 1, 2, 3 or 4"})
    if timezone.is_naive(occurred_at):
        raise ValidationError({"occurred_at": "a time zone is required"})
    report = IncidentReport(
        occurred_at=occurred_at,
        site=site,
        place=place,
        reason=reason,
        trigger=trigger,
        description=description,
        types=types,
        aggressiveness=aggressiveness,
        severity=severity,
        contact_reference=contact_reference,
        call=call,
        immediate_actions=_check_codes(immediate_actions, ImmediateAction.values, "actions"),
        consequences=_check_codes(consequences, Consequence.values, "consequences"),
        health_note=health_note,
        reported_by=user if getattr(user, "is_authenticated", False) else None,
    )
    report.full_clean(exclude=["reported_by", "call", "reason"])
    report.save()
    event_day = paris_day(occurred_at)
    for item in victims:
        entry = item if isinstance(item, dict) else {"advisor": item}
        victim = Victim.objects.create(
            report=report,
            advisor=entry["advisor"],
            statement=entry.get("statement", ""),
            health_note=entry.get("health_note", ""),
        )
        CheckIn.objects.bulk_create(
            CheckIn(victim=victim, kind=slot.kind, opens_on=slot.opens_on, due_on=slot.due_on)
            for slot in rules.check_in_schedule(event_day)
        )
    for entry in witnesses:
        Witness.objects.create(
            report=report,
            advisor=entry.get("advisor"),
            name=entry.get("name", ""),
            statement=entry.get("statement", ""),
        )
    due = rules.follow_up_due_dates(
        event_day, types=set(types), severity=severity, consequences=set(report.consequences)
    )
    FollowUp.objects.bulk_create(
        FollowUp(report=report, kind=kind, due_on=due_on) for kind, due_on in due.items()
    )
    log_action(
        "wellbeing.report.created",
        user=user,
        data={"report": report.pk, "severity": severity, "types": types},
    )
    return report


def read_report(*, user, report: IncidentReport) -> IncidentReport:
    """Check that `user` may read `report`, and record the read in the access history."""
    if not selectors.reports_visible_to(user).filter(pk=report.pk).exists():
        raise PermissionDenied
    log_read(user, report, "detail", action=selectors.READ_ACTION, data={"report": report.pk})
    return report


@transaction.atomic
def complete_follow_up(*, user, follow_up: FollowUp, done_on: dt.date | None = None) -> FollowUp:
    follow_up.done_on = done_on or paris_today()
    follow_up.done_by = user
    follow_up.save(update_fields=["done_on", "done_by"])
    if follow_up.kind == "closure":
        IncidentReport.objects.filter(pk=follow_up.report_id).update(closed_on=follow_up.done_on)
    log_action(
        "wellbeing.follow_up.done",
        user=user,
        data={"report": follow_up.report_id, "kind": follow_up.kind},
    )
    return follow_up


@transaction.atomic
def record_check_in(
    *,
    user,
    check_in: CheckIn,
    signs: Iterable[str] = (),
    referral_consent: bool = False,
    adjustments: Iterable[str] = (),
    return_plan: str = "",
    done_on: dt.date | None = None,
) -> CheckIn:
    """A check-in held; observable signs are referral triggers, never a diagnosis. The
    work adjustments and the return-to-position plan are organisation, not care."""
    signs = _check_codes(signs, Sign.values, "signs")
    check_in.signs = signs
    check_in.adjustments = _check_codes(adjustments, Adjustment.values, "adjustments")
    check_in.return_plan = return_plan
    check_in.referral_proposed = rules.needs_referral(set(signs))
    check_in.referral_consent = referral_consent and check_in.referral_proposed
    check_in.done_on = done_on or paris_today()
    check_in.save()
    log_action(
        "wellbeing.check_in.done",
        user=user,
        data={
            "report": check_in.victim.report_id,
            "kind": check_in.kind,
            "referral_proposed": check_in.referral_proposed,
            "adjustments": check_in.adjustments,
        },
    )
    return check_in


@transaction.atomic
def record_debrief(
    *,
    user,
    report: IncidentReport,
    kind: str,
    held_on: dt.date,
    victim: Victim | None = None,
    participants: int = 1,
    what_happened: str = "",
    what_protected: str = "",
    what_to_change: str = "",
) -> Debrief:
    """A debrief held (issue 14 §3): an individual one names the agent concerned, a
    collective one or the team's feedback session does not. No health field."""
    if kind not in DebriefKind.values:
        raise ValidationError({"kind": f"unknown debrief: {kind}"})
    if (kind == DebriefKind.INDIVIDUAL) != (victim is not None):
        raise ValidationError({"victim": "an individual debrief names one agent, only it"})
    if victim is not None and victim.report_id != report.pk:
        raise ValidationError({"victim": "the agent is not affected by this event"})
    debrief = Debrief(
        report=report,
        kind=kind,
        victim=victim,
        held_on=held_on,
        led_by=user,
        participants=1 if victim is not None else participants,
        what_happened=what_happened,
        what_protected=what_protected,
        what_to_change=what_to_change,
    )
    debrief.full_clean(exclude=["led_by"])
    debrief.save()
    log_action(
        "wellbeing.debrief.recorded",
        user=user,
        data={"report": report.pk, "debrief": debrief.pk, "kind": kind},
    )
    return debrief


@transaction.atomic
def record_referral(
    *,
    user,
    victim: Victim,
    to: str,
    consent: bool,
    consent_on: dt.date | None = None,
    check_in: CheckIn | None = None,
) -> Referral:
    """A referral proposed to the agent, with their answer: consent yes or no, the day,
    and who recorded it (issue 14 §3). Without consent nothing is passed on."""
    if to not in ReferralTo.values:
        raise ValidationError({"to": f"unknown referral: {to}"})
    referral = Referral.objects.create(
        victim=victim,
        check_in=check_in,
        to=to,
        consent=consent,
        consent_on=consent_on or paris_today(),
        recorded_by=user,
    )
    log_action(
        "wellbeing.referral.recorded",
        user=user,
        data={"report": victim.report_id, "referral": referral.pk, "consent": consent},
    )
    return referral


@transaction.atomic
def ritual_set(
    *,
    user,
    team,
    kind: str,
    frequency: str,
    weekday: int,
    starts_at: dt.time,
    week_of_month: int | None = None,
    duration_minutes: int = 15,
) -> TeamRitual:
    """Create or change the schedule of one of a team's rituals (issue 14 §3)."""
    if frequency == "monthly" and not (week_of_month and 1 <= week_of_month <= 4):
        raise ValidationError({"week_of_month": "a monthly ritual needs a week from 1 to 4"})
    ritual, _created = TeamRitual.objects.update_or_create(
        team=team,
        kind=kind,
        defaults={
            "frequency": frequency,
            "weekday": weekday,
            "week_of_month": week_of_month if frequency == "monthly" else None,
            "starts_at": starts_at,
            "duration_minutes": duration_minutes,
        },
    )
    ritual.full_clean()
    log_action(
        "wellbeing.ritual.set",
        user=user,
        data={"ritual": ritual.pk, "team": team.pk, "kind": kind, "frequency": frequency},
    )
    return ritual


@transaction.atomic
def ritual_held(
    *, user, ritual: TeamRitual, held_on: dt.date, participants: int = 0, notes: str = ""
) -> RitualSession:
    """Record that a ritual was held on a day (once per day)."""
    session, _created = RitualSession.objects.update_or_create(
        ritual=ritual,
        held_on=held_on,
        defaults={"participants": participants, "notes": notes, "recorded_by": user},
    )
    log_action(
        "wellbeing.ritual.held",
        user=user,
        data={"ritual": ritual.pk, "held_on": held_on.isoformat()},
    )
    return session


@transaction.atomic
def set_statement_sharing(*, user, victim: Victim, shares: bool) -> Victim:
    """The agent decides whether their manager reads their statement (issue 14 §4)."""
    if victim.advisor.user_id != user.pk:
        raise PermissionDenied
    victim.shares_with_manager = shares
    victim.save(update_fields=["shares_with_manager"])
    log_action(
        "wellbeing.statement.sharing",
        user=user,
        data={"report": victim.report_id, "shares": shares},
    )
    return victim


@transaction.atomic
def apply_retention(*, now: dt.datetime, years: int = 5, dry_run: bool = False) -> int:
    """Anonymise the reports whose event is older than the retention term (§9): texts,
    statements, health notes, witnesses, debrief texts, return plans and the contact
    reference are erased; the facts counted in statistics (date, site, channel, types,
    severity) are kept. The topics of ritual sessions past the term are erased too."""
    limit = now - dt.timedelta(days=365 * years + years // 4)
    expired = IncidentReport.objects.filter(occurred_at__lt=limit, anonymised_at__isnull=True)
    count = expired.count()
    if dry_run:
        return count
    # Ritual sessions hold no report, but their topics are free text: erased at the term.
    RitualSession.objects.filter(held_on__lt=limit.date()).exclude(notes="").update(notes="")
    if not count:
        return count
    ids = list(expired.values_list("pk", flat=True))
    Victim.objects.filter(report_id__in=ids).update(statement="", health_note="")
    Witness.objects.filter(report_id__in=ids).delete()
    Debrief.objects.filter(report_id__in=ids).update(
        what_happened="", what_protected="", what_to_change=""
    )
    CheckIn.objects.filter(victim__report_id__in=ids).update(return_plan="")
    IncidentReport.objects.filter(pk__in=ids).update(
        description="",
        trigger="",
        contact_reference="",
        health_note="",
        call=None,
        anonymised_at=now,
    )
    log_action("wellbeing.retention.applied", data={"reports": count})
    return count
