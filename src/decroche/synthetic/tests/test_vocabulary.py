"""One contacts vocabulary: the models' choices, the importer's allowed values and the
generator's values are the same words (SPEC §3 names the terms; `contacts.choices` holds them).

The importer and the generator keep plain tuples (the generator indexes them in numpy
arrays, the importer checks raw text before any model exists); this test ties them to the
choices so that a value added in one place and forgotten in another fails here.
"""

from decroche.contacts.choices import AdvisorStateKind, CallOrigin, CallOutcome, Widening
from decroche.contacts.importing import records
from decroche.synthetic import shifts, traffic


def test_importer_accepts_exactly_the_models_values():
    assert records.CALL_OUTCOMES == set(CallOutcome.values)
    assert records.CALL_ORIGINS == set(CallOrigin.values)
    assert records.WIDENINGS == set(Widening.values)
    assert records.STATES == set(AdvisorStateKind.values)
    assert records.NOT_PUT_THROUGH <= records.CALL_OUTCOMES


def test_generator_writes_only_the_models_values():
    assert set(traffic.ORIGINS) == set(CallOrigin.values)
    assert set(traffic.WIDENINGS) == set(Widening.values)
    assert set(shifts.STATES) <= set(AdvisorStateKind.values)
    # The generator plays calls that reached the group: it never writes an IVR hang-up,
    # and writes every other outcome.
    assert set(traffic.OUTCOMES) == set(CallOutcome.values) - {CallOutcome.ENDED_IN_IVR}
