"""Support after the event (issue 14 §3): debriefs, referrals with the agent's consent and
the teams' managerial rituals. Fetch-and-authorise in one helper per object kind."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from decroche.core.calendar import paris_today
from decroche.organisation.models import Team

from .. import selectors, services
from ..forms import DebriefForm, ReferralForm, RitualForm, RitualSessionForm
from ..models import IncidentReport, TeamRitual, Victim


def _report_for_debrief(request: HttpRequest, pk: int) -> IncidentReport:
    report = get_object_or_404(IncidentReport, pk=pk)
    if not selectors.may_run_debriefs(request.user, report):
        raise PermissionDenied
    return report


def _victim_for_referral(request: HttpRequest, pk: int) -> Victim:
    victim = get_object_or_404(Victim.objects.select_related("advisor", "report"), pk=pk)
    if not selectors.may_record_referral(request.user, victim):
        raise PermissionDenied
    return victim


def _team_led(request: HttpRequest, pk: int) -> Team:
    team = get_object_or_404(Team, pk=pk)
    if not request.user.has_perm(selectors.TEAM) or team.leader_id != request.user.pk:
        raise PermissionDenied
    return team


def _ritual_led(request: HttpRequest, pk: int) -> TeamRitual:
    ritual = get_object_or_404(TeamRitual.objects.select_related("team"), pk=pk)
    if not request.user.has_perm(selectors.TEAM) or ritual.team.leader_id != request.user.pk:
        raise PermissionDenied
    return ritual


@login_required
def debrief_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an individual or collective debrief, or the team's feedback session."""
    report = _report_for_debrief(request, pk)
    form = DebriefForm(
        request.POST or None,
        victims=report.victims.select_related("advisor"),
        initial={"held_on": paris_today()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.record_debrief(
            user=request.user,
            report=report,
            kind=data["kind"],
            victim=data["victim"],
            held_on=data["held_on"],
            participants=data["participants"],
            what_happened=data["what_happened"],
            what_protected=data["what_protected"],
            what_to_change=data["what_to_change"],
        )
        return redirect("incident-detail", report.pk)
    return render(request, "wellbeing/debrief_form.html", {"form": form, "report": report})


@login_required
def referral_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a referral proposed to an affected agent, with their consent or refusal."""
    victim = _victim_for_referral(request, pk)
    form = ReferralForm(request.POST or None, initial={"consent_on": paris_today()})
    if request.method == "POST" and form.is_valid():
        services.record_referral(
            user=request.user,
            victim=victim,
            to=form.cleaned_data["to"],
            consent=form.cleaned_data["consent"],
            consent_on=form.cleaned_data["consent_on"],
        )
        return redirect("incident-detail", victim.report_id)
    return render(request, "wellbeing/referral_form.html", {"form": form, "victim": victim})


@login_required
def ritual_set(request: HttpRequest, pk: int) -> HttpResponse:
    """Set the schedule of one of the user's team's rituals."""
    team = _team_led(request, pk)
    form = RitualForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.ritual_set(user=request.user, team=team, **form.cleaned_data)
        return redirect("incident-toolbox")
    return render(request, "wellbeing/ritual_form.html", {"form": form, "team": team})


@login_required
def ritual_session_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that a ritual was held on a day."""
    ritual = _ritual_led(request, pk)
    form = RitualSessionForm(request.POST or None, initial={"held_on": paris_today()})
    if request.method == "POST" and form.is_valid():
        services.ritual_held(user=request.user, ritual=ritual, **form.cleaned_data)
        return redirect("incident-toolbox")
    return render(request, "wellbeing/ritual_form.html", {"form": form, "ritual": ritual})
