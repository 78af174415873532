"""The trainee's and the manager's pages (issue 13 point 9): "My training" (sign a
half-day by a click or the room code, tests, satisfaction, action plan, transfer,
convocation, certificates) and "My team's training"."""

from __future__ import annotations

import time

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from decroche.core.calendar import paris_today

from .. import followup, rules, selectors, services
from ..choices import EnrolmentStatus, SignatureMethod
from ..forms import (
    ActionPlanForm,
    SatisfactionForm,
    TransferForm,
)
from ..models import (
    ActionPlan,
    Attendance,
    Enrolment,
    SessionHalfDay,
    TransferEvaluation,
)
from .access import (
    ATTEND,
    REQUEST,
    require,
    room_secret,
)


def my_training(request: HttpRequest) -> HttpResponse:
    """The trainee's own enrolments, half-days to sign by a click, certificates."""
    require(request.user, ATTEND)
    enrolments = list(selectors.enrolments_of(request.user))
    signed = {
        (a.enrolment_id, a.half_day_id): a
        for a in Attendance.objects.filter(enrolment__in=enrolments, is_current=True)
    }
    today = paris_today()
    lines = [
        (
            enrolment,
            [
                (half_day, signed.get((enrolment.pk, half_day.pk)), half_day.day == today)
                for half_day in enrolment.session.half_days.all()
            ],
            [c for c in enrolment.certificates.all() if c.is_valid],
        )
        for enrolment in enrolments
    ]
    return render(request, "training/mine.html", {"title": _("My training"), "lines": lines})


@require_POST
def my_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign one's own half-day by a click: time-stamped, IP kept."""
    require(request.user, ATTEND)
    half_day = get_object_or_404(SessionHalfDay, pk=pk)
    enrolment = get_object_or_404(
        selectors.enrolments_of(request.user), session=half_day.session_id
    )
    code = request.POST.get("code", "").strip()
    if code and not rules.room_code_matches(room_secret(), half_day.pk, time.time(), code):
        messages.error(request, _("This is not the code shown in the room."))
        return redirect("training-mine")
    try:
        services.attendance_sign(
            enrolment=enrolment,
            half_day=half_day,
            presence="present",
            by=request.user,
            method=SignatureMethod.CODE if code else SignatureMethod.CLICK,
            ip_address=request.META.get("REMOTE_ADDR"),
        )
    except services.TrainingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your presence is signed."))
    return redirect("training-mine")


def _own_enrolment(request: HttpRequest, pk: int) -> Enrolment:
    require(request.user, ATTEND)
    return get_object_or_404(
        selectors.enrolments_of(request.user).filter(status=EnrolmentStatus.ENROLLED), pk=pk
    )


def my_test(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The trainee's pre-test (before the session) or post-test (after), same questions."""
    enrolment = _own_enrolment(request, pk)
    if kind not in ("pre", "post"):
        raise PermissionDenied
    questions = list(enrolment.session.programme.questions.all())
    if request.method == "POST":
        choices = {}
        for question in questions:
            value = request.POST.get(f"q{question.pk}", "")
            if value.isdigit():
                choices[question.pk] = int(value)
        try:
            right = followup.test_answer(enrolment=enrolment, kind=kind, choices=choices)
        except services.TrainingError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Test recorded: %(right)s right answers out of %(asked)s.")
                % {"right": right, "asked": len(questions)},
            )
            return redirect("training-mine")
    return render(
        request,
        "training/test.html",
        {
            "title": _("Pre-test") if kind == "pre" else _("Post-test"),
            "enrolment": enrolment,
            "questions": questions,
        },
    )


def my_satisfaction(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _own_enrolment(request, pk)
    form = SatisfactionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            followup.satisfaction_answer(enrolment=enrolment, **form.cleaned_data)
        except services.TrainingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Thank you for your answer."))
            return redirect("training-mine")
    return render(
        request,
        "training/form.html",
        {"title": _("Hot satisfaction"), "subtitle": str(enrolment.session), "form": form},
    )


def my_action_plan(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _own_enrolment(request, pk)
    plan = ActionPlan.objects.filter(enrolment=enrolment).first()
    initial = {"self_assessment": plan.self_assessment, "actions": plan.actions} if plan else {}
    form = ActionPlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            followup.action_plan_write(enrolment=enrolment, **form.cleaned_data)
        except services.TrainingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your action plan is saved."))
            return redirect("training-mine")
    return render(
        request,
        "training/form.html",
        {
            "title": _("Self-assessment and personal action plan"),
            "subtitle": str(enrolment.session),
            "form": form,
        },
    )


def transfer_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The transfer evaluation, three months on: by the trainee or by their manager."""
    require(request.user, ATTEND, REQUEST)
    evaluation = get_object_or_404(
        TransferEvaluation.objects.select_related("enrolment__session__programme"), pk=pk
    )
    if not followup.may_answer_transfer(evaluation, request.user):
        raise PermissionDenied
    form = TransferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            followup.transfer_answer(evaluation, by=request.user, **form.cleaned_data)
        except services.TrainingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Thank you for your answer."))
            return redirect(
                "training-mine" if evaluation.respondent == "trainee" else "training-team"
            )
    return render(
        request,
        "training/form.html",
        {
            "title": _("Transfer to the job, three months on"),
            "subtitle": f"{evaluation.enrolment.trainee_name} — {evaluation.enrolment.session}",
            "form": form,
        },
    )


def team(request: HttpRequest) -> HttpResponse:
    """A manager's people: the training of the advisors of the teams they lead, and the
    transfer evaluations they answer as manager."""
    require(request.user, REQUEST)
    enrolments = list(
        Enrolment.objects.filter(advisor__team__leader=request.user)
        .exclude(status=EnrolmentStatus.CANCELLED)
        .select_related("session__programme", "advisor")
        .prefetch_related("certificates", "transfer_evaluations")
        .order_by("advisor__last_name", "session__pk")
    )
    return render(
        request,
        "training/team.html",
        {"title": _("My team's training"), "enrolments": enrolments},
    )
