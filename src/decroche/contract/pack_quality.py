"""The committee packs' quality section (SPEC §6 "performance, quality, satisfaction";
SPEC §7 the quality plan; SPEC §4 "watch the gap between perceived quality (satisfaction)
and produced quality (evaluations)"): the quality indicators (the three levels' scores and
the commitments per advisor), the Cnam–contractor calibration gaps, disputes, feedback and
coaching, and perceived against produced quality per reason and per advisor."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from decroche.core.exports import DECIMAL_FORMAT, SCORE_FORMAT, Cell, Section, unit_cell
from decroche.quality import selectors as quality

from .pack_sections import indicator_section


def _calibrations_section(start: dt.date, end: dt.date) -> Section:
    section = Section(
        _("Quality: Cnam–contractor calibration gaps"),
        [_("Calibration"), _("Held on"), _("Average gap (points)"), _("Within 5 points")],
        formats={2: DECIMAL_FORMAT},
        note=_("Revealed calibrations only; the rule is a gap of at most 5 points."),
    )
    for line in quality.calibrations_revealed(start, end):
        section.rows.append(
            [
                line.session.title,
                line.session.held_on,
                None if line.average_gap is None else float(line.average_gap),
                Cell(
                    _("yes") if line.within_limit else _("no"),
                    "General",
                    tone="success" if line.within_limit else "error",
                ),
            ]
        )
    if not section.rows:
        section.note = _("No calibration revealed in this period.")
    return section


def _follow_up_section(start: dt.date, end: dt.date) -> Section:
    disputes = quality.disputes_counts(start, end)
    coaching = quality.coaching_counts(start, end)
    return Section(
        _("Quality: disputes, feedback and coaching"),
        [_("Item"), _("Count")],
        [
            [_("Disputes raised"), disputes["raised"]],
            [_("Disputes decided: score kept"), disputes["kept"]],
            [_("Disputes decided: score changed"), disputes["changed"]],
            [_("Disputes open at the end of the period"), disputes["open"]],
            [_("Feedback sessions held"), coaching["feedback"]],
            [_("Coachings started"), coaching["coaching"]],
            [_("Coachings closed"), coaching["closed"]],
            [_("Coachings open at the end of the period"), coaching["open"]],
        ],
    )


def _gap_section(start: dt.date, end: dt.date, by: str, title: str) -> Section:
    lines = quality.perceived_and_produced(start, end, by)
    section = Section(
        title,
        [
            _("Reason") if by == "reason" else _("Advisor"),
            _("Surveys"),
            _("Satisfaction (CSAT 4–5)"),
            _("Evaluations"),
            _("Average score /100"),
            _("Gap (points)"),
        ],
        formats={4: SCORE_FORMAT, 5: SCORE_FORMAT},
        note=_(
            "Perceived quality: share of hot-satisfaction answers scored 4 or 5 out of 5. "
            "Produced quality: average score of the evaluations (calibrations left out). "
            "Gap: the score minus the satisfaction as a percentage, in points."
        ),
    )
    if not any(line.surveys for line in lines):
        section.note = _("No satisfaction data for this period: produced quality only.") + (
            " " + section.note
        )
    for line in lines:
        gap = line.gap
        section.rows.append(
            [
                line.label,
                line.surveys,
                unit_cell(line.satisfied_share, "rate"),
                line.evaluations,
                None if line.average_score is None else float(line.average_score),
                None if gap is None else float(gap),
            ]
        )
    if not lines:
        section.note = _("No satisfaction answer nor evaluation in this period.")
    return section


def quality_sections(start: dt.date, end: dt.date) -> list[Section]:
    return [
        indicator_section(_("Quality"), start, end, "quality"),
        _calibrations_section(start, end),
        _follow_up_section(start, end),
        _gap_section(start, end, "reason", _("Perceived and produced quality, per reason")),
        _gap_section(start, end, "advisor", _("Perceived and produced quality, per advisor")),
    ]
