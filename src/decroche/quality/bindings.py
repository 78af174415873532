"""The quality sources of the indicator catalogue (SPEC §3 quality indicators), bound to the
evaluations table: `indicators` names them, quality binds them at start-up.

- `calibrations`: every submitted score of a calibration, by the contractor and by the Cnam
  ("average calibration score (contractor + Cnam)": Σ scores / # calibration scores),
  dated by the calibrated call's Paris day;
- `ticket_evaluations`, `form_evaluations`: current evaluations of N2 tickets and of
  written replies (sampled, ad hoc or imported; calibration scores stay out), dated by the
  contact's day.
A revision replaces the evaluation it corrects (only `submitted` ones count).
"""

from __future__ import annotations

from django.db.models import Q

from decroche.indicators.bindings import SourceBinding, source_binding_register

from .choices import EvaluatedObject, EvaluationOrigin, EvaluationStatus
from .models import Evaluation

_GRAINS = {
    "site": "advisor__site__code",
    "team": "advisor__team__code",
    "reason": "reason__code",
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
}


def quality_sources_register() -> None:
    for source, binding in QUALITY_BINDINGS.items():
        source_binding_register(source, binding)
