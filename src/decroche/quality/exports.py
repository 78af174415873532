"""Quality workbooks through the one export mechanism (`core.exports`): the evaluations a
user may read (scoped like the list; calibration scores never among them, SPEC §7), and a
revealed calibration's gaps per contact, section and question (never before the reveal:
`selectors.calibration_report` refuses a session still being scored)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from decroche.core.exports import (
    DATE_FORMAT,
    DECIMAL_FORMAT,
    SCORE_FORMAT,
    Section,
    sections_to_xlsx,
)

from . import selectors
from .models import Answer, CalibrationSession, Evaluation


def _name(advisor) -> str:
    return f"{advisor.first_name} {advisor.last_name}"


def evaluations_workbook(evaluations: QuerySet[Evaluation]) -> bytes:
    """One row per evaluation, then one row per answer (scores as real numbers)."""
    evaluations = evaluations.select_related(
        "advisor__site", "advisor__team", "reason", "grid_version__grid", "evaluator"
    ).order_by("-contact_day", "-id")
    listing = Section(
        _("Evaluations"),
        heading=[_("Quality evaluations")],
        headers=[
            _("Evaluation no."),
            _("Contact day"),
            _("Advisor"),
            _("Login"),
            _("Site"),
            _("Team"),
            _("Evaluated object"),
            _("Reason"),
            _("Grid"),
            _("Version"),
            _("Origin"),
            _("Evaluator's party"),
            _("Score /100"),
            _("Zeroed by a critical item"),
            _("Submitted on"),
            _("Acknowledged on"),
            _("Overall comment"),
        ],
        formats={1: DATE_FORMAT, 12: SCORE_FORMAT, 14: DATE_FORMAT, 15: DATE_FORMAT},
        widths=(12, 12, 24, 10, 14, 10, 16, 28, 28, 8, 14, 14, 10, 12, 12, 12, 40),
        frozen_columns=3,
    )
    ids = []
    for e in evaluations:
        ids.append(e.pk)
        listing.rows.append(
            [
                e.pk,
                e.contact_day,
                _name(e.advisor),
                e.advisor.login,
                e.advisor.site.name if e.advisor.site_id else "",
                e.advisor.team.code if e.advisor.team_id else "",
                e.get_evaluated_object_display(),
                e.reason.label if e.reason_id else "",
                e.grid_version.grid.name,
                e.grid_version.number,
                e.get_origin_display(),
                e.get_evaluator_party_display(),
                None if e.total is None else float(e.total),
                e.zeroed,
                e.submitted_at.date() if e.submitted_at else None,
                e.acknowledged_at.date() if e.acknowledged_at else None,
                e.comment,
            ]
        )
    answers = Section(
        _("Answers"),
        headers=[
            _("Evaluation no."),
            _("Advisor"),
            _("Section"),
            _("Question"),
            _("Answer"),
            _("Points"),
            _("Comment"),
        ],
        formats={5: DECIMAL_FORMAT},
        widths=(12, 24, 24, 40, 16, 8, 40),
        frozen_columns=1,
    )
    rows = (
        Answer.objects.filter(evaluation_id__in=ids)
        .select_related("evaluation__advisor", "question__section", "option")
        .order_by("-evaluation__contact_day", "-evaluation_id")
    )
    for a in rows:
        answers.rows.append(
            [
                a.evaluation_id,
                _name(a.evaluation.advisor),
                a.question.section.label,
                a.question.label,
                a.option.label,
                None if a.option.not_applicable else float(a.option.points),
                a.comment,
            ]
        )
    return sections_to_xlsx([listing, answers])


def calibration_workbook(session: CalibrationSession) -> bytes:
    """A revealed calibration: per contact the parties' totals, the gap and the gap per
    section (points of the total), critical disagreements and consensus; per question the
    gap in the question's points. Raises `selectors.CalibrationStillBlind` before the reveal."""
    report = selectors.calibration_report(session)
    sections = [s for s in selectors.grid_version_sections(session.grid_version) if not s.bonus]
    questions = [(q.code, q.label, s.label) for s in sections for q in s.questions.all()]
    labels = {code: label for code, label, _section in questions}
    title = f"{session.title} — {session.held_on:%d/%m/%Y}"
    before = [
        [_("Grid"), f"{session.grid_version.grid.name} (v{session.grid_version.number})"],
        [
            _("Average gap (points)"),
            None if report.average_gap is None else float(report.average_gap),
        ],
        [_("Within 5 points"), report.within_limit],
    ]
    contacts = Section(
        _("Gaps per contact"),
        heading=[_("Calibration") + f" : {title}"],
        before=before,
        headers=[
            _("Contact"),
            _("Contact day"),
            _("Advisor"),
            _("Contractor"),
            _("Cnam"),
            _("Gap"),
            *(_("Gap: %(section)s") % {"section": s.label} for s in sections),
            _("Within 5 points"),
            _("Critical disagreement"),
            _("Consensus"),
        ],
        formats={
            1: DATE_FORMAT,
            **{i: SCORE_FORMAT for i in range(3, 6 + len(sections))},
            8 + len(sections): SCORE_FORMAT,
        },
        widths=(9, 12, 24, 11, 11, 11, *([16] * len(sections)), 12, 30, 11),
    )
    per_question = Section(
        _("Gaps per question"),
        headers=[_("Contact"), _("Section"), _("Question"), _("Gap (question points)")],
        formats={3: DECIMAL_FORMAT},
        widths=(9, 24, 48, 14),
    )
    for number, line in enumerate(report.lines, start=1):
        contact = line.item.contact
        advisor = getattr(contact, "advisor", None)
        day = getattr(contact, "day", None) or getattr(contact, "received_day", None)
        consensus = None if line.consensus is None else float(line.consensus)
        gap = line.gap
        if gap is None:
            contacts.rows.append(
                [
                    number,
                    day,
                    _name(advisor) if advisor else "",
                    *([None] * (3 + len(sections))),
                    _("Not scored by both parties."),
                    "",
                    consensus,
                ]
            )
            continue
        contacts.rows.append(
            [
                number,
                day,
                _name(advisor) if advisor else "",
                float(gap.contractor_total),
                float(gap.cnam_total),
                float(gap.gap),
                *(float(gap.section_gaps[s.code]) for s in sections),
                gap.within_limit,
                " ; ".join(labels.get(c, c) for c in gap.critical_disagreements),
                consensus,
            ]
        )
        for code, label, section_label in questions:
            if code in gap.question_gaps:
                per_question.rows.append(
                    [number, section_label, label, float(gap.question_gaps[code])]
                )
    return sections_to_xlsx([contacts, per_question])
