"""Incident pages: the register (issue 14; SPEC §8, §9). Thin views: reads in selectors, writes in
services; permission AND scope checked on the server; every read of a report audited."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from decroche.core.calendar import next_month_first, paris_today
from decroche.core.downloads import XLSX, file_response
from decroche.organisation.models import Advisor, ContactReason, Site
from decroche.organisation.selectors import advisors_visible_to, sites_visible_to

from .. import exports, selectors, services, toolbox, trends
from ..forms import CheckInForm, ReportForm, RitualForm, RitualSessionForm
from ..models import CheckIn, FollowUp, IncidentReport, Victim


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _report_choices(request: HttpRequest):
    """Sites and agents the author may name: their own, or those in their scope."""
    own = selectors.own_advisor(request.user)
    advisor_ids = set(advisors_visible_to(request.user).values_list("id", flat=True))
    site_ids = set(sites_visible_to(request.user).values_list("id", flat=True))
    if own is not None:
        advisor_ids.add(own.pk)
        site_ids.add(own.site_id)
    return (
        own,
        Site.objects.filter(id__in=site_ids),
        Advisor.objects.filter(id__in=advisor_ids, left_on__isnull=True),
    )


@login_required
def report_new(request: HttpRequest) -> HttpResponse:
    _require(request, selectors.REPORT)
    own, sites, advisors = _report_choices(request)
    initial = {"site": own.site_id, "victims": [own.pk]} if own else {}
    form = ReportForm(
        request.POST or None,
        sites=sites,
        advisors=advisors,
        reasons=ContactReason.objects.filter(active_to__isnull=True),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        victims = list(data["victims"])
        # The statement is the author's own when they are affected, else the only agent's.
        speaker = own if own in victims else (victims[0] if len(victims) == 1 else None)
        witnesses = (
            [
                {
                    "advisor": data["witness"],
                    "name": data["witness_name"],
                    "statement": data["witness_statement"],
                }
            ]
            if data["witness"] or data["witness_name"]
            else []
        )
        report = services.report_incident(
            user=request.user,
            occurred_at=data["occurred_at"],
            site=data["site"],
            place=data["place"],
            description=data["description"],
            types=data["types"],
            severity=data["severity"],
            victims=[
                {
                    "advisor": advisor,
                    "statement": data["statement"] if advisor == speaker else "",
                }
                for advisor in victims
            ],
            witnesses=witnesses,
            reason=data["reason"],
            trigger=data["trigger"],
            aggressiveness=data["aggressiveness"],
            contact_reference=data["contact_reference"],
            immediate_actions=data["immediate_actions"],
            consequences=data["consequences"],
            health_note=data["health_note"],
        )
        return redirect("incident-detail", report.pk)
    return render(request, "wellbeing/report_form.html", {"form": form})


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(IncidentReport, pk=pk)
    services.read_report(user=request.user, report=report)  # scope check + access history
    user = request.user
    manages = user.has_perm(selectors.TEAM) or user.has_perm(selectors.ALL)
    victims = [
        {
            "victim": victim,
            "statement": victim.statement if selectors.may_see_statement(user, victim) else None,
            "health_note": (
                victim.health_note if selectors.may_see_victim_health_note(user, victim) else None
            ),
            "check_ins": [
                (
                    check_in,
                    CheckInForm(kind=check_in.kind, auto_id=f"id_check_in_{check_in.pk}_%s")
                    if manages and not check_in.done_on
                    else None,
                )
                for check_in in victim.check_ins.all()
            ],
            "referrals": (
                list(selectors.referrals_visible_to(user, victim))
                if selectors.may_see_referrals(user, victim)
                else None
            ),
            "may_refer": selectors.may_record_referral(user, victim),
        }
        for victim in report.victims.select_related("advisor")
    ]
    own_file = selectors.own_reports(user).filter(pk=report.pk).exists()
    return render(
        request,
        "wellbeing/report_detail.html",
        {
            "report": report,
            "health_note": report.health_note
            if selectors.may_see_health_note(user, report)
            else None,
            "victims": victims,
            "follow_ups": report.follow_ups.all(),
            "witnesses": report.witnesses.select_related("advisor"),
            "manages": manages,
            "readers": selectors.readers_of(report) if own_file else None,
            "debriefs": selectors.debriefs_visible_to(user, report),
            "may_debrief": selectors.may_run_debriefs(user, report),
            "today": paris_today(),
        },
    )


@login_required
def own_file(request: HttpRequest) -> HttpResponse:
    """The agent's own reports, and who read them (issue 14 §4)."""
    _require(request, selectors.REPORT)
    reports = list(selectors.own_reports(request.user).select_related("site"))
    for report in reports:
        report.reader_entries = list(selectors.readers_of(report)[:20])
        report.own_victim = report.victims.filter(advisor__user=request.user).first()
    return render(
        request,
        "wellbeing/own_file.html",
        {
            "reports": reports,
            "load": selectors.own_load_signs(request.user, paris_today()),
        },
    )


@login_required
def team_list(request: HttpRequest) -> HttpResponse:
    """The manager's page: their team's reports, overdue items and check-ins due."""
    _require(request, selectors.TEAM)
    reports = selectors.team_reports(request.user)
    today = paris_today()
    return render(
        request,
        "wellbeing/team_list.html",
        {
            "reports": reports.select_related("site")[:200],
            "overdue": selectors.overdue_follow_ups(reports, today),
            "check_ins": selectors.due_check_ins(reports, today),
            "load_signs": selectors.load_signs(request.user, today),
            "team_rituals": selectors.rituals_of(request.user, today),
            "today": today,
        },
    )


@login_required
def health_view(request: HttpRequest) -> HttpResponse:
    """The occupational-health referent's view: open reports and referrals proposed."""
    if not selectors.is_health_referent(request.user):
        raise PermissionDenied
    reports = IncidentReport.objects.filter(closed_on__isnull=True).select_related("site")
    referrals = CheckIn.objects.filter(referral_proposed=True).select_related(
        "victim__advisor", "victim__report"
    )
    return render(
        request,
        "wellbeing/health.html",
        {
            "reports": reports[:200],
            "referrals": referrals[:200],
            "consented": selectors.consented_referrals()[:200],
        },
    )


@require_POST
@login_required
def follow_up_done(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = get_object_or_404(FollowUp, pk=pk)
    if not (request.user.has_perm(selectors.TEAM) or request.user.has_perm(selectors.ALL)):
        raise PermissionDenied
    if not selectors.reports_visible_to(request.user).filter(pk=follow_up.report_id).exists():
        raise PermissionDenied
    services.complete_follow_up(user=request.user, follow_up=follow_up)
    return redirect("incident-detail", follow_up.report_id)


@require_POST
@login_required
def check_in_done(request: HttpRequest, pk: int) -> HttpResponse:
    check_in = get_object_or_404(CheckIn.objects.select_related("victim"), pk=pk)
    report_id = check_in.victim.report_id
    if not request.user.has_perm(selectors.TEAM) and not request.user.has_perm(selectors.ALL):
        raise PermissionDenied
    if not selectors.reports_visible_to(request.user).filter(pk=report_id).exists():
        raise PermissionDenied
    form = CheckInForm(request.POST, kind=check_in.kind)
    if form.is_valid():
        data = form.cleaned_data
        services.record_check_in(
            user=request.user,
            check_in=check_in,
            signs=data.get("signs", ()),
            referral_consent=data.get("referral_consent", False),
            adjustments=data.get("adjustments", ()),
            return_plan=data.get("return_plan", ""),
        )
    return redirect("incident-detail", report_id)


def _period(request: HttpRequest) -> dt.date:
    text = request.GET.get("period", "")
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        return paris_today().replace(day=1)


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    _require(request, selectors.STATISTICS)
    start = _period(request)
    end = next_month_first(start)
    stats = selectors.statistics(start, end)
    context = {
        "stats": stats,
        "tables": exports.tables(stats),
        "start": start,
        "trends": trends.training_trends(min(paris_today(), end)),
        "window_days": trends.WINDOW_DAYS,
    }
    return render(request, "wellbeing/statistics.html", context)


@login_required
def statistics_export(request: HttpRequest) -> HttpResponse:
    _require(request, selectors.STATISTICS)
    start = _period(request)
    end = next_month_first(start)
    stats = selectors.statistics(start, end)
    content = exports.statistics_xlsx(stats, trends.training_trends(min(paris_today(), end)))
    return file_response(content, f"incidents-{start:%Y-%m}.xlsx", XLSX)


@login_required
def manager_toolbox(request: HttpRequest) -> HttpResponse:
    """Debrief templates, procedure sheets, relays and rituals (issue 14 §3)."""
    if not (request.user.has_perm(selectors.TEAM) or request.user.has_perm(selectors.ALL)):
        raise PermissionDenied
    return render(
        request,
        "wellbeing/toolbox.html",
        {
            "debriefs": toolbox.DEBRIEFS,
            "procedures": toolbox.PROCEDURES,
            "relays": toolbox.RELAYS,
            "rituals": toolbox.RITUALS,
            "warning_letter": toolbox.WARNING_LETTER,
            "team_rituals": selectors.rituals_of(request.user, paris_today()),
            "ritual_form": RitualForm(),
            "session_form": RitualSessionForm(initial={"held_on": paris_today()}),
        },
    )


@require_POST
@login_required
def statement_sharing(request: HttpRequest, pk: int) -> HttpResponse:
    """The agent shares or withholds their statement from their manager."""
    victim = get_object_or_404(Victim.objects.select_related("advisor"), pk=pk)
    services.set_statement_sharing(
        user=request.user, victim=victim, shares=request.POST.get("shares") == "1"
    )
    return redirect("incident-mine")
