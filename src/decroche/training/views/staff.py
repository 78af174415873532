"""The staff pages (issue 13 point 9): training manager (catalogue, sessions, requests,
register, attendance, certificates, money, quality evidence), trainer (their own sessions),
client auditor (read-only). Thin views; permission and scope checked on the server."""

from __future__ import annotations

import time

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from decroche.core.calendar import month_first, month_last, paris_today
from decroche.core.downloads import PDF, XLSX, file_response
from decroche.core.exports import sections_to_xlsx

from .. import followup, rules, selectors, services
from ..choices import EnrolmentStatus, SignatureMethod
from ..exports import (
    certificate_pdf,
    convocation_pdf,
    evidence_sections,
    money_sections,
    sign_in_sheet_pdf,
)
from ..forms import (
    AttendanceForm,
    CancelSessionForm,
    ComplaintForm,
    EnrolForm,
    ReasonForm,
    RequestForm,
)
from ..models import (
    Attendance,
    Certificate,
    Complaint,
    Enrolment,
    Programme,
    Session,
    SessionHalfDay,
)
from .access import (
    ATTEND,
    BEFORE_AFTER_DAYS,
    MANAGE,
    REQUEST,
    TEACH,
    VIEW,
    certificate_for,
    display_name,
    require,
    room_secret,
    session_for,
)


def catalogue(request: HttpRequest) -> HttpResponse:
    require(request.user, VIEW)
    return render(
        request,
        "training/catalogue.html",
        {"title": _("Training catalogue"), "programmes": Programme.objects.all()},
    )


def sessions(request: HttpRequest) -> HttpResponse:
    require(request.user, VIEW, TEACH)
    return render(
        request,
        "training/sessions.html",
        {"title": _("Training sessions"), "sessions": selectors.sessions_for(request.user)},
    )


def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = session_for(request, pk)
    may_write = (
        request.user.has_perm(MANAGE) or session.trainers.filter(pk=request.user.pk).exists()
    )
    half_days = list(session.half_days.all())
    enrolments = list(session.enrolments.exclude(status=EnrolmentStatus.CANCELLED))
    current = {
        (a.enrolment_id, a.half_day_id): a
        for a in Attendance.objects.filter(half_day__session=session, is_current=True)
    }
    grid = [
        (
            enrolment,
            [(half_day, current.get((enrolment.pk, half_day.pk))) for half_day in half_days],
        )
        for enrolment in enrolments
        if enrolment.status == EnrolmentStatus.ENROLLED
    ]
    return render(
        request,
        "training/session_detail.html",
        {
            "title": str(session),
            "session": session,
            "half_days": half_days,
            "grid": grid,
            "waiting": [e for e in enrolments if e.status == EnrolmentStatus.WAITING],
            "may_write": may_write,
            "may_manage": request.user.has_perm(MANAGE),
            "enrol_form": EnrolForm() if request.user.has_perm(MANAGE) else None,
            "attendance_form": AttendanceForm() if may_write else None,
            "cancel_form": CancelSessionForm() if request.user.has_perm(MANAGE) else None,
            "room_codes": {
                h.pk: rules.room_code(room_secret(), h.pk, time.time())
                for h in half_days
                if h.day == paris_today()
            }
            if may_write
            else {},
            "evaluation": selectors.session_evaluation(session),
            "before_after": selectors.operational_before_after(session, days=BEFORE_AFTER_DAYS)
            if half_days and half_days[-1].day < paris_today()
            else [],
            "window": BEFORE_AFTER_DAYS,
            "certificates": {
                c.enrolment_id: c
                for c in Certificate.objects.filter(
                    enrolment__session=session, revoked_at__isnull=True
                )
            },
        },
    )


@require_POST
def session_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, MANAGE)
    session = session_for(request, pk, write=True)
    form = EnrolForm(request.POST)
    if form.is_valid():
        try:
            enrolment = services.enrol(
                session,
                advisor=form.cleaned_data["advisor"],
                employer=form.cleaned_data["employer"],
                by=request.user,
            )
        except services.TrainingError as error:
            messages.error(request, str(error))
        else:
            if enrolment.status == EnrolmentStatus.WAITING:
                messages.warning(request, _("The session is full: put on the waiting list."))
            else:
                messages.success(request, _("Enrolled."))
    return redirect("training-session", pk=session.pk)


@require_POST
def enrolment_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, MANAGE)
    enrolment = get_object_or_404(Enrolment, pk=pk)
    try:
        promoted = services.enrolment_cancel(enrolment, by=request.user)
    except services.TrainingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Enrolment cancelled."))
        if promoted is not None:
            messages.info(
                request,
                _("%(name)s moves from the waiting list into the session.")
                % {"name": promoted.trainee_name},
            )
    return redirect("training-session", pk=enrolment.session_id)


@require_POST
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, MANAGE)
    session = session_for(request, pk, write=True)
    form = CancelSessionForm(request.POST)
    if form.is_valid():
        try:
            services.session_cancel(
                session,
                user=request.user,
                on=paris_today(),
                reason=form.cleaned_data["reason"],
                by_training_body=form.cleaned_data["by_training_body"],
            )
        except services.TrainingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Session cancelled."))
    return redirect("training-session", pk=session.pk)


@require_POST
def attendance_record(request: HttpRequest, pk: int, half_day: int) -> HttpResponse:
    """The trainer (or the manager) records or corrects one trainee's half-day."""
    session = session_for(request, pk, write=True)
    half = get_object_or_404(SessionHalfDay, pk=half_day, session=session)
    enrolment = get_object_or_404(Enrolment, pk=request.POST.get("enrolment"), session=session)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        previous = Attendance.objects.filter(
            enrolment=enrolment, half_day=half, is_current=True
        ).first()
        try:
            if previous is None:
                services.attendance_sign(
                    enrolment=enrolment,
                    half_day=half,
                    presence=data["presence"],
                    minutes_missed=data["minutes_missed"],
                    remark=data["remark"],
                    by=request.user,
                    method=SignatureMethod.TRAINER,
                    ip_address=request.META.get("REMOTE_ADDR"),
                )
            else:
                services.attendance_correct(
                    previous,
                    presence=data["presence"],
                    minutes_missed=data["minutes_missed"],
                    remark=data["remark"],
                    by=request.user,
                )
        except services.TrainingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Attendance recorded."))
    return redirect("training-session", pk=session.pk)


@require_POST
def half_day_sign(request: HttpRequest, pk: int, half_day: int) -> HttpResponse:
    session = session_for(request, pk, write=True)
    half = get_object_or_404(SessionHalfDay, pk=half_day, session=session)
    try:
        services.half_day_trainer_sign(half, by=request.user)
    except services.TrainingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Half-day signed."))
    return redirect("training-session", pk=session.pk)


@require_POST
def sheet_scan_upload(request: HttpRequest, pk: int, half_day: int) -> HttpResponse:
    session = session_for(request, pk, write=True)
    half = get_object_or_404(SessionHalfDay, pk=half_day, session=session)
    upload = request.FILES.get("scan")
    if upload is None:
        messages.error(request, _("Choose the file of the scan."))
    else:
        try:
            services.sheet_scan_attach(half, upload=upload, by=request.user)
        except services.TrainingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Scan attached."))
    return redirect("training-session", pk=session.pk)


def sheet_scan(request: HttpRequest, pk: int, half_day: int) -> HttpResponse:
    session = session_for(request, pk)
    half = get_object_or_404(SessionHalfDay, pk=half_day, session=session)
    if not half.sheet_scan:
        raise Http404
    name = half.sheet_scan.name.rsplit("/", 1)[-1]
    content_type = (
        PDF if name.endswith(".pdf") else ("image/png" if name.endswith(".png") else "image/jpeg")
    )
    return file_response(half.sheet_scan.open("rb"), name, content_type)


def sign_in_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    session = session_for(request, pk)
    return file_response(
        sign_in_sheet_pdf(session, generated_by=display_name(request.user)),
        f"emargement-{session.reference}.pdf",
        PDF,
    )


@require_POST
def certificate_issue(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, MANAGE)
    enrolment = get_object_or_404(Enrolment, pk=pk)
    try:
        services.certificate_issue(enrolment, by=request.user)
    except services.TrainingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Certificate issued."))
    return redirect("training-session", pk=enrolment.session_id)


def convocation(request: HttpRequest, pk: int) -> HttpResponse:
    """The convocation PDF: for who reads training, or the trainee themself."""
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("session__programme", "advisor"), pk=pk
    )
    own = request.user.pk in (enrolment.user_id, getattr(enrolment.advisor, "user_id", None))
    if not (request.user.has_perm(VIEW) or (own and request.user.has_perm(ATTEND))):
        raise PermissionDenied
    return file_response(
        convocation_pdf(enrolment, generated_by=display_name(request.user)),
        f"convocation-{enrolment.session.reference}.pdf",
        PDF,
    )


@require_POST
def convocations_send(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, MANAGE)
    session = session_for(request, pk, write=True)
    sent = services.convocations_send(session, by=request.user)
    messages.success(request, _("%(count)s convocations sent.") % {"count": sent})
    return redirect("training-session", pk=session.pk)


def certificates(request: HttpRequest) -> HttpResponse:
    require(request.user, VIEW)
    return render(
        request,
        "training/certificates.html",
        {
            "title": _("Certificates of completion"),
            "certificates": selectors.issued_certificates().order_by("-issued_at"),
            "revoke_form": ReasonForm() if request.user.has_perm(MANAGE) else None,
        },
    )


def certificate_download(request: HttpRequest, code: str) -> HttpResponse:
    certificate = certificate_for(request, code)
    return file_response(
        certificate_pdf(certificate, base_url=request.build_absolute_uri("/")),
        f"certificat-{certificate.code}.pdf",
        PDF,
    )


@require_POST
def certificate_revoke(request: HttpRequest, code: str) -> HttpResponse:
    require(request.user, MANAGE)
    certificate = get_object_or_404(Certificate, code=code)
    form = ReasonForm(request.POST)
    if form.is_valid():
        action = (
            services.certificate_reissue
            if request.POST.get("reissue")
            else services.certificate_revoke
        )
        try:
            action(certificate, by=request.user, reason=form.cleaned_data["reason"])
        except services.TrainingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Done."))
    return redirect("training-certificates")


def money_xlsx(request: HttpRequest) -> HttpResponse:
    """Per session cost, funded part and invoices per employer, for accounting (XLSX)."""
    require(request.user, VIEW)
    sessions = Session.objects.select_related("programme").prefetch_related("half_days")
    return file_response(
        sections_to_xlsx(money_sections(sessions.order_by("pk"))), "formation-couts.xlsx", XLSX
    )


def requests(request: HttpRequest) -> HttpResponse:
    require(request.user, VIEW, REQUEST)
    form = RequestForm(request.POST or None) if request.user.has_perm(REQUEST) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            services.request_create(user=request.user, **form.cleaned_data)
            messages.success(
                request, _("Request recorded: the session is to be planned within a month.")
            )
            return redirect("training-requests")
    lines = selectors.requests_with_deadline(paris_today())
    if not request.user.has_perm(VIEW):
        lines = [(r, overdue) for r, overdue in lines if r.requested_by_id == request.user.pk]
    return render(
        request,
        "training/requests.html",
        {"title": _("Training requests"), "lines": lines, "form": form},
    )


def cancellations(request: HttpRequest) -> HttpResponse:
    require(request.user, VIEW)
    return render(
        request,
        "training/cancellations.html",
        {
            "title": _("Cancellations by the training body"),
            "sessions": selectors.cancellation_register(),
        },
    )


def without_path(request: HttpRequest) -> HttpResponse:
    """Advisors put on the line this month without the whole initial path (SPEC §3)."""
    require(request.user, VIEW)
    today = paris_today()
    start, end = month_first(today), month_last(today)
    return render(
        request,
        "training/without_path.html",
        {
            "title": _("Advisors on the line without the full initial path"),
            "lines": selectors.advisors_without_full_path(start, end),
            "start": start,
            "end": end,
        },
    )


@require_POST
def session_close(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, MANAGE)
    session = session_for(request, pk, write=True)
    try:
        opened = followup.session_close(session, by=request.user)
    except services.TrainingError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Session closed: %(count)s transfer evaluations open in three months.")
            % {"count": opened},
        )
    return redirect("training-session", pk=session.pk)


def quality_evidence(request: HttpRequest) -> HttpResponse:
    """Per session, the evidence the app holds for the national quality framework, and the
    register of complaints and incidents; XLSX with `?format=xlsx`; the manager records
    and closes complaints here."""
    require(request.user, VIEW)
    may_manage = request.user.has_perm(MANAGE)
    form = ComplaintForm(request.POST or None) if may_manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if "close" in request.POST:
            complaint = get_object_or_404(Complaint, pk=request.POST.get("close"))
            try:
                followup.complaint_close(
                    complaint,
                    by=request.user,
                    action=request.POST.get("action", ""),
                    on=paris_today(),
                )
            except services.TrainingError as error:
                messages.error(request, str(error))
            return redirect("training-quality")
        if form.is_valid():
            followup.complaint_record(by=request.user, **form.cleaned_data)
            messages.success(request, _("Recorded."))
            return redirect("training-quality")
    evidence = selectors.quality_evidence()
    complaints = Complaint.objects.select_related("session")
    if request.GET.get("format") == "xlsx":
        return file_response(
            sections_to_xlsx(evidence_sections(evidence, complaints)),
            "formation-preuves-qualite.xlsx",
            XLSX,
        )
    return render(
        request,
        "training/quality.html",
        {
            "title": _("Quality evidence of the training body"),
            "evidence": evidence,
            "complaints": complaints,
            "form": form,
        },
    )
