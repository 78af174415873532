"""Quality pages (SPEC §7): evaluations in scope, evaluating a contact, an evaluation with
its history, acknowledgement and disputes, an advisor's quality page, calibrations scored
blind. Thin views: reads in selectors, writes in services; scope checked on the server."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from decroche.contacts.models import Call, ContactForm
from decroche.core.calendar import paris_today
from decroche.core.downloads import XLSX, file_response
from decroche.core.services import log_read
from decroche.organisation.models import Advisor
from decroche.organisation.selectors import advisors_visible_to
from decroche.replies.choices import TemplateKind
from decroche.replies.selectors import versions_in_force_for_reason

from . import exports, selectors, services
from .choices import CalibrationStatus, EvaluatedObject, GridOwner, GridStatus
from .forms import DisputeForm, EvaluationForm
from .models import CalibrationItem, CalibrationSession, GridVersion, Ticket

CONTACT_MODELS = {
    EvaluatedObject.CALL: Call,
    EvaluatedObject.FORM: ContactForm,
    EvaluatedObject.TICKET: Ticket,
}


def _own_advisor(request: HttpRequest) -> Advisor | None:
    return Advisor.objects.filter(user=request.user).first()


def _may_read_quality(request: HttpRequest) -> bool:
    user = request.user
    return (
        user.has_perm(selectors.VIEW_IN_SCOPE)
        or user.has_perm(selectors.EVALUATE)
        or _own_advisor(request) is not None
    )


def evaluation_list(request: HttpRequest) -> HttpResponse:
    """Evaluations in the user's scope (an advisor: their own), newest first."""
    if not _may_read_quality(request):
        raise PermissionDenied
    evaluations = selectors.evaluations_visible_to(request.user).select_related(
        "advisor", "grid_version__grid", "evaluator"
    )
    advisor_code = request.GET.get("advisor", "")
    if advisor_code:
        evaluations = evaluations.filter(advisor__login=advisor_code)
    page = Paginator(evaluations, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "quality/evaluation_list.html",
        {
            "page": page,
            "advisor_code": advisor_code,
            "own": _own_advisor(request),
            "title": _("Quality evaluations"),
        },
    )


def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One evaluation: answers, section scores, history, disputes; the advisor acknowledges
    or disputes it here."""
    if not _may_read_quality(request):
        raise PermissionDenied
    evaluation = get_object_or_404(selectors.evaluations_visible_to(request.user), pk=pk)
    own = evaluation.advisor.user_id == request.user.pk
    sections = selectors.grid_version_sections(evaluation.grid_version)
    questions = [(q.code, q.label) for s in sections for q in s.questions.all()]
    dispute_form = DisputeForm(request.POST or None, questions=questions)
    if request.method == "POST":
        if not own:
            raise PermissionDenied
        try:
            if "acknowledge" in request.POST:
                services.evaluation_acknowledge(evaluation, user=request.user)
                messages.success(request, _("Evaluation acknowledged."))
                return redirect("quality-evaluation", pk=pk)
            if dispute_form.is_valid():
                services.dispute_raise(
                    evaluation,
                    by=request.user,
                    reason=dispute_form.cleaned_data["reason"],
                    question_code=dispute_form.cleaned_data["question"],
                    today=paris_today(),
                )
                messages.success(request, _("Your dispute has been recorded."))
                return redirect("quality-evaluation", pk=pk)
        except services.QualityError as error:
            messages.error(request, str(error))
    answers = {a.question_id: a for a in evaluation.answers.select_related("option")}
    if not own and request.method == "GET":  # a named advisor's evaluation (SPEC §9)
        log_read(request, evaluation, "detail", data={"advisor": evaluation.advisor_id})
    return render(
        request,
        "quality/evaluation_detail.html",
        {
            "title": _("Evaluation"),
            "evaluation": evaluation,
            "sections": [
                (section, [(q, answers.get(q.pk)) for q in section.questions.all()])
                for section in sections
            ],
            "history": selectors.evaluation_history(evaluation),
            "disputes": evaluation.disputes.select_related("question", "reviewer"),
            "own": own,
            "dispute_form": dispute_form,
            "dispute_deadline": services.dispute_deadline(evaluation),
        },
    )


def _grid_for(request: HttpRequest, evaluated_object: str) -> GridVersion:
    """The published grid of the evaluator's party for this object (the contractor's when
    the Cnam has entered none)."""
    party = GridOwner.CNAM if request.user.has_perm(selectors.FOR_CNAM) else GridOwner.CONTRACTOR
    versions = GridVersion.objects.filter(
        status=GridStatus.PUBLISHED, grid__evaluated_object=evaluated_object
    ).select_related("grid")
    version = versions.filter(grid__owner=party).first() or versions.first()
    if version is None:
        raise Http404(_("No published grid evaluates this kind of contact."))
    return version


@permission_required(selectors.EVALUATE, raise_exception=True)
def evaluation_new(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Evaluate a contact of the user's scope (ad hoc, from a sampling plan or in a
    calibration when `?calibration=ITEM` is given)."""
    if kind not in CONTACT_MODELS:
        raise Http404
    contact = get_object_or_404(CONTACT_MODELS[EvaluatedObject(kind)], pk=pk)
    if (
        contact.advisor is None
        or not advisors_visible_to(request.user).filter(pk=contact.advisor_id).exists()
    ):
        raise PermissionDenied
    item = None
    if request.GET.get("calibration"):
        item = get_object_or_404(CalibrationItem, pk=request.GET["calibration"])
        version = item.session.grid_version
    else:
        version = _grid_for(request, kind)
    form = EvaluationForm(request.POST or None, sections=selectors.grid_version_sections(version))
    if request.method == "POST" and form.is_valid():
        party = (
            GridOwner.CNAM if request.user.has_perm(selectors.FOR_CNAM) else GridOwner.CONTRACTOR
        )
        try:
            evaluation = services.evaluation_submit(
                evaluator=request.user,
                party=party,
                version=version,
                advisor=contact.advisor,
                contact=contact,
                answers=form.answers(),
                comment=form.cleaned_data["comment"],
                calibration_item=item,
            )
        except services.QualityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Evaluation recorded: %(total)s / 100.") % {"total": evaluation.total}
            )
            if item is not None:
                return redirect("quality-calibration", pk=item.session_id)
            return redirect("quality-evaluation", pk=evaluation.pk)
    return render(
        request,
        "quality/evaluation_form.html",
        {
            "form": form,
            "version": version,
            "contact": contact,
            "kind": kind,
            "item": item,
            "reply_templates": _reply_templates_in_force(contact, kind),
            "title": _("Evaluate a contact"),
        },
    )


def _reply_templates_in_force(contact, kind: str) -> list:
    """For a written reply, the templates in force for its reason on the day it came in:
    the evaluator checks the "right template used" item against them (SPEC §1)."""
    if kind != EvaluatedObject.FORM or contact.reason_id is None:
        return []
    return versions_in_force_for_reason(contact.reason_id, TemplateKind.REPLY, contact.received_day)


def advisor_quality(request: HttpRequest, pk: int) -> HttpResponse:
    """An advisor's quality trend, open coaching actions and recent evaluations."""
    advisor = get_object_or_404(Advisor, pk=pk)
    is_self = advisor.user_id == request.user.pk
    in_scope = (
        request.user.has_perm(selectors.VIEW_IN_SCOPE)
        and advisors_visible_to(request.user).filter(pk=pk).exists()
    )
    if not (is_self or in_scope):
        raise PermissionDenied
    if not is_self:  # a named advisor's quality page (SPEC §9 access history)
        log_read(request, advisor, "quality", action="quality.advisor.read")
    today = paris_today()
    return render(
        request,
        "quality/advisor_quality.html",
        {
            "title": _("Quality of an advisor"),
            "advisor": advisor,
            "trend": selectors.advisor_quality_trend(advisor, months=6, today=today),
            "coachings": selectors.open_coachings(advisor),
            "recent": selectors.evaluations_visible_to(request.user)
            .filter(advisor=advisor)
            .select_related("grid_version__grid")[:10],
            "commitment": selectors.commitment_on(today),
        },
    )


@permission_required("quality.view_calibrationsession", raise_exception=True)
def calibration_list(request: HttpRequest) -> HttpResponse:
    sessions = CalibrationSession.objects.select_related("grid_version__grid")
    return render(
        request, "quality/calibration_list.html", {"sessions": sessions, "title": _("Calibrations")}
    )


@permission_required("quality.view_calibrationsession", raise_exception=True)
def calibration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A calibration: while it is scored, each evaluator sees only their own scores (the
    blind rule); once revealed, the gaps per contact, section and question."""
    session = get_object_or_404(CalibrationSession, pk=pk)
    if request.method == "POST" and "reveal" in request.POST:
        if not request.user.has_perm(selectors.MANAGE):
            raise PermissionDenied
        try:
            services.calibration_reveal(session, user=request.user)
        except services.QualityError as error:
            messages.error(request, str(error))
        return redirect("quality-calibration", pk=pk)
    visible = selectors.calibration_evaluations_visible(session, request.user)
    report = section_labels = lines = bias = None
    if session.status != CalibrationStatus.SCORING:
        report = selectors.calibration_report(session)
        sections = [s for s in selectors.grid_version_sections(session.grid_version) if not s.bonus]
        section_labels = [s.label for s in sections]
        questions = {q.code: q.label for s in sections for q in s.questions.all()}
        lines = [
            (
                line,
                [line.gap.section_gaps[s.code] for s in sections] if line.gap else [],
                [questions.get(code, code) for code in line.gap.critical_disagreements]
                if line.gap
                else [],
            )
            for line in report.lines
        ]
        bias = selectors.evaluator_names(report.bias)
    return render(
        request,
        "quality/calibration_detail.html",
        {
            "title": session.title,
            "session": session,
            "items": session.items.select_related("call", "form", "ticket"),
            "visible": visible.select_related("evaluator", "calibration_item"),
            "report": report,
            "section_labels": section_labels,
            "lines": lines,
            "bias": bias,
            "may_score": request.user.has_perm(selectors.EVALUATE),
            "may_reveal": request.user.has_perm(selectors.MANAGE),
        },
    )


# --- XLSX exports (core.exports): scoped like the pages, the blind rule kept ---------------


def evaluation_export(request: HttpRequest) -> HttpResponse:
    """The evaluations of the list (same scope and advisor filter) as a workbook."""
    if not _may_read_quality(request):
        raise PermissionDenied
    evaluations = selectors.evaluations_visible_to(request.user)
    if request.GET.get("advisor"):
        evaluations = evaluations.filter(advisor__login=request.GET["advisor"])
    return file_response(
        exports.evaluations_workbook(evaluations),
        f"evaluations-qualite-{paris_today():%Y-%m-%d}.xlsx",
        XLSX,
    )


@permission_required("quality.view_calibrationsession", raise_exception=True)
def calibration_export(request: HttpRequest, pk: int) -> HttpResponse:
    """A revealed calibration's gaps as a workbook; nothing while it is scored blind."""
    session = get_object_or_404(CalibrationSession, pk=pk)
    if session.status == CalibrationStatus.SCORING:
        raise PermissionDenied
    return file_response(
        exports.calibration_workbook(session),
        f"calibrage-{session.held_on:%Y-%m-%d}-{session.pk}.xlsx",
        XLSX,
    )
