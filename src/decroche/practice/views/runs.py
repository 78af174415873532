"""Practice pages (issue 15; SPEC §8): scenarios, playing one turn per request, the run's
scored and evidenced result with self-assessment and action plan, the advisor's runs and
progress per technique, the trainer's runs and review queue. Thin views: reads in
selectors, writes in services; permission and scope checked on the server."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..choices import (
    CRITERION_LABELS,
    EMOTIONAL_STATE_LABELS,
    FAULT_LABELS,
    TECHNIQUE_LABELS,
    Ending,
)
from ..engine import MoveError
from ..forms import ReflectionForm, ReplyForm, ReviewForm
from ..models import Run
from ..scenario_format import ScenarioError


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _visible_run(request: HttpRequest, pk: int) -> Run:
    """Fetch a run the user may see (their own; every run for a trainer) and authorise."""
    if not (
        request.user.has_perm(selectors.PRACTISE) or request.user.has_perm(selectors.VIEW_ALL_RUNS)
    ):
        raise PermissionDenied
    return get_object_or_404(selectors.runs_visible_to(request.user), pk=pk)


def _own_run(request: HttpRequest, pk: int) -> Run:
    """Fetch a run the user plays themself: nobody else may play or reflect on it."""
    _require(request, selectors.PRACTISE)
    run = get_object_or_404(Run.objects.select_related("scenario"), pk=pk)
    if run.user_id != request.user.pk:
        raise PermissionDenied
    return run


def _criteria_rows(run: Run) -> list[dict]:
    reviews = selectors.reviewed_scores(run)
    return [
        {
            **criterion,
            "label": CRITERION_LABELS.get(criterion["code"], criterion["code"]),
            "review": reviews.get(criterion["code"]),
        }
        for criterion in run.result.get("criteria", [])
    ]


def scenario_list(request: HttpRequest) -> HttpResponse:
    """The scenarios an advisor may practise."""
    _require(request, selectors.PRACTISE)
    scenarios = [
        {"scenario": s, "state": EMOTIONAL_STATE_LABELS.get(s.emotional_state, s.emotional_state)}
        for s in selectors.scenarios_available()
    ]
    return render(
        request,
        "practice/scenario_list.html",
        {"scenarios": scenarios, "title": _("Role-play practice")},
    )


@require_POST
def run_start(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, selectors.PRACTISE)
    scenario = get_object_or_404(selectors.scenarios_available(), pk=pk)
    run = services.run_start(user=request.user, scenario=scenario)
    return redirect("practice-run-play", pk=run.pk)


def run_play(request: HttpRequest, pk: int) -> HttpResponse:
    """One turn per request: the persona's turn, the trainee's move posted as a form."""
    run = _own_run(request, pk)
    if run.finished:
        return redirect("practice-run-result", pk=run.pk)
    scenario = run.scenario_data
    node = scenario["nodes"][run.state["node"]]
    form = ReplyForm(request.POST or None) if "reply" in node else None
    if request.method == "POST":
        try:
            if form is not None:
                if form.is_valid():
                    run = services.run_reply(run=run, text=form.cleaned_data["text"])
                    return redirect("practice-run-play", pk=run.pk)
            else:
                run = services.run_choose(run=run, index=int(request.POST.get("choice", "")))
                return redirect("practice-run-play", pk=run.pk)
        except (ValueError, MoveError):
            messages.error(request, _("This move is not possible here."))
    transcript = []
    for event in run.state["events"]:
        transcript.append({"speaker": "persona", "text": scenario["nodes"][event["node"]]["text"]})
        transcript.append({"speaker": "trainee", "text": event["text"]})
    return render(
        request,
        "practice/run_play.html",
        {
            "run": run,
            "scenario": scenario,
            "node": node,
            "choices": [
                (
                    index,
                    choice,
                    TECHNIQUE_LABELS.get(choice.get("technique", ""), choice.get("technique", "")),
                )
                for index, choice in enumerate(node.get("choices", []))
            ],
            "hints": scenario.get("difficulty", "script") == "hints",
            "form": form,
            "transcript": transcript,
            "title": scenario["title"],
        },
    )


def run_result(request: HttpRequest, pk: int) -> HttpResponse:
    """The run's ending, criteria with score and evidence, blocking faults, transcript;
    its owner writes the self-assessment and action plan here."""
    run = _visible_run(request, pk)
    if not run.finished:
        if run.user_id == request.user.pk:
            return redirect("practice-run-play", pk=run.pk)
    own = run.user_id == request.user.pk
    form = None
    if own and run.finished:
        initial = {"self_assessment": run.self_assessment, "action_plan": run.action_plan}
        form = ReflectionForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            services.run_reflect(run=run, **form.cleaned_data)
            messages.success(request, _("Your self-assessment and action plan are saved."))
            return redirect("practice-run-result", pk=run.pk)
    elif request.method == "POST":
        raise PermissionDenied
    faults = [
        {**fault, "label": FAULT_LABELS.get(fault["fault"], fault["fault"])}
        for fault in run.result.get("faults", [])
    ]
    return render(
        request,
        "practice/run_result.html",
        {
            "run": run,
            "criteria": _criteria_rows(run),
            "faults": faults,
            "ending_label": Ending(run.ending).label if run.ending else "",
            "events": [
                {**event, "persona_text": run.scenario_data["nodes"][event["node"]]["text"]}
                for event in run.state["events"]
            ],
            "form": form,
            "own": own,
            "title": _("Role-play result"),
        },
    )


def my_runs(request: HttpRequest) -> HttpResponse:
    """The advisor's own runs and progress per technique over time."""
    _require(request, selectors.PRACTISE)
    runs = selectors.runs_visible_to(request.user).filter(user=request.user)
    return render(
        request,
        "practice/my_runs.html",
        {
            "page": Paginator(runs, 50).get_page(request.GET.get("page")),
            "progress": selectors.progress_per_technique(request.user),
            "title": _("My role-play runs"),
        },
    )


def run_list(request: HttpRequest) -> HttpResponse:
    """Every trainee's runs, for the trainer."""
    _require(request, selectors.VIEW_ALL_RUNS)
    runs = selectors.runs_visible_to(request.user)
    username = request.GET.get("user", "")
    if username:
        runs = runs.filter(user__username=username)
    return render(
        request,
        "practice/run_list.html",
        {
            "page": Paginator(runs, 50).get_page(request.GET.get("page")),
            "username": username,
            "title": _("Role-play runs of the trainees"),
        },
    )


def review_queue(request: HttpRequest) -> HttpResponse:
    _require(request, selectors.REVIEW_RUN)
    return render(
        request,
        "practice/review_queue.html",
        {
            "page": Paginator(selectors.review_queue(), 50).get_page(request.GET.get("page")),
            "title": _("Scores to review"),
        },
    )


def run_review(request: HttpRequest, pk: int) -> HttpResponse:
    """A trainer confirms or changes each criterion's score of a finished run."""
    _require(request, selectors.REVIEW_RUN)
    run = get_object_or_404(
        selectors.runs_visible_to(request.user).filter(finished_at__isnull=False), pk=pk
    )
    form = ReviewForm(request.POST or None, criteria=run.result.get("criteria", []))
    if request.method == "POST" and form.is_valid():
        try:
            services.run_review(
                run=run, reviewer=request.user, scores=form.scores(), comments=form.comments()
            )
        except ScenarioError as error:
            messages.error(request, "; ".join(error.errors))
        else:
            messages.success(request, _("The review is recorded."))
            return redirect("practice-review-queue")
    return render(
        request,
        "practice/run_review.html",
        {"run": run, "form": form, "criteria": _criteria_rows(run), "title": _("Review a run")},
    )
