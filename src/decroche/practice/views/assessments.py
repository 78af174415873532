"""Two-evaluator assessment pages (issue 15 §5–6): an evaluator sees only the assessments
assigned to them and fills their grid blind; the other evaluator's grid and the
differences appear only once both are submitted; reconciliation and co-signature."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from decroche.core.downloads import PDF, file_response
from decroche.core.services import log_action

from .. import exports, selectors, services
from ..choices import AssessmentStatus, Reconciliation
from ..forms import AssessmentCreateForm, EvidenceForm
from ..models import Assessment, Criterion

EVALUATE = "practice.evaluate_competencies"
MANAGE = "practice.manage_assessments"


def _may_open(request: HttpRequest) -> None:
    if not (request.user.has_perm(EVALUATE) or request.user.has_perm(MANAGE)):
        raise PermissionDenied


def _assessment_for(request: HttpRequest, pk: int) -> Assessment:
    """Fetch an assessment the user evaluates (or, for the jury, any) and authorise."""
    _may_open(request)
    assessment = get_object_or_404(selectors.assessments_visible_to(request.user), pk=pk)
    is_evaluator = request.user.pk in (assessment.evaluator_a_id, assessment.evaluator_b_id)
    if not is_evaluator and not request.user.has_perm(MANAGE):
        raise PermissionDenied
    return assessment


def assessment_list(request: HttpRequest) -> HttpResponse:
    """The assessments assigned to the user; the jury sees all and creates new ones."""
    _may_open(request)
    form = AssessmentCreateForm(request.POST or None) if request.user.has_perm(MANAGE) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                assessment = services.assessment_create(
                    candidate=form.cleaned_data["candidate"],
                    framework=selectors.framework_current(),
                    evaluator_a=form.cleaned_data["evaluator_a"],
                    evaluator_b=form.cleaned_data["evaluator_b"],
                    user=request.user,
                )
            except services.AssessmentError as error:
                form.add_error(None, str(error))
            else:
                return redirect("practice-assessment", pk=assessment.pk)
    assessments = selectors.assessments_visible_to(request.user).exclude(candidate=request.user)
    return render(
        request,
        "practice/assessment_list.html",
        {"assessments": assessments, "form": form, "title": _("Competency assessments")},
    )


def _handle_post(request: HttpRequest, assessment: Assessment) -> None:
    action = request.POST.get("action", "")
    user = request.user
    if action in ("save", "submit"):
        levels = {
            int(key.removeprefix("level_")): int(value)
            for key, value in request.POST.items()
            if key.startswith("level_") and value != ""
        }
        comments = {
            key.removeprefix("comment_"): value
            for key, value in request.POST.items()
            if key.startswith("comment_")
        }
        services.grid_fill(assessment=assessment, evaluator=user, levels=levels, comments=comments)
        if action == "submit":
            services.grid_submit(assessment=assessment, evaluator=user)
    elif action == "reconcile":
        criterion = get_object_or_404(
            Criterion.objects.filter(competency__block__framework=assessment.framework),
            pk=int(request.POST.get("criterion", "0")),
        )
        level = request.POST.get("level", "")
        services.criterion_reconcile(
            assessment=assessment,
            criterion=criterion,
            user=user,
            outcome=request.POST.get("outcome", ""),
            level=int(level) if level != "" else None,
            justification=request.POST.get("justification", ""),
        )
    elif action == "sign":
        services.assessment_sign(assessment=assessment, evaluator=user)
    else:
        raise ValueError(action)


def assessment_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The candidate's file (PDF), once the result is co-signed: for its evaluators, the
    jury and the candidate themself."""
    assessment = selectors.assessments_of_candidate(request.user).filter(
        pk=pk, status=AssessmentStatus.SIGNED
    ).first() or _assessment_for(request, pk)
    if assessment.status != AssessmentStatus.SIGNED:
        raise PermissionDenied
    content = exports.candidate_file_pdf(assessment, generated_by=request.user.get_username())
    log_action(
        "practice.assessment.file_downloaded", user=request.user, data={"assessment": assessment.pk}
    )
    return file_response(content, f"dossier-candidat-{assessment.pk}.pdf", PDF)


def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment_for(request, pk)
    if request.method == "POST":
        try:
            _handle_post(request, assessment)
        except (services.AssessmentError, ValueError) as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("practice-assessment", pk=assessment.pk)
    own_grid = assessment.grids.filter(evaluator=request.user).first()
    own_levels = dict(own_grid.scores.values_list("criterion_id", "level")) if own_grid else {}
    blocks = []
    for block in assessment.framework.blocks.prefetch_related("competencies__criteria"):
        criteria = [
            {"criterion": c, "level": own_levels.get(c.pk)}
            for competency in block.competencies.all()
            for c in competency.criteria.all()
        ]
        comment = own_grid.comments.get(str(block.number), "") if own_grid else ""
        blocks.append({"block": block, "criteria": criteria, "comment": comment})
    try:
        differences = selectors.assessment_differences(assessment, request.user)
    except PermissionError:
        differences = None  # blind: a grid is still provisional
    return render(
        request,
        "practice/assessment_detail.html",
        {
            "assessment": assessment,
            "levels": list(enumerate(assessment.framework.levels)),
            "blocks": blocks,
            "own_grid": own_grid,
            "editable": own_grid is not None and own_grid.submitted_at is None,
            "differences": differences,
            "reconciling": assessment.status
            in (AssessmentStatus.RECONCILING, AssessmentStatus.ESCALATED),
            "outcomes": Reconciliation.choices,
            "title": _("Competency assessment"),
        },
    )


def assessment_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """The candidate's evidence records (issue 15 §4), append-only, and the form with
    which an assigned evaluator (or the jury) adds one or corrects one by a new record."""
    assessment = _assessment_for(request, pk)
    records = selectors.evidence_visible_to(assessment, request.user)
    may_record = assessment.status != AssessmentStatus.SIGNED
    form = None
    if may_record:
        form = EvidenceForm(
            request.POST or None,
            assessment=assessment,
            runs=selectors.candidate_runs_for_evidence(assessment),
            evaluations=selectors.candidate_quality_evaluations(assessment),
            records=records,
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.evidence_record(
                    assessment=assessment, user=request.user, **form.cleaned_data
                )
            except services.AssessmentError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The evidence is recorded."))
                return redirect("practice-assessment-evidence", pk=assessment.pk)
    return render(
        request,
        "practice/assessment_evidence.html",
        {
            "assessment": assessment,
            "records": records,
            "form": form,
            "title": _("Evidence"),
        },
    )


def my_assessments(request: HttpRequest) -> HttpResponse:
    """The candidate's own assessments (issue 15 §6): the status while the evaluators
    grade and reconcile, the co-signed result and the file once frozen; never a grid
    before then."""
    if not request.user.has_perm("practice.practise"):
        raise PermissionDenied
    rows = []
    for assessment in selectors.assessments_of_candidate(request.user):
        levels = assessment.framework.levels
        signed = assessment.status == AssessmentStatus.SIGNED
        rows.append(
            {
                "assessment": assessment,
                "signed": signed,
                "blocks": [
                    {"number": block["number"], "level": levels[block["level"]]}
                    for block in assessment.final.get("blocks", [])
                ]
                if signed
                else [],
            }
        )
    return render(
        request,
        "practice/my_assessments.html",
        {"rows": rows, "title": _("My certification")},
    )
