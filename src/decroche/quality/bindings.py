"""The quality sources of the indicator catalogue (SPEC §3 quality indicators), bound to the
evaluations table: `indicators` names them, quality binds them at start-up.

- `calibrations`: every submitted score of a calibration, by the contractor and by the Cnam
  ("average calibration score (contractor + Cnam)": Σ scores / # calibration scores),
  dated by the calibrated call's Paris day;
- `ticket_evaluations`, `form_evaluations`: current evaluations of N2 tickets and of
  written replies (sampled, ad hoc or imported; calibration scores stay out), dated by the
  contact's day.
A revision replaces the evaluation it corrects (only `submitted` ones count).

The quality plan's commitments (SPEC §7 "a committed number of evaluations per advisor per
month and of feedback sessions per advisor per month"):
- `quality_evaluations`: the same current evaluations, of every kind of contact;
- `feedback_sessions`: feedback and coaching sessions, dated by the day they were held;
- `advisor_commitments`: one row per advisor employed during the month (joined by its last
  day, not left before its first, not absent all month), carrying the commitment in force
  on the month's first day (`QualityCommitment`), dated by the month's first day (or the
  period's first day when the period starts within the month: a month's commitment counts
  once, in the bucket the month starts in). No reason: the commitment is per advisor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Q

from decroche.core.calendar import add_months, month_first, month_last
from decroche.indicators.bindings import SourceBinding, row_matches, source_binding_register
from decroche.indicators.formula import Measure
from decroche.organisation.models import Advisor

from .choices import EvaluatedObject, EvaluationOrigin, EvaluationStatus
from .models import CoachingSession, Evaluation, QualityCommitment

_GRAINS = {
    "site": "advisor__site__code",
    "team": "advisor__team__code",
    "reason": "reason__code",
    "advisor": "advisor__login",
}
_ADVISOR_GRAINS = {
    "site": "advisor__site__code",
    "team": "advisor__team__code",
    "advisor": "advisor__login",
}
_FIELDS = {**_GRAINS, "score": "total", "evaluator": "evaluator_party"}
_RESULTS = [EvaluationOrigin.SAMPLING, EvaluationOrigin.AD_HOC, EvaluationOrigin.IMPORTED]


def _binding(channel: str, base: Q) -> SourceBinding:
    return SourceBinding(
        model=Evaluation,
        day_field="contact_day",
        channel=channel,
        fields=_FIELDS,
        grains=_GRAINS,
        base=Q(status=EvaluationStatus.SUBMITTED) & base,
    )


QUALITY_BINDINGS = {
    "calibrations": _binding(
        "phone",
        Q(origin=EvaluationOrigin.CALIBRATION, evaluated_object=EvaluatedObject.CALL),
    ),
    "ticket_evaluations": _binding(
        "phone", Q(origin__in=_RESULTS, evaluated_object=EvaluatedObject.TICKET)
    ),
    "form_evaluations": _binding(
        "form", Q(origin__in=_RESULTS, evaluated_object=EvaluatedObject.FORM)
    ),
    "quality_evaluations": SourceBinding(
        model=Evaluation,
        day_field="contact_day",
        channel=None,
        fields={**_GRAINS, "score": "total", "object": "evaluated_object"},
        grains=_GRAINS,
        base=Q(status=EvaluationStatus.SUBMITTED, origin__in=_RESULTS),
    ),
    "feedback_sessions": SourceBinding(
        model=CoachingSession,
        day_field="held_on",
        channel=None,
        fields={**_ADVISOR_GRAINS, "kind": "kind"},
        grains=_ADVISOR_GRAINS,
    ),
}


def advisor_commitment_rows(
    measures: Sequence[Measure], start: dt.date, end: dt.date, grouped: Sequence[str]
) -> list[tuple]:
    """One row per advisor per month of [start, end] (see the module docstring): (day,
    *`grouped` columns of `Advisor`, *measure values)."""
    commitments = list(QualityCommitment.objects.order_by("valid_from"))
    advisors = list(
        Advisor.objects.filter(joined_on__lte=end)
        .exclude(left_on__lt=start)
        .values(
            "site_id",
            "team_id",
            "login",
            "site__code",
            "team__code",
            "joined_on",
            "left_on",
            "absent_from",
            "absent_to",
        )
    )
    heads = {"site": "site_id", "team": "team_id", "login": "login"}
    rows = []
    month = month_first(start)
    while month <= end:
        last = month_last(month)
        in_force = [c for c in commitments if c.valid_from <= month]
        commitment = in_force[-1] if in_force else QualityCommitment(valid_from=month)
        day = max(month, start)
        for advisor in advisors:
            if advisor["joined_on"] > last or (
                advisor["left_on"] is not None and advisor["left_on"] < month
            ):
                continue
            if (
                advisor["absent_from"] is not None
                and advisor["absent_from"] <= month
                and (advisor["absent_to"] is None or advisor["absent_to"] >= last)
            ):
                continue
            row = {
                "site": advisor["site__code"],
                "team": advisor["team__code"],
                "advisor": advisor["login"],
                "evaluations": commitment.evaluations_per_month,
                "feedback": commitment.feedback_per_month,
            }
            values = [
                (1 if measure.aggregate == "count" else row[measure.field])
                if row_matches(measure.condition, row)
                else 0
                for measure in measures
            ]
            rows.append((day, *(advisor[heads[g]] for g in grouped), *values))
        month = add_months(month, 1)
    return rows


QUALITY_BINDINGS["advisor_commitments"] = SourceBinding(
    model=Advisor,
    day_field="joined_on",  # not read: the rows are computed (`advisor_commitment_rows`)
    channel=None,
    fields={
        "site": "site__code",
        "team": "team__code",
        "advisor": "login",
        "evaluations": "evaluations",
        "feedback": "feedback",
    },
    grains={"site": "site__code", "team": "team__code", "advisor": "login"},
    rows=advisor_commitment_rows,
)


def quality_sources_register() -> None:
    for source, binding in QUALITY_BINDINGS.items():
        source_binding_register(source, binding)
