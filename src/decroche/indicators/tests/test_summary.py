"""Several grains at once, and the daily summary, give exactly the figures of one grain at a
time read from the contact tables (SPEC §3)."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

import pytest

from decroche.contacts.models import AdvisorState, Call, ContactForm, SurveyResponse
from decroche.indicators import services
from decroche.indicators.catalogue import load_catalogue
from decroche.indicators.models import DirtyDay
from decroche.indicators.queries import summary
from decroche.indicators.queries.summary import summary_fine_values
from decroche.indicators.selectors import compute, compute_grains
from decroche.indicators.services import refresh_summary
from decroche.organisation.models import Advisor, ContactReason, Site, Team

PARIS = ZoneInfo("Europe/Paris")
CATALOGUE = load_catalogue()
GRAINS = [(), ("site",), ("team",), ("reason",), ("advisor",), ("site", "reason"), ("channel",)]
SPANS = {
    "day": (dt.date(2026, 2, 26), dt.date(2026, 3, 3)),
    "week": (dt.date(2026, 2, 25), dt.date(2026, 3, 13)),
    "month": (dt.date(2026, 2, 1), dt.date(2026, 3, 31)),
    "range": (dt.date(2026, 2, 25), dt.date(2026, 3, 10)),
}


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=PARIS)


def build_dataset(seed: int = 7) -> None:
    """Calls of every outcome, forms answered the same day, later, before reception or never,
    advisor states, surveys with empty answers; an advisor without team."""
    rng = random.Random(seed)
    gre = Site.objects.create(code="gre", name="Grenoble")
    lyo = Site.objects.create(code="lyo", name="Lyon")
    team = Team.objects.create(site=gre, code="gre-a", name="A")
    advisors = [
        Advisor.objects.create(
            login=f"A{n}",
            first_name="X",
            last_name="Y",
            site=site,
            team=team if n < 2 else None,
            joined_on=dt.date(2025, 1, 6),
        )
        for n, site in enumerate([gre, gre, lyo])
    ]
    reasons = [*ContactReason.objects.order_by("code")[:2], None]
    days = [dt.date(2026, 1, 20) + dt.timedelta(days=n) for n in range(60)]
    for n in range(400):
        day, advisor = rng.choice(days), rng.choice([*advisors, None])
        outcome = rng.choice(["answered", "abandoned", "dissuaded_closure", "overflowed_out"])
        Call.objects.create(
            source_system="t",
            source_id=str(n),
            arrived_at=_at(day, rng.randint(0, 23)),
            origin=rng.choice(["direct", "transfer_in", "overflow_in"]),
            outcome=outcome,
            widening=rng.choice(["none", "on_this_group", "on_other_group"]),
            wait_seconds=rng.randint(0, 300),
            talk_seconds=rng.randint(0, 500),
            wrap_up_seconds=rng.randint(0, 60),
            transferred_n1plus=rng.random() < 0.2,
            on_closure_calendar=rng.random() < 0.3,
            technical_incident=rng.random() < 0.1,
            during_exceptional_closure=rng.random() < 0.4,
            caller_hash=rng.choice(["", "h1"]),
            days_to_repeat=rng.choice([None, 3, 9]),
            advisor=advisor,
            site=advisor.site if advisor else rng.choice([gre, lyo, None]),
            reason=rng.choice(reasons),
        )
        if n % 3 == 0:
            answered = rng.choice([None, 0, 2, 20, -1])  # never, same day, later, before
            ContactForm.objects.create(
                source_system="t",
                source_id=str(n),
                received_at=_at(day, 10),
                answered_at=None if answered is None else _at(day + dt.timedelta(answered), 11),
                advisor=advisor,
                site=advisor.site if advisor else gre,
                reason=rng.choice(reasons),
            )
        if n % 4 == 0 and advisor:
            AdvisorState.objects.create(
                advisor=advisor,
                state=rng.choice(["available", "talking", "pause", "forms"]),
                started_at=_at(day, 9) + dt.timedelta(seconds=n),
                ended_at=_at(day, 10),
                duration_seconds=rng.randint(1, 900),
                source_system="t",
            )
        if n % 5 == 0:
            SurveyResponse.objects.create(
                source_system="t",
                source_id=str(n),
                channel=rng.choice(["phone", "form"]),
                contact_id=str(n),
                answered_at=_at(day, 15),
                csat=rng.choice([None, 2, 5]),
                resolved=rng.choice([None, True, False]),
                ces=rng.choice([None, 3, 6]),
                nps=rng.choice([None, 4, 10]),
                advisor=advisor,
                site=gre,
                reason=reasons[0],
            )


def _figures(results) -> dict:
    return {
        (r.indicator, r.period_start, r.period_end, r.keys): (
            r.numerator,
            r.denominator,
            r.value,
            r.status,
        )
        for r in results
    }


@pytest.mark.django_db
@pytest.mark.parametrize("period", list(SPANS))
def test_all_grains_at_once_equal_one_grain_at_a_time(period):
    build_dataset()
    start, end = SPANS[period]
    together = compute_grains(
        CATALOGUE.indicators,
        CATALOGUE.measures,
        start=start,
        end=end,
        period=period,
        grains=GRAINS,
    )
    assert list(together) == GRAINS
    for grain in GRAINS:
        alone = compute(
            CATALOGUE.indicators,
            CATALOGUE.measures,
            start=start,
            end=end,
            period=period,
            grain=grain,
        )
        assert _figures(together[grain]) == _figures(alone)
    # Not vacuous: the site grain has both sites and the backlog is counted.
    sites = {dict(r.keys)["site"] for r in together[("site",)]}
    assert {"gre", "lyo"} <= sites
    assert any(r.indicator == "forms_backlog" and r.value for r in together[()])


@pytest.mark.django_db
@pytest.mark.parametrize("period", list(SPANS))
def test_summary_gives_the_figures_of_the_contact_tables(period):
    build_dataset()
    start, end = SPANS[period]
    arguments = dict(start=start, end=end, period=period, grains=GRAINS)
    live = compute_grains(CATALOGUE.indicators, CATALOGUE.measures, **arguments)
    stored = refresh_summary()
    assert stored["calls"] == 60  # one summary entry per day with calls
    reads = []
    original = summary.summary_fine_values

    def spy(*args):
        reads.append(original(*args))
        return reads[-1]

    summary.summary_fine_values = spy
    try:
        from_summary = compute_grains(CATALOGUE.indicators, CATALOGUE.measures, **arguments)
    finally:
        summary.summary_fine_values = original
    assert reads and all(fine is not None for fine in reads)  # really read from the summary
    for grain in GRAINS:
        assert _figures(from_summary[grain]) == _figures(live[grain]), grain


@pytest.mark.django_db
def test_summary_follows_a_new_call_and_is_ignored_when_a_measure_is_missing():
    build_dataset()
    refresh_summary()
    measures = [m for m in services.measures_in_use()["calls"]]
    start, end = SPANS["month"]
    assert summary_fine_values("calls", measures, start, end, "month") is not None
    unknown = summary.Measure("sum", "calls", "n2_ticket", None)
    assert summary_fine_values("calls", [unknown], start, end, "month") is None
    before = Call.objects.filter(day=dt.date(2026, 3, 2)).count()
    Call.objects.create(
        source_system="t",
        source_id="new",
        arrived_at=_at(dt.date(2026, 3, 2), 9),
        origin="direct",
        outcome="answered",
    )
    # The trigger marked 2 March; the read recomputes it and clears the mark.
    assert set(DirtyDay.objects.values_list("table", "day")) == {
        ("contacts_call", dt.date(2026, 3, 2))
    }
    assert summary_fine_values("calls", measures, start, end, "month") is not None
    assert not DirtyDay.objects.exists()
    march = compute(
        CATALOGUE.indicators,
        CATALOGUE.measures,
        start=dt.date(2026, 3, 2),
        end=dt.date(2026, 3, 2),
        period="day",
    )
    received = next(r for r in march if r.indicator == "calls_received").value
    assert received == before + 1 == Call.objects.filter(day=dt.date(2026, 3, 2)).count()


@pytest.mark.django_db
def test_an_advisor_moving_team_makes_the_summary_stale():
    """The team of a call is its advisor's team: moving an advisor changes the team figures,
    so the summary must not be read until it is refreshed."""
    build_dataset()
    refresh_summary()
    measures = services.measures_in_use()["calls"]
    start, end = SPANS["month"]
    assert summary_fine_values("calls", measures, start, end, "month") is not None
    lyon = Site.objects.get(code="lyo")
    mover = Advisor.objects.get(login="A2")
    mover.team = Team.objects.create(site=lyon, code="lyo-b", name="B")
    mover.save()
    assert summary_fine_values("calls", measures, start, end, "month") is None
    refresh_summary()
    fine = summary_fine_values("calls", measures, start, end, "month")
    assert "lyo-b" in fine.column("team").labels


CALLS_HEADER = (
    "source_system,source_id,arrived_at,answered_at,ended_at,outcome,advisor,reason,caller"
)
OUT_OF_SCOPE = "Hors périmètre Mon espace santé"


def _import_calls(tmp_path, name: str, lines: list[str]):
    from decroche.contacts.services import contacts_import

    path = tmp_path / name
    path.write_text("\n".join([CALLS_HEADER, *lines]) + "\n", encoding="utf-8")
    return contacts_import(kind="calls", path=path)


@pytest.mark.django_db
def test_an_import_refreshes_only_the_days_it_touched_and_the_figures_stay_exact(tmp_path):
    """Import A, full refresh; import B adds 16 March and makes A's 9 March calls repeats:
    the summary recomputes 16 March (B's rows) and 9 March (repeat delays 9 → 16 = 7 days),
    stays fresh, and gives the contact tables' figures at every grain."""
    from decroche.contacts.repeats import repeat_delays_refresh

    build_dataset()
    repeat_delays_refresh()
    first = [
        f"ivr,a{n},2026-03-09T09:0{n}:00,2026-03-09T09:0{n}:30,2026-03-09T09:05:00,"
        f"answered,A0,{OUT_OF_SCOPE},+33 6 00 00 00 0{n}"
        for n in range(3)
    ]
    assert _import_calls(tmp_path, "a.csv", first).accepted == 3
    refresh_summary()
    calls = services.measures_in_use()["calls"]
    start, end = dt.date(2026, 3, 1), dt.date(2026, 3, 31)
    assert summary_fine_values("calls", calls, start, end, "month") is not None

    recomputed = []
    original = services.refresh_summary_after_import

    def spy(*args):
        recomputed.append(original(*args))
        return recomputed[-1]

    services.refresh_summary_after_import = spy
    try:
        second = [
            f"ivr,b{n},2026-03-16T10:0{n}:00,,2026-03-16T10:03:00,abandoned,,{OUT_OF_SCOPE},"
            f"+33 6 00 00 00 0{n}"
            for n in range(2)
        ]
        assert _import_calls(tmp_path, "b.csv", second).accepted == 2
    finally:
        services.refresh_summary_after_import = original
    (done,) = recomputed
    assert done == {"calls": 2}  # 16 March (the new rows) and 9 March (two repeat delays)
    assert set(
        Call.objects.filter(source_id__in=["a0", "a1"]).values_list("days_to_repeat", flat=True)
    ) == {7}
    assert summary_fine_values("calls", calls, start, end, "month") is not None  # still fresh

    arguments = dict(start=start, end=end, period="day", grains=GRAINS)
    from_summary = compute_grains(CATALOGUE.indicators, CATALOGUE.measures, **arguments)
    original_read = summary.summary_fine_values
    summary.summary_fine_values = lambda *args: None
    try:
        live = compute_grains(CATALOGUE.indicators, CATALOGUE.measures, **arguments)
    finally:
        summary.summary_fine_values = original_read
    for grain in GRAINS:
        assert _figures(from_summary[grain]) == _figures(live[grain]), grain
    sixteenth = next(
        r
        for r in from_summary[()]
        if r.indicator == "calls_received" and r.period_start == dt.date(2026, 3, 16)
    )
    assert sixteenth.value == Call.objects.filter(day=dt.date(2026, 3, 16)).count()


@pytest.mark.django_db
def test_a_forms_import_moves_the_backlog_exactly(tmp_path):
    """The backlog is a stock: an imported form received 10 March and answered 13 March adds
    +1 on the 10th, 11th and 12th; one never answered adds +1 from the 11th on."""
    from decroche.contacts.services import contacts_import

    build_dataset()
    refresh_summary()
    start, end = dt.date(2026, 3, 1), dt.date(2026, 3, 31)
    arguments = dict(start=start, end=end, period="day", grains=GRAINS)

    def backlog(results) -> dict:
        return {r.period_start: r.value for r in results[()] if r.indicator == "forms_backlog"}

    before = backlog(compute_grains(CATALOGUE.indicators, CATALOGUE.measures, **arguments))
    path = tmp_path / "forms.csv"
    path.write_text(
        "source_system,source_id,received_at,answered_at,advisor,site\n"
        "portal,f1,2026-03-10T09:00:00,2026-03-13T11:00:00,A0,gre\n"
        "portal,f2,2026-03-11T09:00:00,,,gre\n",
        encoding="utf-8",
    )
    assert contacts_import(kind="forms", path=path).accepted == 2
    measures = services.measures_in_use()["open_forms"]
    assert summary_fine_values("open_forms", measures, start, end, "week") is not None
    from_summary = compute_grains(CATALOGUE.indicators, CATALOGUE.measures, **arguments)
    original_read = summary.summary_fine_values
    summary.summary_fine_values = lambda *args: None
    try:
        live = compute_grains(CATALOGUE.indicators, CATALOGUE.measures, **arguments)
    finally:
        summary.summary_fine_values = original_read
    for grain in GRAINS:
        assert _figures(from_summary[grain]) == _figures(live[grain]), grain
    after = backlog(from_summary)
    added = [
        after[dt.date(2026, 3, d)] - before[dt.date(2026, 3, d)] for d in (9, 10, 11, 12, 13, 16)
    ]
    assert added == [0, 1, 2, 2, 1, 1]
