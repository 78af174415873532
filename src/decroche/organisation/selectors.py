"""Reads of reference data, and the scope of what each person may see (SPEC §9:
access rights follow the need; STYLE habit 5: list querysets restricted by scope).

Scope rules, in one place:
- holders of `organisation.view_all_sites` (planners, quality analysts, trainers, the CSO,
  client auditors, administrators) see every site, team and advisor;
- a site manager sees the sites listed in `Site.managers`, with their teams and advisors;
- a team leader sees the teams they lead (`Team.leader`) and those teams' advisors;
- an advisor sees their own advisor record.
Someone holding several roles sees the union.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from .models import Advisor, ContactReason, Site, Team
from .roster.state import AdvisorState, RosterState, SiteState, TeamState, UserState

VIEW_ALL_SITES = "organisation.view_all_sites"


@dataclass(frozen=True)
class Scope:
    """What one user may see: everything, or explicit sets of ids."""

    everything: bool
    site_ids: frozenset[int] = frozenset()
    team_ids: frozenset[int] = frozenset()
    advisor_ids: frozenset[int] = frozenset()

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.site_ids or self.team_ids or self.advisor_ids)


def user_scope(user) -> Scope:
    """The sites, teams and advisors `user` may see (rules in the module docstring)."""
    if not user.is_authenticated or not user.is_active:
        return Scope(everything=False)
    if user.is_superuser or user.has_perm(VIEW_ALL_SITES):
        return Scope(everything=True)
    site_ids = set(Site.objects.filter(managers=user).values_list("id", flat=True))
    team_ids = set(
        Team.objects.filter(Q(leader=user) | Q(site_id__in=site_ids)).values_list("id", flat=True)
    )
    advisor_ids = set(
        Advisor.objects.filter(
            Q(site_id__in=site_ids) | Q(team_id__in=team_ids) | Q(user=user)
        ).values_list("id", flat=True)
    )
    return Scope(
        everything=False,
        site_ids=frozenset(site_ids),
        team_ids=frozenset(team_ids),
        advisor_ids=frozenset(advisor_ids),
    )


def sites_visible_to(user) -> QuerySet[Site]:
    """Sites the user may see: every site, or the sites they manage or lead a team on."""
    scope = user_scope(user)
    if scope.everything:
        return Site.objects.all()
    return Site.objects.filter(
        Q(id__in=scope.site_ids)
        | Q(teams__id__in=scope.team_ids)
        | Q(advisors__id__in=scope.advisor_ids)
    ).distinct()


def teams_visible_to(user) -> QuerySet[Team]:
    scope = user_scope(user)
    if scope.everything:
        return Team.objects.select_related("site")
    return Team.objects.filter(id__in=scope.team_ids).select_related("site")


def advisors_visible_to(user) -> QuerySet[Advisor]:
    scope = user_scope(user)
    if scope.everything:
        return Advisor.objects.select_related("site", "team")
    return Advisor.objects.filter(id__in=scope.advisor_ids).select_related("site", "team")


def sites_editable_by(user) -> QuerySet[Site]:
    """Sites whose reference data `user` may change (their role must also hold the change
    permission): every site with `view_all_sites` (planners, administrators), else the
    sites they manage. Leading a team gives no right to change it (SPEC §9)."""
    if user_scope(user).everything:
        return Site.objects.all()
    return Site.objects.filter(managers=user)


def teams_editable_by(user) -> QuerySet[Team]:
    return Team.objects.filter(site__in=sites_editable_by(user)).select_related("site", "leader")


def advisors_editable_by(user) -> QuerySet[Advisor]:
    return Advisor.objects.filter(site__in=sites_editable_by(user)).select_related("site", "team")


def scope_filter(scope: Scope, *, site_field: str = "site", advisor_field: str = "advisor") -> Q:
    """A Q restricting contact records to a scope: records of a visible site, or handled
    by a visible advisor. Team leaders therefore see their team's contacts only."""
    if scope.everything:
        return Q()
    if scope.is_empty:
        return Q(pk__in=[])
    return Q(**{f"{site_field}_id__in": scope.site_ids}) | Q(
        **{f"{advisor_field}_id__in": scope.advisor_ids}
    )


def roster_state() -> RosterState:
    """The stored roster as `roster.diff` compares it with a file: sites, teams, advisors
    with their skills and accounts, user accounts and the contact-reason codes."""
    sites = {
        site.code.lower(): SiteState(site.id, site.code, site.name) for site in Site.objects.all()
    }
    teams = {
        team.code.lower(): TeamState(
            team.id,
            team.code,
            team.name,
            team.site.code,
            team.leader.username if team.leader else "",
        )
        for team in Team.objects.select_related("site", "leader")
    }
    reason_codes = dict(ContactReason.objects.values_list("id", "code"))
    skills: dict[int, list[str]] = {}
    for advisor_id, reason_id in Advisor.skills.through.objects.values_list(
        "advisor_id", "contactreason_id"
    ):
        skills.setdefault(advisor_id, []).append(reason_codes[reason_id])
    advisors = {}
    for advisor in Advisor.objects.select_related("site", "team", "user"):
        channel_skills = ["phone"] * advisor.handles_phone + ["form"] * advisor.handles_forms
        advisors[advisor.login] = AdvisorState(
            id=advisor.id,
            login=advisor.login,
            site=advisor.site.code,
            team=advisor.team.code if advisor.team else "",
            last_name=advisor.last_name,
            first_name=advisor.first_name,
            email=advisor.email,
            joined_on=advisor.joined_on,
            left_on=advisor.left_on,
            absent_from=advisor.absent_from,
            absent_to=advisor.absent_to,
            skills=tuple(sorted(channel_skills + skills.get(advisor.id, []))),
            weekly_hours=advisor.weekly_hours,
            username=advisor.user.username if advisor.user else "",
        )
    login_of_user = {
        a.user_id: a.login for a in Advisor.objects.exclude(user=None).only("user_id", "login")
    }
    users = {
        username: UserState(pk, username, email, login_of_user.get(pk, ""))
        for pk, username, email in get_user_model().objects.values_list("id", "username", "email")
    }
    return RosterState(
        sites=sites,
        teams=teams,
        advisors=advisors,
        users=users,
        reasons={code.lower(): code for code in reason_codes.values()},
    )


def roster_sites_allowed(user) -> frozenset[str] | None:
    """Lower-case codes of the sites whose roster `user` may import; None for every site
    (holders of `view_all_sites`: planners, administrators). A site manager imports the
    sites they manage (SPEC §9: rights by need)."""
    scope = user_scope(user)
    if scope.everything:
        return None
    codes = Site.objects.filter(id__in=scope.site_ids).values_list("code", flat=True)
    return frozenset(code.lower() for code in codes)


def advisors_left_with_active_account(*, on: dt.date) -> QuerySet[Advisor]:
    """Advisors whose leaving date (from the roster) is `on` or earlier and whose user
    account is still active: what the leavers' deactivation works through (SPEC §9)."""
    return Advisor.objects.filter(left_on__lte=on, user__is_active=True).select_related("user")
