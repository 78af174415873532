"""Reads of the incident register, restricted by need (SPEC §9; issue 14 §4).

Who sees what, in one place:
- the agent concerned (a victim) and the author of the report: their own reports, with
  their own health-related note;
- a team leader (`view_team_incidents`): reports whose victims are in a team they lead,
  facts and actions only — never a health note, never another team's report;
- the occupational-health referent (`view_health_notes` + `view_all_incidents`): every
  report with its health notes; the prevention officer (`view_all_incidents`): every
  report's facts, no health note;
- the site manager, staff representatives and the client's auditor: statistics only.
- debriefs (operational, no health field): the team leader of the report and whoever sees
  every report; the agent sees the individual debrief about them;
- referrals and the agent's consent: the occupational-health referent, the agent, and the
  leader of the agent's team (who proposes it) — not the prevention officer.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Q, QuerySet

from decroche.contacts.models import Call
from decroche.core.calendar import PARIS, paris_midnight
from decroche.core.models import AuditEntry
from decroche.organisation.models import Advisor, Site, Team

from . import rules
from .choices import IncidentType, Place, Severity
from .models import CheckIn, Debrief, FollowUp, IncidentReport, Referral, TeamRitual, Victim

REPORT = "wellbeing.report_incident"
TEAM = "wellbeing.view_team_incidents"
ALL = "wellbeing.view_all_incidents"
HEALTH = "wellbeing.view_health_notes"
STATISTICS = "wellbeing.view_incident_statistics"
READ_ACTION = "wellbeing.report.read"
HEALTH_ROLE = "occupational_health"


def own_advisor(user) -> Advisor | None:
    if not user.is_authenticated:
        return None
    return Advisor.objects.filter(user=user).first()


def led_team_ids(user) -> set[int]:
    return set(Team.objects.filter(leader=user).values_list("id", flat=True))


def own_reports(user) -> QuerySet[IncidentReport]:
    """Reports where the user is a victim, or that they wrote."""
    if not user.is_authenticated:
        return IncidentReport.objects.none()
    return IncidentReport.objects.filter(
        Q(victims__advisor__user=user) | Q(reported_by=user)
    ).distinct()


def reports_visible_to(user) -> QuerySet[IncidentReport]:
    if not user.is_authenticated or not user.is_active:
        return IncidentReport.objects.none()
    if user.has_perm(ALL):
        return IncidentReport.objects.all()
    condition = Q(victims__advisor__user=user) | Q(reported_by=user)
    if user.has_perm(TEAM):
        condition |= Q(victims__advisor__team_id__in=led_team_ids(user))
    return IncidentReport.objects.filter(condition).distinct()


def team_reports(user) -> QuerySet[IncidentReport]:
    """The reports of the teams the user leads (the manager's page)."""
    if not user.has_perm(TEAM):
        return IncidentReport.objects.none()
    return IncidentReport.objects.filter(
        victims__advisor__team_id__in=led_team_ids(user)
    ).distinct()


def is_health_referent(user) -> bool:
    """The permission held through the occupational-health role itself: the
    administrator's wildcard (every permission) does not open health notes (§9: need)."""
    return bool(
        user.is_authenticated
        and user.has_perm(HEALTH)
        and user.groups.filter(name=HEALTH_ROLE).exists()
    )


def may_see_health_note(user, report: IncidentReport) -> bool:
    """The report-level note: the occupational-health referent only."""
    return is_health_referent(user)


def may_see_victim_health_note(user, victim) -> bool:
    """A victim's own note: the referent, and the agent themself."""
    return is_health_referent(user) or (user.is_authenticated and victim.advisor.user_id == user.pk)


def may_see_statement(user, victim) -> bool:
    """The agent decides what is shared with their manager (issue 14 §4)."""
    if victim.advisor.user_id == user.pk or user.has_perm(ALL):
        return True
    return victim.shares_with_manager


def leads_victim(user, victim: Victim) -> bool:
    """The user leads the affected agent's team (the manager of the check-ins)."""
    return bool(
        user.is_authenticated
        and user.has_perm(TEAM)
        and victim.advisor.team_id in led_team_ids(user)
    )


def may_see_referrals(user, victim: Victim) -> bool:
    if not user.is_authenticated:
        return False
    return (
        is_health_referent(user) or victim.advisor.user_id == user.pk or leads_victim(user, victim)
    )


def may_record_referral(user, victim: Victim) -> bool:
    return is_health_referent(user) or leads_victim(user, victim)


def may_run_debriefs(user, report: IncidentReport) -> bool:
    """Managers of the report's team, and whoever sees every report (prevention)."""
    if not user.is_authenticated:
        return False
    return user.has_perm(ALL) or team_reports(user).filter(pk=report.pk).exists()


def debriefs_visible_to(user, report: IncidentReport) -> QuerySet[Debrief]:
    debriefs = Debrief.objects.filter(report=report).select_related("victim__advisor", "led_by")
    if may_run_debriefs(user, report):
        return debriefs
    if not user.is_authenticated:
        return debriefs.none()
    return debriefs.filter(kind="individual", victim__advisor__user=user)


def referrals_visible_to(user, victim: Victim) -> QuerySet[Referral]:
    """The agent and their team leader see every referral proposed, consented or not; the
    referent sees those the agent consented to (without consent nothing is passed on)."""
    referrals = Referral.objects.filter(victim=victim).select_related("recorded_by")
    if not may_see_referrals(user, victim):
        return referrals.none()
    if victim.advisor.user_id == user.pk or leads_victim(user, victim):
        return referrals
    return referrals.filter(Q(consent=True) | Q(recorded_by=user))


def consented_referrals() -> QuerySet[Referral]:
    """The referent's list: referrals the agents consented to, newest first."""
    return Referral.objects.filter(consent=True).select_related(
        "victim__advisor", "victim__report", "recorded_by"
    )


def rituals_of(user, today: dt.date) -> list[dict]:
    """The rituals of the teams `user` leads, with their next three dates and the last
    sessions held (issue 14 §3)."""
    teams = list(Team.objects.filter(leader=user, is_active=True).order_by("name"))
    rituals = TeamRitual.objects.filter(team__in=teams).prefetch_related("sessions")
    by_team: dict[int, list[dict]] = {team.pk: [] for team in teams}
    for ritual in rituals:
        by_team[ritual.team_id].append(
            {
                "ritual": ritual,
                "next_dates": rules.ritual_dates(
                    frequency=ritual.frequency,
                    weekday=ritual.weekday,
                    week_of_month=ritual.week_of_month,
                    after=today,
                ),
                "sessions": list(ritual.sessions.all()[:5]),
            }
        )
    return [{"team": team, "rituals": by_team[team.pk]} for team in teams]


def readers_of(report: IncidentReport) -> QuerySet[AuditEntry]:
    """Who read this report, and when: the agent sees who read their file."""
    return AuditEntry.objects.filter(action=READ_ACTION, data__report=report.pk).order_by("-at")


def overdue_follow_ups(reports: QuerySet[IncidentReport], today: dt.date) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(
        report__in=reports, done_on__isnull=True, due_on__lt=today
    ).select_related("report")


def due_check_ins(reports: QuerySet[IncidentReport], today: dt.date) -> QuerySet[CheckIn]:
    return CheckIn.objects.filter(
        victim__report__in=reports, done_on__isnull=True, opens_on__lte=today
    ).select_related("victim__advisor", "victim__report")


# --- anonymous statistics (issue 14 §5) ---


def contact_volume(start: dt.date, end: dt.date, site_id: int | None = None) -> int:
    """Calls of the period (the contact volume the rate is expressed against)."""
    calls = Call.objects.filter(day__gte=start, day__lt=end)
    if site_id is not None:
        calls = calls.filter(site_id=site_id)
    return calls.count()


def statistics(start: dt.date, end: dt.date) -> dict:
    """Counts of the events of [start, end) by site, channel, type, severity and hour,
    cells under 5 suppressed (None), and events per 10,000 contacts. No names."""
    # Bounds at Paris midnight: a range on the indexed column, no per-row date conversion.
    since = paris_midnight(start)
    until = paris_midnight(end)
    rows = list(
        IncidentReport.objects.filter(occurred_at__gte=since, occurred_at__lt=until)
        .order_by()
        .values_list("occurred_at", "site_id", "place", "types", "severity", "reason__code")
    )
    by_site: Counter = Counter(row[1] for row in rows)
    by_place: Counter = Counter(row[2] for row in rows)
    by_type: Counter = Counter(kind for row in rows for kind in row[3])
    by_severity: Counter = Counter(row[4] for row in rows)
    by_reason: Counter = Counter(row[5] or "" for row in rows)
    by_hour: Counter = Counter(row[0].astimezone(PARIS).hour for row in rows)
    sites = dict(Site.objects.values_list("id", "code"))
    contacts = contact_volume(start, end)
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "events": rules.suppress(len(rows)),
        "contacts": contacts,
        "per_10000_contacts": (
            rules.per_ten_thousand(len(rows), contacts) if rules.suppress(len(rows)) else None
        ),
        "by_site": {
            sites[site_id]: {
                "events": rules.suppress(count),
                "per_10000_contacts": (
                    rules.per_ten_thousand(count, contact_volume(start, end, site_id))
                    if rules.suppress(count)
                    else None
                ),
            }
            for site_id, count in sorted(by_site.items(), key=lambda item: sites[item[0]])
        },
        "by_channel": {place: rules.suppress(by_place[place]) for place in Place.values},
        "by_type": {kind: rules.suppress(by_type[kind]) for kind in IncidentType.values},
        "by_severity": {
            str(level): rules.suppress(by_severity[level]) for level in Severity.values
        },
        "by_reason": {
            code or "none": rules.suppress(count) for code, count in sorted(by_reason.items())
        },
        "by_hour": {f"{hour:02d}h": rules.suppress(by_hour[hour]) for hour in sorted(by_hour)},
        "suppressed_below": rules.SMALL_CELL,
    }


def difficult_reason_ids(today: dt.date) -> set[int]:
    """Reasons flagged difficult: those an incident report named over the last 90 days."""
    since = paris_midnight(today - dt.timedelta(days=rules.DIFFICULT_REASON_DAYS))
    return set(
        IncidentReport.objects.filter(occurred_at__gte=since, reason__isnull=False)
        .order_by()
        .values_list("reason_id", flat=True)
        .distinct()
    )


def _stretches(calls: QuerySet[Call], difficult: set[int]) -> Counter:
    rows = (
        calls.filter(outcome="answered", advisor__isnull=False)
        .order_by("advisor_id", "day", "arrived_at", "id")
        .values_list("advisor_id", "day", "reason_id", "talk_seconds")
    )
    return rules.long_stretches(
        (agent, day, rules.is_difficult_call(reason, talk or 0, difficult))
        for agent, day, reason, talk in rows.iterator()
    )


def _window(today: dt.date) -> tuple[dt.datetime, dt.date]:
    since = paris_midnight(today - dt.timedelta(days=30))
    return since, since.date()


def load_signs(user, today: dt.date) -> list[dict]:
    """Signs of load per team led by `user`, over the last 30 days (issue 14 §6): events,
    events per 10,000 calls of the team, how many agents had 2 events or more, and the
    long stretches on difficult calls (`rules.long_stretches`) with how many agents had
    one — counts per team, never a ranking of people; prompts for a check-in."""
    since, since_day = _window(today)
    difficult = difficult_reason_ids(today)
    signs = []
    for team in Team.objects.filter(leader=user).order_by("name"):
        victim_rows = list(
            IncidentReport.objects.filter(
                occurred_at__gte=since, victims__advisor__team=team
            ).values_list("pk", "victims__advisor_id")
        )
        per_agent = Counter(advisor_id for _pk, advisor_id in victim_rows)
        events = len({pk for pk, _advisor in victim_rows})
        team_calls = Call.objects.filter(advisor__team=team, day__gte=since_day, day__lte=today)
        stretches = _stretches(team_calls, difficult)
        signs.append(
            {
                "team": team,
                "events": events,
                "per_10000_calls": rules.per_ten_thousand(events, team_calls.count()),
                "repeated_agents": sum(1 for count in per_agent.values() if count >= 2),
                "long_stretches": sum(stretches.values()),
                "stretched_agents": len(stretches),
            }
        )
    return signs


def own_load_signs(user, today: dt.date) -> dict | None:
    """What the manager's counts hold about the agent themself (issue 14 §6): their events
    over 30 days, whether they are among the agents with two events or more, and their
    long stretches on difficult calls."""
    advisor = own_advisor(user)
    if advisor is None:
        return None
    since, since_day = _window(today)
    events = (
        IncidentReport.objects.filter(occurred_at__gte=since, victims__advisor=advisor)
        .distinct()
        .count()
    )
    calls = Call.objects.filter(advisor=advisor, day__gte=since_day, day__lte=today)
    stretches = _stretches(calls, difficult_reason_ids(today))
    return {
        "team": advisor.team,
        "events": events,
        "repeated": events >= 2,
        "long_stretches": stretches[advisor.pk],
    }
