"""Hand-computed cases for the contract formulas of SPEC §3, through the whole engine."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from decroche.contacts.models import AdvisorState, Call, ContactForm
from decroche.indicators.catalogue import load_catalogue
from decroche.indicators.engine import Status
from decroche.indicators.periods import buckets
from decroche.indicators.selectors import compute
from decroche.organisation.models import ContactReason, Site

PARIS = ZoneInfo("Europe/Paris")
MONDAY = dt.date(2026, 3, 2)
CATALOGUE = load_catalogue()
BY_ID = {d.id: d for d in CATALOGUE.indicators}


def indicator(indicator_id, *, start=MONDAY, end=MONDAY, period="range", grain=()):
    return compute(
        [BY_ID[indicator_id]], CATALOGUE.measures, start=start, end=end, period=period, grain=grain
    )


_counter = iter(range(1_000_000))


def call(
    *,
    at=None,
    origin="direct",
    outcome="answered",
    widening="",
    wait=0,
    talk=0,
    wrap=0,
    site=None,
    reason=None,
    **extra,
):
    arrived = at or dt.datetime.combine(MONDAY, dt.time(9, 0), tzinfo=PARIS)
    return Call.objects.create(
        source_system="test",
        source_id=str(next(_counter)),
        arrived_at=arrived,
        origin=origin,
        outcome=outcome,
        widening=widening,
        wait_seconds=wait,
        talk_seconds=talk,
        wrap_up_seconds=wrap,
        site=site,
        reason=reason,
        **extra,
    )


@pytest.mark.django_db
def test_answer_rate_with_every_correction_term():
    for _ in range(10):
        call()
    for _ in range(2):
        call(outcome="abandoned")
    call(origin="transfer_in")
    call(origin="overflow_in")
    call(outcome="dissuaded_telecom")
    call(outcome="dissuaded_closure")
    call(outcome="overflowed_out")
    call(outcome="taken_back")
    call(widening="on_this_group")
    call(widening="on_this_group")
    call(widening="on_other_group")
    (result,) = indicator("answer_rate")
    # One population (catalogue.toml, "Answer rate"): the calls that arrived in this group's
    # queues, plus those of another group it handled in widening.
    # handled by this group: 10 + 1 transfer-in + 1 overflow-in + 2 widening here = 14 (the
    # call handled in widening on another group is not this group's)
    # received direct, widening here excluded (it has its own term):
    #   10 + 2 abandoned + 4 (telecom, closure, overflowed out, taken back) + 1 elsewhere = 17
    # denominator: 17 + 1 transfer-in + 1 overflow-in - 1 telecom - 1 closure
    #   - 1 overflowed out - 1 taken back + 2 widening here - 1 widening elsewhere = 16
    assert (result.numerator, result.denominator) == (14, 16)
    assert result.value == pytest.approx(14 / 16)
    assert result.status == Status.MISSED  # 0.875 < 0.90


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("extra", "denominator"),
    [
        ({}, 5),  # base: 4 answered + 1 abandoned, all direct = 5
        ({"origin": "transfer_in", "outcome": "abandoned"}, 6),  # + transferred in
        ({"origin": "overflow_in", "outcome": "abandoned"}, 6),  # + overflowed in
        ({"outcome": "dissuaded_telecom"}, 5),  # +1 received direct -1 dissuaded telecom
        ({"outcome": "dissuaded_closure"}, 5),  # +1 received direct -1 dissuaded closure
        ({"outcome": "overflowed_out"}, 5),  # +1 received direct -1 overflowed out
        ({"outcome": "taken_back"}, 5),  # +1 received direct -1 taken back
        # a call of another group abandoned after widening: neither received here (not in
        # this group's queues) nor handled here
        ({"outcome": "abandoned", "widening": "on_this_group"}, 5),
        # abandoned after widening onto another group: received here, handled nowhere
        ({"outcome": "abandoned", "widening": "on_other_group"}, 6),
    ],
)
def test_each_answer_rate_term_on_its_own(extra, denominator):
    for _ in range(4):
        call()
    call(outcome="abandoned")
    if extra:
        call(**extra)
    (result,) = indicator("answer_rate")
    assert result.numerator == 4
    assert result.denominator == denominator


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("extra", "denominator"),
    [
        ({}, 3),
        ({"origin": "transfer_in"}, 4),
        ({"origin": "overflow_in"}, 4),
        ({"outcome": "dissuaded_closure"}, 3),  # +1 direct -1 dissuaded on closure
        ({"outcome": "dissuaded_telecom"}, 3),  # +1 direct -1 dissuaded on telecom problem
        ({"outcome": "overflowed_out"}, 4),  # not a term of the waiting-time denominator
    ],
)
def test_average_wait_terms(extra, denominator):
    call(wait=30)
    call(wait=90)
    call(outcome="abandoned", wait=240)
    if extra:
        call(**extra)
    (result,) = indicator("average_wait")
    # total wait 30 + 90 + 240 = 360 s, abandoned callers' wait included
    assert result.numerator == 360
    assert result.denominator == denominator
    assert result.value == pytest.approx(360 / denominator)


@pytest.mark.django_db
def test_handling_talk_and_qualification():
    reason = ContactReason.objects.get(code="out-of-scope")
    call(talk=200, wrap=40, reason=reason)
    call(talk=260, wrap=20, reason=reason)
    call(talk=150, wrap=30)  # answered, not qualified
    call(outcome="abandoned", wait=60, talk=0)
    results = {
        r.indicator: r
        for r in compute(
            [
                BY_ID[i]
                for i in (
                    "average_handling_time",
                    "average_talk_time",
                    "qualification_rate",
                    "calls_received",
                    "calls_handled",
                )
            ],
            CATALOGUE.measures,
            start=MONDAY,
            end=MONDAY,
            period="range",
        )
    }
    # DMT: (200 + 260 + 150 talk + 40 + 20 + 30 wrap-up) / 3 handled = 700 / 3
    assert results["average_handling_time"].value == pytest.approx(700 / 3)
    assert results["average_handling_time"].status == Status.MET  # 233 s <= 300 s
    assert results["average_talk_time"].value == pytest.approx(610 / 3)
    assert results["average_talk_time"].status == Status.NO_TARGET
    # qualified 2 of 3 answered
    assert results["qualification_rate"].value == pytest.approx(2 / 3)
    assert results["calls_received"].value == 4
    assert results["calls_handled"].value == 3


@pytest.mark.django_db
def test_no_calls_and_all_abandoned():
    (empty,) = indicator("answer_rate")
    assert empty.status == Status.NO_DATA and empty.value is None
    call(outcome="abandoned")
    call(outcome="abandoned")
    (all_abandoned,) = indicator("answer_rate")
    assert (all_abandoned.value, all_abandoned.status) == (0, Status.MISSED)


@pytest.mark.django_db
def test_days_follow_paris_time_and_working_days():
    # 31 March 2026 22:30 UTC is 1 April 00:30 in Paris (summer time): it counts in April.
    call(at=dt.datetime(2026, 3, 31, 22, 30, tzinfo=dt.UTC))
    call(at=dt.datetime(2026, 3, 31, 21, 30, tzinfo=dt.UTC))  # 23:30 in Paris, March
    results = indicator(
        "calls_received", start=dt.date(2026, 3, 1), end=dt.date(2026, 4, 30), period="month"
    )
    assert [(r.period_start, r.value) for r in results] == [
        (dt.date(2026, 3, 1), 1),
        (dt.date(2026, 4, 1), 1),
    ]
    # 1 May 2026 (Friday) is a public holiday: not a day bucket of service; 4 May is.
    days = buckets(dt.date(2026, 4, 30), dt.date(2026, 5, 4), "day")
    assert [first for first, _ in days] == [dt.date(2026, 4, 30), dt.date(2026, 5, 4)]
    # ...but a contact received that day is still counted on its own day.
    call(at=dt.datetime(2026, 5, 1, 10, 0, tzinfo=PARIS))
    by_day = indicator(
        "calls_received", start=dt.date(2026, 4, 30), end=dt.date(2026, 5, 4), period="day"
    )
    assert [(r.period_start, r.value) for r in by_day] == [
        (dt.date(2026, 4, 30), 0),
        (dt.date(2026, 5, 1), 1),
        (dt.date(2026, 5, 4), 0),
    ]


@pytest.mark.django_db
def test_grain_by_site_and_reason():
    north, south = (
        Site.objects.create(code="nord", name="Nord"),
        Site.objects.create(code="sud", name="Sud"),
    )
    reason = ContactReason.objects.get(code="cv-serial-unreadable")
    call(site=north, reason=reason)
    call(site=north, outcome="abandoned")
    call(site=south, reason=reason)
    results = indicator("answer_rate", grain=("site",))
    assert [(dict(r.keys)["site"], r.numerator, r.denominator) for r in results] == [
        ("nord", 1, 2),
        ("sud", 1, 1),
    ]
    by_reason = indicator("calls_handled", grain=("site", "reason"))
    assert {(dict(r.keys)["site"], dict(r.keys)["reason"]): r.value for r in by_reason} == {
        ("nord", "cv-serial-unreadable"): 1,
        ("nord", None): 0,
        ("sud", "cv-serial-unreadable"): 1,
    }


@pytest.mark.django_db
def test_availability_rate_from_states(advisor):
    start = dt.datetime.combine(MONDAY, dt.time(9, 0), tzinfo=PARIS)
    for offset, state, seconds in [
        (0, "available", 300),
        (300, "talking", 2400),
        (2700, "wrap_up", 300),
        (3000, "pause", 600),
        (3600, "training", 3600),
    ]:
        begin = start + dt.timedelta(seconds=offset)
        AdvisorState.objects.create(
            advisor=advisor,
            state=state,
            started_at=begin,
            ended_at=begin + dt.timedelta(seconds=seconds),
            duration_seconds=seconds,
            source_system="test",
        )
    (result,) = indicator("availability_rate")
    # available 300 / logged in on phone (300 + 2400 + 300 + 600 = 3600); training is not phone activity
    assert (result.numerator, result.denominator) == (300, 3600)
    assert result.status == Status.MET  # 8.3% < 10%
    # Agent states cannot be split by contact reason: no data rather than a wrong figure.
    (by_reason,) = [r for r in indicator("availability_rate", grain=("reason",))] or [None]
    assert by_reason is None


@pytest.mark.django_db
def test_forms_response_rate_and_backlog():
    def form(received, answered=None):
        ContactForm.objects.create(
            source_system="t",
            source_id=str(next(_counter)),
            received_at=received,
            answered_at=answered,
        )

    nine = dt.time(9, 0)
    march_2 = dt.datetime.combine(dt.date(2026, 3, 2), nine, tzinfo=PARIS)
    march_31 = dt.datetime.combine(dt.date(2026, 3, 31), nine, tzinfo=PARIS)
    april_1 = dt.datetime.combine(dt.date(2026, 4, 1), nine, tzinfo=PARIS)
    form(march_2, march_2 + dt.timedelta(hours=2))
    form(march_2, april_1)  # answered next month
    form(march_31)  # never answered
    form(april_1)
    results = {
        r.indicator: r
        for r in compute(
            [BY_ID["forms_response_rate"], BY_ID["forms_backlog"]],
            CATALOGUE.measures,
            start=dt.date(2026, 3, 1),
            end=dt.date(2026, 3, 31),
            period="month",
        )
    }
    # March: 3 received, of which 2 answered (one on 2 March, one on 1 April) -> 2/3: the
    # numerator counts the forms of the denominator that were answered (catalogue.toml,
    # forms_received_answered), never a form received in another month.
    # Open at 31 March: the one answered 1 April + the unanswered = 2
    assert (
        results["forms_response_rate"].numerator,
        results["forms_response_rate"].denominator,
    ) == (2, 3)
    assert results["forms_backlog"].value == 2
    (april,) = compute(
        [BY_ID["forms_response_rate"]],
        CATALOGUE.measures,
        start=dt.date(2026, 4, 1),
        end=dt.date(2026, 4, 30),
        period="month",
    )
    # April: 1 received, not answered -> 0/1. Before, the form of 2 March answered on 1 April
    # counted in April's numerator only: 1/1, a 100 % that no April form had earned.
    assert (april.numerator, april.denominator) == (0, 1)


@pytest.mark.django_db
def test_pending_sources_measure_no_data():
    (result,) = indicator("phone_quality_score")
    assert result.status == Status.NO_DATA


@pytest.mark.django_db
def test_satisfaction_indicators_hand_computed():
    from decroche.contacts.models import SurveyResponse

    answers = [  # (csat, resolved, ces, nps, channel)
        (5, True, 7, 10, "phone"),
        (4, True, 6, 9, "phone"),
        (3, False, 3, 7, "phone"),
        (1, False, 1, 0, "form"),
        (None, None, None, 6, "form"),
    ]
    for index, (csat, resolved, ces, nps, channel) in enumerate(answers):
        SurveyResponse.objects.create(
            source_system="t",
            source_id=str(index),
            contact_id=str(index),
            channel=channel,
            answered_at=dt.datetime.combine(MONDAY, dt.time(11), tzinfo=PARIS),
            csat=csat,
            resolved=resolved,
            ces=ces,
            nps=nps,
        )
    codes = ["csat", "nps", "ces_average", "ces_agree_rate", "fcr_surveyed"]
    results = {
        r.indicator: r
        for r in compute(
            [BY_ID[c] for c in codes], CATALOGUE.measures, start=MONDAY, end=MONDAY, period="range"
        )
    }
    # CSAT: 4 and 5 are 2 of the 4 answers to that question -> 0.5
    assert (results["csat"].numerator, results["csat"].denominator) == (2, 4)
    # NPS: promoters 10, 9 = 2; detractors 0, 6 = 2 (7 is passive); 100 * (2 - 2) / 5 = 0
    assert results["nps"].value == 0 and results["nps"].denominator == 5
    # CES mean: (7 + 6 + 3 + 1) / 4 = 4.25; agreeing (5-7): 2 of 4
    assert results["ces_average"].value == pytest.approx(4.25)
    assert results["ces_agree_rate"].value == pytest.approx(0.5)
    # FCR declared: 2 resolved of 4 answers
    assert results["fcr_surveyed"].value == pytest.approx(0.5)
    by_channel = compute(
        [BY_ID["csat"]],
        CATALOGUE.measures,
        start=MONDAY,
        end=MONDAY,
        period="range",
        grain=("channel",),
    )
    # phone: 5 and 4 of 3 answers; form: none of 1 answer
    assert {dict(r.keys)["channel"]: (r.numerator, r.denominator) for r in by_channel} == {
        "phone": (2, 3),
        "form": (0, 1),
    }


@pytest.mark.django_db
def test_fcr_without_repeat_within_seven_days():
    from decroche.contacts.repeats import repeat_delays_refresh

    card = ContactReason.objects.get(code="cv-serial-unreadable")
    first = dt.datetime.combine(MONDAY, dt.time(10), tzinfo=PARIS)
    call(at=first, caller_hash="alice", reason=card)
    call(at=first + dt.timedelta(days=3), caller_hash="alice", reason=card)  # repeat after 3 days
    call(at=first, caller_hash="bob", reason=card)
    call(at=first + dt.timedelta(days=9), caller_hash="bob", reason=card)  # repeat after 9 days
    call(at=first, caller_hash="", reason=card)  # unidentified caller: outside the measure
    repeat_delays_refresh()
    (result,) = indicator("fcr_no_repeat", start=MONDAY, end=MONDAY + dt.timedelta(days=30))
    # identified answered calls: 4; resolved = no repeat within 7 days: bob's first (9 > 7),
    # alice's second and bob's second (no later call) = 3 -> 3 / 4
    assert (result.numerator, result.denominator) == (3, 4)
