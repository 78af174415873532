"""One dataset, every catalogue indicator, every engine: the figures must be identical (SPEC §3).

The Django database (SQLite here; PostgreSQL when CI sets DATABASE_URL) is compared with
Apache Spark reading the Parquet export of the same rows, for several periods and grains.
Every numerator, denominator, value and status must agree.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import random
import shutil
from zoneinfo import ZoneInfo

import pytest

pytest.importorskip("pyarrow", reason="pyarrow is not installed: the Spark engine reads Parquet")
pytest.importorskip("pyspark", reason="pyspark is not installed: Spark comparison skipped")
if shutil.which("java") is None:
    pytest.skip("Java is not on the PATH: Spark cannot start", allow_module_level=True)

from decroche.contacts.models import AdvisorState, Call, ContactForm, SurveyResponse  # noqa: E402
from decroche.indicators.catalogue import IndicatorDefinition, load_catalogue  # noqa: E402
from decroche.indicators.parquet import export_contacts  # noqa: E402
from decroche.indicators.selectors import compute  # noqa: E402
from decroche.indicators.spark import SparkQuerySource, spark_session  # noqa: E402
from decroche.organisation.models import Advisor, ContactReason, Site, Team  # noqa: E402

PARIS = ZoneInfo("Europe/Paris")
UTC = dt.UTC
CATALOGUE = load_catalogue()
FIRST_DAY = dt.date(2026, 2, 20)
LAST_DAY = dt.date(2026, 3, 13)

SPANS = {
    # Working-day buckets; Sunday 1 March only shows because a call falls on it.
    "day": (dt.date(2026, 2, 27), dt.date(2026, 3, 3)),
    # A range starting on a Wednesday: the first week is clipped to it.
    "week": (dt.date(2026, 2, 25), dt.date(2026, 3, 13)),
    "month": (dt.date(2026, 2, 1), dt.date(2026, 3, 31)),
    "range": (dt.date(2026, 2, 25), dt.date(2026, 3, 10)),
}
GRAINS = [(), ("site",), ("team",), ("reason",), ("advisor",), ("site", "reason"), ("channel",)]


@pytest.fixture(scope="module")
def spark():
    session = spark_session(app_name="decroche-test-engines")
    yield session
    session.stop()


def _paris(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=PARIS)


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def build_dataset() -> None:
    """A few hundred rows covering every outcome, origin, widening and flag of calls, forms
    answered later or never, advisor states of every kind and survey answers."""
    rng = random.Random(2026)
    grenoble = Site.objects.create(code="grenoble", name="Grenoble")
    lyon = Site.objects.create(code="lyon", name="Lyon")
    teams = [
        Team.objects.create(site=grenoble, code="gre-a", name="Grenoble A"),
        Team.objects.create(site=grenoble, code="gre-b", name="Grenoble B"),
        Team.objects.create(site=lyon, code="lyo-a", name="Lyon A"),
    ]
    advisors = [
        Advisor.objects.create(
            login=login,
            first_name="X",
            last_name=login,
            site=site,
            team=team,
            joined_on=dt.date(2025, 1, 6),
        )
        for login, site, team in [
            ("A1", grenoble, teams[0]),
            ("A2", grenoble, teams[1]),
            ("A3", lyon, teams[2]),
            ("A4", lyon, None),  # no team: a None key at the team grain
        ]
    ]
    reasons = list(ContactReason.objects.order_by("code")[:3])
    weekdays = [d for d in _days(FIRST_DAY, LAST_DAY) if d.weekday() < 5]

    calls: list[Call] = []

    def add_call(arrived: dt.datetime, origin: str, outcome: str, widening: str) -> None:
        answered = outcome == "answered"
        advisor = rng.choice(advisors) if answered or rng.random() < 0.2 else None
        on_calendar = rng.random() < 0.25
        calls.append(
            Call(
                source_system="test",
                source_id=str(len(calls)),
                arrived_at=arrived,
                origin=origin,
                outcome=outcome,
                widening=widening,
                wait_seconds=rng.randint(0, 400),
                talk_seconds=rng.randint(30, 600) if answered else 0,
                wrap_up_seconds=rng.randint(0, 120) if answered else 0,
                transferred_n1plus=answered and rng.random() < 0.15,
                n2_ticket=rng.random() < 0.05,
                on_closure_calendar=on_calendar,
                during_exceptional_closure=on_calendar or rng.random() < 0.1,
                technical_incident=rng.random() < 0.1,
                caller_hash=rng.choice(["", f"h{rng.randint(1, 40)}"]),
                days_to_repeat=rng.choice([None, None, 2, 7, 8, 30]),
                advisor=advisor,
                site=advisor.site if advisor else rng.choice([grenoble, lyon, None]),
                reason=rng.choice([*reasons, None]) if answered else rng.choice([None, reasons[0]]),
            )
        )

    combinations = list(
        itertools.product(
            ["direct", "transfer_in", "overflow_in"],
            [
                "answered",
                "answered",
                "abandoned",
                "dissuaded_telecom",
                "dissuaded_closure",
                "overflowed_out",
                "taken_back",
                "ended_in_ivr",
            ],
            ["", "", "on_this_group", "on_other_group"],
        )
    )
    for origin, outcome, widening in itertools.chain(combinations, combinations):
        for _ in range(3):
            day = rng.choice(weekdays)
            add_call(
                _paris(day, 8, 30) + dt.timedelta(minutes=rng.randint(0, 540)),
                origin,
                outcome,
                widening,
            )
    # Paris-midnight edges: 23:30 UTC on Saturday 28 February is 00:30 on Sunday 1 March
    # in Paris (March, a non-working day); 22:59 UTC on 2 March is still 2 March in Paris.
    add_call(dt.datetime(2026, 2, 28, 23, 30, tzinfo=UTC), "direct", "answered", "")
    add_call(dt.datetime(2026, 3, 2, 22, 59, tzinfo=UTC), "direct", "answered", "")
    add_call(dt.datetime(2026, 3, 2, 23, 0, tzinfo=UTC), "transfer_in", "abandoned", "")
    add_call(dt.datetime(2026, 2, 27, 22, 30, tzinfo=UTC), "direct", "answered", "")
    for record in calls:
        record.fill_local_days()
    Call.objects.bulk_create(calls)

    forms: list[ContactForm] = []
    for number in range(90):
        received = _paris(rng.choice(weekdays), 7) + dt.timedelta(minutes=rng.randint(0, 900))
        delay = rng.choice([None, 0, 0, 1, 2, 5, 12, 25])  # some answered after the spans
        answered = received + dt.timedelta(days=delay, hours=1) if delay is not None else None
        advisor = rng.choice(advisors) if answered else None
        forms.append(
            ContactForm(
                source_system="test",
                source_id=str(number),
                received_at=received,
                answered_at=answered,
                handling_seconds=rng.randint(60, 900) if answered else 0,
                topic=rng.choice(["carte vitale", "dmp", ""]),
                template_reply=rng.choice(["", "T1"]),
                advisor=advisor,
                site=advisor.site if advisor else rng.choice([grenoble, lyon]),
                reason=rng.choice([*reasons, None]),
            )
        )
    for record in forms:
        record.fill_local_days()
    ContactForm.objects.bulk_create(forms)

    states: list[AdvisorState] = []
    kinds = ["available", "talking", "wrap_up", "pause", "training", "internal", "forms"]
    for advisor, day in itertools.product(advisors, weekdays):
        began = _paris(day, 8, 30)
        for kind in rng.sample(kinds, 4):
            seconds = rng.randint(600, 7200)
            states.append(
                AdvisorState(
                    advisor=advisor,
                    state=kind,
                    started_at=began,
                    ended_at=began + dt.timedelta(seconds=seconds),
                    duration_seconds=seconds,
                    source_system="test",
                )
            )
            began += dt.timedelta(seconds=seconds)
    for record in states:
        record.fill_local_days()
    AdvisorState.objects.bulk_create(states)

    surveys: list[SurveyResponse] = []
    for number in range(70):
        advisor = rng.choice([*advisors, None])
        surveys.append(
            SurveyResponse(
                source_system="test",
                source_id=str(number),
                channel=rng.choice(["phone", "phone", "form", "email"]),
                contact_id=str(number),
                answered_at=_paris(rng.choice(weekdays), 10) + dt.timedelta(minutes=number),
                csat=rng.choice([None, 1, 2, 3, 4, 5]),
                resolved=rng.choice([None, True, False]),
                ces=rng.choice([None, 1, 4, 5, 7]),
                nps=rng.choice([None, 0, 6, 7, 8, 9, 10]),
                advisor=advisor,
                site=advisor.site if advisor else None,
                reason=rng.choice([*reasons, None]),
            )
        )
    for record in surveys:
        record.fill_local_days()
    SurveyResponse.objects.bulk_create(surveys)


def _by_key(results):
    return {(r.indicator, r.period_start, r.keys): r for r in results}


def _same(left, right) -> bool:
    if not isinstance(left, float) or not isinstance(right, float):
        return left == right
    return left == pytest.approx(right, rel=1e-12, abs=1e-12)


@pytest.mark.django_db
@pytest.mark.parametrize("grain", GRAINS, ids=lambda g: "+".join(g) or "overall")
@pytest.mark.parametrize("period", list(SPANS))
def test_django_and_spark_give_identical_figures(spark, tmp_path, period, grain):
    build_dataset()
    export_contacts(tmp_path)
    start, end = SPANS[period]
    arguments = dict(start=start, end=end, period=period, grain=grain)
    # The quality commitments' and the trained advisors' rows are computed from the
    # database (one per advisor per month, `SourceBinding.rows`): no Parquet table holds
    # them, Spark measures no data.
    computed = ("advisor_commitments", "operational_advisors")
    definitions = [
        d for d in CATALOGUE.indicators if not any(source in d.formula for source in computed)
    ]
    on_database = _by_key(compute(definitions, CATALOGUE.measures, **arguments))
    on_spark = _by_key(
        compute(
            definitions,
            CATALOGUE.measures,
            query_source=SparkQuerySource(spark, tmp_path),
            **arguments,
        )
    )
    assert sorted(on_spark, key=str) == sorted(on_database, key=str)
    assert len(on_database) >= len(definitions)
    differences = [
        (key, name, getattr(expected, name), getattr(on_spark[key], name))
        for key, expected in on_database.items()
        for name in ("period_end", "numerator", "denominator", "value", "status")
        if not _same(getattr(expected, name), getattr(on_spark[key], name))
    ]
    assert differences == []


@pytest.mark.django_db
def test_the_dataset_gives_every_indicator_a_figure(spark, tmp_path):
    """Guards the comparison above against a dataset that would leave indicators empty."""
    build_dataset()
    export_contacts(tmp_path)
    start, end = SPANS["range"]
    results = compute(
        CATALOGUE.indicators,
        CATALOGUE.measures,
        start=start,
        end=end,
        period="range",
        query_source=SparkQuerySource(spark, tmp_path),
    )
    empty = [
        r.indicator
        for r in results
        if r.value is None or (r.numerator == 0 and r.indicator != "forms_backlog")
    ]
    pending = [d.id for d in CATALOGUE.indicators if d.pending_source]
    assert sorted(empty) == sorted(pending)
    backlog = next(r for r in results if r.indicator == "forms_backlog")
    assert backlog.value > 0  # forms received by 10 March and answered after it, or never


@pytest.mark.django_db
def test_user_formulas_negating_empty_fields_agree(spark, tmp_path):
    """Formulas users may write: `not` and `!=` on fields that can be empty (SQL NULL)."""
    build_dataset()
    export_contacts(tmp_path)
    reason = ContactReason.objects.order_by("code").first().code
    formulas = {
        "repeat_not_late": "count(calls where not days_to_repeat > 7)",
        "other_reason": f'count(calls where reason != "{reason}")',
        "not_this_reason": f'count(calls where not (reason = "{reason}" or outcome = "abandoned"))',
        "not_resolved": "count(surveys where not resolved)",
        "low_csat_or_empty": "count(surveys where not csat >= 4) / count(surveys)",
        "outside_team": 'count(forms where not team in ("gre-a"))',
    }
    definitions = [
        IndicatorDefinition(
            id=name,
            label=name,
            category="phone",
            purpose="",
            formula_text="",
            formula=formula,
            unit="count",
            target="",
            valid_from=FIRST_DAY,
        )
        for name, formula in formulas.items()
    ]
    start, end = SPANS["range"]
    arguments = dict(start=start, end=end, period="range", grain=("site",))
    on_database = _by_key(compute(definitions, {}, **arguments))
    on_spark = _by_key(
        compute(definitions, {}, query_source=SparkQuerySource(spark, tmp_path), **arguments)
    )
    assert {k: (r.numerator, r.denominator) for k, r in on_spark.items()} == {
        k: (r.numerator, r.denominator) for k, r in on_database.items()
    }
    # The empty values are really there: rows without a reason count as "other reason".
    overall = {
        r.indicator: r.numerator
        for r in compute(definitions, {}, start=start, end=end, period="range")
    }
    without_reason = Call.objects.filter(reason__isnull=True, day__range=(start, end)).count()
    with_other = Call.objects.filter(day__range=(start, end)).exclude(reason__code=reason).count()
    assert without_reason > 0
    assert overall["other_reason"] == with_other


@pytest.mark.django_db
def test_export_parquet_command_writes_codes_not_ids(tmp_path):
    import pyarrow.parquet as pq
    from django.core.management import call_command

    build_dataset()
    call_command("export_parquet", str(tmp_path), stdout=io.StringIO())
    calls = pq.read_table(tmp_path / "contacts_call").to_pydict()
    assert len(calls["day"]) == Call.objects.count()
    assert set(calls["site"]) == {"grenoble", "lyon", None}
    assert set(calls["team"]) == {"gre-a", "gre-b", "lyo-a", None}
    assert dt.date(2026, 3, 1) in calls["day"]  # the Paris-midnight call, stored as a date
    forms = pq.read_table(tmp_path / "contacts_contactform").column_names
    assert {"received_day", "answered_day", "advisor", "topic"} <= set(forms)
