"""Web pages of the contract (SPEC §5, §6): orders, monthly statement, target changes,
service interruptions, committee packs and minutes. Thin views (STYLE habit 3)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from decroche.core.calendar import last_complete_month
from decroche.core.downloads import PDF, XLSX, file_response
from decroche.core.exports import section_table
from decroche.jobs.services import job_start

from . import committees, meetings, services, target_changes
from .choices import CommitteeKind
from .exports import grace_note, level_rows
from .forms import (
    AmendmentForm,
    InterruptionForm,
    MeetingForm,
    OrderAmendForm,
    OrderAnswerForm,
    OrderEntryForm,
    PackForm,
    ProposalAnswerForm,
    ProposalForm,
    SecurityReviewForm,
    StatementForm,
    order_lines_text,
)
from .jobs import COMMITTEE_PACK, STATEMENT
from .models import (
    CommitteeMeeting,
    Order,
    ServiceInterruption,
    TargetChangeProposal,
)
from .pack_exports import pack_pdf, pack_workbook
from .pack_security import security_review_pack
from .selectors import monthly_statement, statement_invoices


def _errors(request: HttpRequest, form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


# --- orders ----------------------------------------------------------------------------------


def author(request: HttpRequest) -> str:
    """Who generated a document, as its identity block names them."""
    user = request.user
    return user.get_full_name() or user.get_username()


@permission_required("contract.view_order", raise_exception=True)
def order_list(request: HttpRequest) -> HttpResponse:
    orders = Order.objects.select_related("period").order_by("-period__start", "unit", "kind")
    page = Paginator(orders, 50).get_page(request.GET.get("page"))
    context = {
        "title": _("Orders"),
        "page_obj": page,
        "may_enter": request.user.has_perm("contract.enter_order"),
    }
    return render(request, "contract/order_list.html", context)


@permission_required("contract.view_order", raise_exception=True)
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    order = get_object_or_404(Order.objects.select_related("period"), pk=order_id)
    may_answer = order.status == "proposed" and request.user.has_perm("contract.change_order")
    context = {
        "title": str(order),
        "order": order,
        "lines": order.lines.all(),
        "amendments": order.amendments.all(),
        "form": OrderAnswerForm() if may_answer else None,
        "may_amend": request.user.has_perm("contract.enter_order"),
    }
    return render(request, "contract/order_detail.html", context)


@permission_required("contract.enter_order", raise_exception=True)
def order_enter(request: HttpRequest) -> HttpResponse:
    """The contract manager enters an order the Cnam sent (SPEC §6)."""
    form = OrderEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            order = services.order_issue(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors(request, form, error)
        else:
            messages.success(request, _("Order entered."))
            return redirect("contract-order-detail", order_id=order.pk)
    return render(request, "contract/form.html", {"title": _("Enter an order"), "form": form})


@permission_required("contract.enter_order", raise_exception=True)
def order_amend(request: HttpRequest, order_id: int) -> HttpResponse:
    """The contract manager amends an order; the previous lines stay in its history."""
    order = get_object_or_404(Order.objects.select_related("period"), pk=order_id)
    form = OrderAmendForm(request.POST or None, initial={"lines": order_lines_text(order)})
    if request.method == "POST" and form.is_valid():
        try:
            services.order_amend(
                order=order,
                lines=form.cleaned_data["lines"],
                reason=form.cleaned_data["reason"],
                amended_on=timezone.localdate(),
                user=request.user,
            )
        except ValidationError as error:
            _errors(request, form, error)
        else:
            messages.success(request, _("Order amended."))
            return redirect("contract-order-detail", order_id=order.pk)
    title = _("Amend the order %(order)s") % {"order": order}
    return render(request, "contract/form.html", {"title": title, "form": form})


@require_POST
@permission_required("contract.change_order", raise_exception=True)
def order_answer(request: HttpRequest, order_id: int) -> HttpResponse:
    order = get_object_or_404(Order, pk=order_id)
    form = OrderAnswerForm(request.POST)
    if form.is_valid():
        try:
            services.order_answer(
                order=order,
                accept=form.cleaned_data["accept"],
                answered_on=timezone.localdate(),
                note=form.cleaned_data["note"],
                user=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Answer recorded."))
    return redirect("contract-order-detail", order_id=order.pk)


# --- monthly statement -----------------------------------------------------------------------


@permission_required("contract.view_monthlyinvoice", raise_exception=True)
def statement(request: HttpRequest) -> HttpResponse:
    # No month asked for: the last complete month, the one a statement is drawn up for.
    form = StatementForm(request.GET or {"month": f"{last_complete_month():%Y-%m}"})
    context = {"title": _("Monthly statement"), "form": form, "statement": None}
    if form.is_valid():
        month = form.cleaned_data["month"].replace(day=1)
        invoices = statement_invoices(
            month=month,
            phone=form.cleaned_data["invoice_phone"],
            forms=form.cleaned_data["invoice_forms"],
        )
        if invoices is None:
            form.add_error(None, _("No invoice recorded for this month: give both amounts."))
            return render(request, "contract/statement.html", context)
        export = request.GET.get("format")
        if export in {"xlsx", "pdf"}:
            # The file is built in the background; its page shows the progress (issue 12 §8).
            job = job_start(
                STATEMENT,
                request.user,
                title=_("Monthly statement %(month)s (%(format)s)")
                % {"month": f"{month:%m/%Y}", "format": export.upper()},
                month=month.isoformat(),
                invoice_phone=str(invoices[0]),
                invoice_forms=str(invoices[1]),
                format=export,
                generated_by=author(request),
            )
            return redirect("job-detail", job_id=job.pk)
        result = monthly_statement(
            month=month, invoice_phone=invoices[0], invoice_forms=invoices[1]
        )
        context["statement"] = result
        context["grace_note"] = grace_note(result)
        context["levels"] = level_rows(result)
        context["query"] = request.GET.copy()
    return render(request, "contract/statement.html", context)


# --- target changes --------------------------------------------------------------------------


@permission_required("contract.view_targetchangeproposal", raise_exception=True)
def proposal_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(TargetChangeProposal.objects.all(), 50).get_page(request.GET.get("page"))
    context = {
        "title": _("Target changes"),
        "page_obj": page,
        "answer_form": ProposalAnswerForm()
        if request.user.has_perm("contract.change_targetchangeproposal")
        else None,
    }
    return render(request, "contract/proposal_list.html", context)


@permission_required("contract.add_targetchangeproposal", raise_exception=True)
def proposal_create(request: HttpRequest) -> HttpResponse:
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            target_changes.target_change_propose(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors(request, form, error)
        else:
            messages.success(request, _("Target change proposed."))
            return redirect("contract-proposal-list")
    return render(
        request, "contract/form.html", {"title": _("Propose a target change"), "form": form}
    )


@require_POST
@permission_required("contract.change_targetchangeproposal", raise_exception=True)
def proposal_answer(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = get_object_or_404(TargetChangeProposal, pk=proposal_id)
    form = ProposalAnswerForm(request.POST)
    if form.is_valid():
        try:
            target_changes.target_change_answer(
                proposal=proposal,
                accept=form.cleaned_data["accept"],
                answered_on=timezone.localdate(),
                user=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Answer recorded."))
    return redirect("contract-proposal-list")


# --- service interruptions -------------------------------------------------------------------


@permission_required("contract.view_serviceinterruption", raise_exception=True)
def interruption_list(request: HttpRequest) -> HttpResponse:
    interruptions = ServiceInterruption.objects.select_related("site")
    page = Paginator(interruptions, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "contract/interruption_list.html",
        {"title": _("Service interruptions"), "page_obj": page},
    )


@permission_required("contract.add_serviceinterruption", raise_exception=True)
def interruption_create(request: HttpRequest) -> HttpResponse:
    form = InterruptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_interruption_record(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors(request, form, error)
        else:
            messages.success(request, _("Interruption recorded."))
            return redirect("contract-interruption-list")
    return render(
        request, "contract/form.html", {"title": _("Record a service interruption"), "form": form}
    )


# --- committees ------------------------------------------------------------------------------


@permission_required("contract.view_committeemeeting", raise_exception=True)
def committee_list(request: HttpRequest) -> HttpResponse:
    pack_form = PackForm(request.GET or None)
    if pack_form.is_valid():
        kind, day = pack_form.cleaned_data["kind"], pack_form.cleaned_data["date"]
        export = "pdf" if request.GET.get("format") == "pdf" else "xlsx"
        job = job_start(
            COMMITTEE_PACK,
            request.user,
            title=_("Committee pack %(kind)s of %(day)s (%(format)s)")
            % {
                "kind": CommitteeKind(kind).label,
                "day": f"{day:%d/%m/%Y}",
                "format": export.upper(),
            },
            kind=kind,
            held_on=day.isoformat(),
            format=export,
            generated_by=author(request),
        )
        return redirect("job-detail", job_id=job.pk)
    now = timezone.now()
    page = Paginator(CommitteeMeeting.objects.all(), 50).get_page(request.GET.get("page"))
    rows = [(m, meetings.meeting_state(m, now=now)) for m in page]
    context = {
        "title": _("Committees"),
        "pack_form": pack_form,
        "page_obj": page,
        "rows": rows,
        "meeting_form": MeetingForm()
        if request.user.has_perm("contract.prepare_committee")
        else None,
    }
    return render(request, "contract/committee_list.html", context)


@require_POST
@permission_required("contract.prepare_committee", raise_exception=True)
def committee_create(request: HttpRequest) -> HttpResponse:
    form = MeetingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the committee and its day."))
        return redirect("contract-committee-list")
    try:
        meeting = meetings.meeting_record(user=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("contract-committee-list")
    return redirect("contract-committee-detail", meeting_id=meeting.pk)


@permission_required("contract.view_committeemeeting", raise_exception=True)
def committee_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_object_or_404(CommitteeMeeting, pk=meeting_id)
    may_prepare = request.user.has_perm("contract.prepare_committee")
    context = {
        "title": str(meeting),
        "meeting": meeting,
        "state": meetings.meeting_state(meeting),
        "silence_deadline": meeting.minutes_sent_at
        and committees.silence_deadline(meeting.minutes_sent_at),
        "minutes_due": committees.minutes_due(meeting.held_on),
        "may_prepare": may_prepare,
        "amend_form": AmendmentForm() if may_prepare else None,
        "actions": meeting.actions.all(),
    }
    return render(request, "contract/committee_detail.html", context)


@require_POST
@permission_required("contract.prepare_committee", raise_exception=True)
def committee_minutes(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Save the draft minutes (`action=save`), send them (`send`) or amend them (`amend`)."""
    meeting = get_object_or_404(CommitteeMeeting, pk=meeting_id)
    action, now = request.POST.get("action"), timezone.now()
    try:
        if action == "save":
            meetings.meeting_record(
                kind=meeting.kind,
                held_on=meeting.held_on,
                minutes=request.POST.get("minutes", ""),
                user=request.user,
            )
        elif action == "send":
            meetings.minutes_send(meeting=meeting, sent_at=now, user=request.user)
        elif action == "amend":
            form = AmendmentForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Write the remarks."))
            meetings.minutes_amend(
                meeting=meeting,
                amendment=form.cleaned_data["amendment"],
                amended_at=now,
                user=request.user,
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Minutes updated."))
    return redirect("contract-committee-detail", meeting_id=meeting.pk)


# --- six-monthly security review -------------------------------------------------------------


@permission_required("organisation.review_accounts", raise_exception=True)
def security_review(request: HttpRequest) -> HttpResponse:
    """The security officer's review (SPEC §6, §9) for a day, on the page, in PDF or XLSX."""
    form = SecurityReviewForm(request.GET or None)
    held_on = form.cleaned_data["date"] if form.is_valid() else timezone.localdate()
    pack = security_review_pack(held_on)
    name = f"revue-securite-{held_on:%Y-%m-%d}"
    if request.GET.get("format") == "pdf":
        return file_response(pack_pdf(pack, generated_by=author(request)), f"{name}.pdf", PDF)
    if request.GET.get("format") == "xlsx":
        return file_response(pack_workbook(pack), f"{name}.xlsx", XLSX)
    context = {
        "title": _("Six-monthly security review"),
        "form": form if form.is_bound else SecurityReviewForm(initial={"date": held_on}),
        "pack": pack,
        "tables": [section_table(section) for section in pack.sections],
        "held_on": held_on,
    }
    return render(request, "contract/security_review.html", context)
