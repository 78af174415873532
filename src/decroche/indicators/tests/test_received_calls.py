"""Which calls the catalogue counts as received, and the accessibility rate (SPEC §3,
seed 002 §3.3.2): hand-computed cases through the whole engine."""

import pytest

from decroche.indicators.engine import Status

from .test_engine import call, indicator

pytestmark = pytest.mark.django_db


def test_calls_that_ended_in_the_ivr_are_not_received_by_the_group():
    for _ in range(6):
        call(wait=20, transferred_n1plus=False)
    call(wait=20, transferred_n1plus=True)
    call(outcome="abandoned", wait=100)
    call(origin="transfer_in", wait=40)
    for _ in range(3):
        call(outcome="ended_in_ivr")  # hung up in the IVR: never queued, no wait
    call(outcome="dissuaded_closure")

    by_id = {
        r.indicator: r
        for r in indicator("answer_rate")
        + indicator("average_wait")
        + indicator("transfer_rate_n1plus")
        + indicator("calls_received")
    }
    # answered: 6 + 1 + 1 transfer-in = 8
    # received direct: 6 + 1 + 1 abandoned + 1 dissuaded closure = 9 (the 3 IVR calls are not)
    # answer-rate denominator: 9 direct + 1 transfer-in − 1 dissuaded on closure = 9
    assert (by_id["answer_rate"].numerator, by_id["answer_rate"].denominator) == (8, 9)
    # wait: 7 × 20 + 100 + 40 = 280 s over the same 9 calls (IVR calls do not dilute it)
    assert (by_id["average_wait"].numerator, by_id["average_wait"].denominator) == (280, 9)
    assert by_id["average_wait"].value == pytest.approx(280 / 9)
    # received: 6 + 1 + 1 + 1 + 3 + 1 = 13 calls presented − 3 ended in the IVR = 10;
    # transferred to N1+: 1
    assert by_id["calls_received"].value == 10
    assert (
        by_id["transfer_rate_n1plus"].numerator,
        by_id["transfer_rate_n1plus"].denominator,
    ) == (1, 10)


def test_accessibility_counts_one_flow_of_exceptional_closures_and_stays_at_most_one():
    # During an exceptional closure, outside incidents: 4 played the closure calendar, 1 not.
    for _ in range(3):
        call(outcome="dissuaded_closure", on_closure_calendar=True, during_exceptional_closure=True)
    call(outcome="ended_in_ivr", on_closure_calendar=True, during_exceptional_closure=True)
    call(outcome="abandoned", during_exceptional_closure=True)  # misrouted: a miss
    # During an exceptional closure but a declared technical incident: in neither term.
    call(outcome="dissuaded_closure", during_exceptional_closure=True, technical_incident=True)
    call(outcome="abandoned", during_exceptional_closure=True, technical_incident=True)
    # Ordinary closure calendars (evenings): before, 5 extra in the numerator only.
    for _ in range(5):
        call(outcome="dissuaded_closure", on_closure_calendar=True)
    # Open hours: nothing to do with closures.
    call()

    (result,) = indicator("accessibility_rate")

    # numerator: on the calendar during an exceptional closure, no incident = 3 + 1 = 4
    # denominator: during an exceptional closure, no incident = 4 + 1 misrouted = 5
    # (the old numerator, every closure calendar: 4 + 5 evenings = 9 → 9 / 5 = 1.8 > 1)
    assert (result.numerator, result.denominator) == (4, 5)
    assert result.value == pytest.approx(0.8) and result.value <= 1
    assert result.status == Status.MISSED  # target >= 1.00


@pytest.mark.parametrize("seed", range(5))
def test_accessibility_never_exceeds_one_whatever_the_flags(seed):
    import random

    rng = random.Random(seed)
    for _ in range(60):
        call(
            outcome=rng.choice(["dissuaded_closure", "ended_in_ivr", "abandoned"]),
            on_closure_calendar=rng.random() < 0.6,
            during_exceptional_closure=rng.random() < 0.4,
            technical_incident=rng.random() < 0.2,
        )
    (result,) = indicator("accessibility_rate")
    assert result.denominator > 0
    assert result.numerator <= result.denominator
    assert result.value <= 1
