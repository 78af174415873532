"""The training documents (issue 13 points 3 and 4): the certificate of completion with its
QR code, and the half-day sign-in sheet, the paper fallback of the electronic signature.

The certificate is one portrait A4 page drawn on a ReportLab canvas with the project's
fonts (core.pdf_layout); the QR code (segno) is drawn module by module as vector squares,
so no image library is involved and 300 certificates take a few seconds. The sign-in sheet
is a `core.documents.Document`, like every other table document of the project.
"""

from __future__ import annotations

import io

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from decroche.core import formatting
from decroche.core.documents import Document, document_pdf
from decroche.core.exports import Section

from .choices import EnrolmentStatus
from .models import Certificate, Session


def verify_path(code: str) -> str:
    """The public verification page of a certificate (no login), an absolute path."""
    return reverse("training-verify", args=[code])


def certificate_pdf(certificate: Certificate, *, base_url: str) -> bytes:
    """The "certificat de réalisation": trainee, employer, title, nature of the action,
    dates, duration actually attended, training body, code and QR code of its public page."""
    import segno
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    from decroche.core.pdf_layout import BLUE, BOLD_FONT, FONT, GREY

    enrolment = certificate.enrolment
    session = enrolment.session
    programme = session.programme
    url = base_url.rstrip("/") + verify_path(certificate.code)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
    canvas.setTitle(f"{_('Certificate of completion')} {certificate.code}")
    width, height = A4
    left, y = 25 * mm, height - 35 * mm
    canvas.setFillColor(BLUE)
    canvas.setFont(BOLD_FONT, 20)
    canvas.drawString(left, y, _("Certificate of completion"))
    canvas.setFillColor(GREY)
    canvas.setFont(FONT, 9)
    y -= 8 * mm
    canvas.drawString(left, y, _("Training action (French Labour Code, art. L. 6313-1)"))
    canvas.setFillColorRGB(0, 0, 0)
    y -= 16 * mm
    body = _(
        "The training body %(body)s certifies that the trainee named below attended the "
        "training action described, for the duration stated, as the signed attendance "
        "sheets show."
    ) % {"body": session.training_body or _("of the contractor")}
    canvas.setFont(FONT, 10)
    for line in _wrap(body, 95):
        canvas.drawString(left, y, line)
        y -= 5.5 * mm
    y -= 6 * mm
    lines = [
        (_("Trainee"), enrolment.trainee_name),
        (_("Employer"), enrolment.employer or "—"),
        (_("Training action"), programme.title),
        (_("Nature of the action"), _("Training action")),
        (_("Session"), session.reference),
        (
            _("Dates"),
            _("from %(first)s to %(last)s")
            % {
                "first": formatting.long_date(certificate.first_day),
                "last": formatting.long_date(certificate.last_day),
            },
        ),
        (_("Duration actually attended"), formatting.hours(certificate.hours)),
        (_("Duration of the programme"), formatting.hours(programme.duration_hours)),
        (_("Training body"), session.training_body or "—"),
        (_("Issued on"), formatting.long_date(timezone.localtime(certificate.issued_at).date())),
    ]
    for label, value in lines:
        canvas.setFont(BOLD_FONT, 10)
        canvas.drawString(left, y, label)
        canvas.setFont(FONT, 10)
        for part in _wrap(str(value), 60):
            canvas.drawString(left + 58 * mm, y, part)
            y -= 6 * mm
        y -= 1.5 * mm
    # QR code of the public verification page, drawn as vector squares.
    qr = segno.make(url, error="m")
    matrix = list(qr.matrix)
    module = 1.6 * mm if len(matrix) <= 33 else 1.2 * mm
    size = module * len(matrix)
    qx, qy = width - 25 * mm - size, 30 * mm
    canvas.setFillColorRGB(0, 0, 0)
    for row_index, row in enumerate(matrix):
        for column_index, dark in enumerate(row):
            if dark:
                canvas.rect(
                    qx + column_index * module,
                    qy + size - (row_index + 1) * module,
                    module,
                    module,
                    stroke=0,
                    fill=1,
                )
    canvas.setFont(FONT, 8)
    canvas.setFillColor(GREY)
    canvas.drawString(left, 40 * mm, _("Verification code: %(code)s") % {"code": certificate.code})
    canvas.drawString(left, 35 * mm, _("Check this certificate at %(url)s") % {"url": url})
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _wrap(text: str, width: int) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return [*lines, current] if current else lines


def sign_in_sheet_pdf(session: Session, *, generated_by: str) -> bytes:
    """The paper sign-in sheet: one row per enrolled trainee, one column per half-day, to
    sign by hand; the trainer's line at the foot. Its scan is attached to the half-day."""
    half_days = list(session.half_days.all())
    enrolments = session.enrolments.filter(status=EnrolmentStatus.ENROLLED).order_by("trainee_name")
    headers = [_("Trainee"), _("Employer")] + [
        f"{formatting.short_date(h.day)} {h.get_half_display()}" for h in half_days
    ]
    rows = [[e.trainee_name, e.employer] + ["" for _h in half_days] for e in enrolments]
    rows.append([_("Trainer"), ""] + ["" for _h in half_days])
    document = Document(
        title=f"{_('Sign-in sheet')} — {session.programme.title}",
        contract=session.reference,
        parties=session.training_body or "—",
        period=" – ".join(
            formatting.short_date(day) for day in sorted({half_days[0].day, half_days[-1].day})
        )
        if half_days
        else "—",
        generated_at=timezone.localtime(timezone.now()),
        generated_by=generated_by,
        sections=[
            Section(title=session.place or session.virtual_room or "", headers=headers, rows=rows)
        ],
        empty_text=_("None."),
    )
    return document_pdf(document)


def money_sections(sessions) -> list[Section]:
    """Per session: cost, funded part and what each employing body is invoiced (enrolled
    trainees; a cancelled session costs nothing), for accounting (issue 13 point 7)."""
    from decimal import Decimal

    from decroche.core.exports import EUROS_FORMAT, INTEGER_FORMAT

    from .choices import PriceBasis, SessionStatus
    from .rules import session_money

    totals, invoices = [], []
    for session in sessions:
        programme = session.programme
        by_employer: dict[str, int] = {}
        if session.status not in (SessionStatus.CANCELLED, SessionStatus.CANCELLED_BY_BODY):
            for enrolment in session.enrolments.filter(status=EnrolmentStatus.ENROLLED):
                key = enrolment.employer or "—"
                by_employer[key] = by_employer.get(key, 0) + 1
        cost, funded, invoiced = session_money(
            price=programme.price,
            per_person=programme.price_basis == PriceBasis.PER_PERSON,
            funded_share=programme.funded_share,
            trainees_by_employer=by_employer,
        )
        first = session.half_days.first()
        totals.append(
            [
                session.reference,
                programme.title,
                first.day if first else None,
                session.get_status_display(),
                sum(by_employer.values()),
                cost,
                funded,
                cost - funded if cost else Decimal("0"),
            ]
        )
        invoices.extend(
            [session.reference, employer, amount] for employer, amount in invoiced.items()
        )
    return [
        Section(
            title=_("Money per session"),
            headers=[
                _("Session"),
                _("Programme"),
                _("First day"),
                _("Status"),
                _("Trainees"),
                _("Cost"),
                _("Funded"),
                _("Invoiced"),
            ],
            rows=totals,
            formats={4: INTEGER_FORMAT, 5: EUROS_FORMAT, 6: EUROS_FORMAT, 7: EUROS_FORMAT},
        ),
        Section(
            title=_("Invoices per employer"),
            headers=[_("Session"), _("Employer"), _("Amount")],
            rows=invoices,
            formats={2: EUROS_FORMAT},
        ),
    ]


def convocation_lines(enrolment) -> list[tuple[str, str]]:
    """The practical details of a convocation (issue 13 point 2)."""
    session = enrolment.session
    programme = session.programme
    half_days = [
        f"{formatting.long_date(h.day)} {h.get_half_display().lower()}"
        for h in session.half_days.all()
    ]
    return [
        (_("Trainee"), enrolment.trainee_name),
        (_("Training action"), programme.title),
        (_("Session"), session.reference),
        (_("Half-days"), ", ".join(half_days)),
        (_("Place"), session.place or session.virtual_room or "—"),
        (_("Duration of the programme"), formatting.hours(programme.duration_hours)),
        (_("Prerequisites"), programme.prerequisites or "—"),
        (_("Accessibility"), programme.accessibility or "—"),
        (_("Contacts"), programme.contacts or "—"),
        (
            _("Attendance"),
            _(
                "Sign each half-day from “My training” on the day, or on the paper sheet in the room."
            ),
        ),
    ]


def convocation_text(enrolment) -> tuple[str, str]:
    """The convocation as an e-mail: subject and plain-text body."""
    subject = _("Convocation: %(title)s (%(reference)s)") % {
        "title": enrolment.session.programme.title,
        "reference": enrolment.session.reference,
    }
    body = "\n".join(f"{label} : {value}" for label, value in convocation_lines(enrolment))
    return subject, body


def convocation_pdf(enrolment, *, generated_by: str) -> bytes:
    session = enrolment.session
    document = Document(
        title=f"{_('Convocation')} — {session.programme.title}",
        contract=session.reference,
        parties=session.training_body or "—",
        period=enrolment.trainee_name,
        generated_at=timezone.localtime(timezone.now()),
        generated_by=generated_by,
        sections=[
            Section(
                title=_("Practical details"),
                headers=[_("Item"), _("Detail")],
                rows=[list(line) for line in convocation_lines(enrolment)],
            )
        ],
        empty_text=_("None."),
    )
    return document_pdf(document)


def evidence_sections(evidence, complaints) -> list[Section]:
    """The quality evidence per session and the register of complaints and incidents."""
    yes, no = _("yes"), _("no")
    return [
        Section(
            title=_("Quality evidence per session"),
            headers=[
                _("Session"),
                _("Programme"),
                _("Information to the public"),
                _("Objectives"),
                _("Enrolled"),
                _("Positioning (pre-tests)"),
                _("Half-days signed by the trainer"),
                _("Attendance lines"),
                _("Post-tests"),
                _("Certificates"),
                _("Hot satisfaction"),
                _("Transfer answered / open"),
                _("Complaints and incidents"),
            ],
            rows=[
                [
                    e.session.reference,
                    e.session.programme.title,
                    yes if e.public_information else no,
                    yes if e.objectives else no,
                    e.enrolled,
                    e.positioned,
                    f"{e.trainer_signed} / {e.half_days}",
                    e.attendance_lines,
                    e.post_tests,
                    e.certificates,
                    e.satisfaction,
                    f"{e.transfer_answered} / {e.transfer_open}",
                    e.complaints,
                ]
                for e in evidence
            ],
        ),
        Section(
            title=_("Complaints and incidents"),
            headers=[
                _("Received on"),
                _("Kind"),
                _("Session"),
                _("Description"),
                _("Action taken"),
                _("Closed on"),
            ],
            rows=[
                [
                    c.received_on,
                    c.get_kind_display(),
                    c.session.reference if c.session else "—",
                    c.description,
                    c.action,
                    c.closed_on,
                ]
                for c in complaints
            ],
        ),
    ]
