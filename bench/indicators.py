"""Benchmark of the indicator engine against a hand-written pandas baseline (SPEC §3).

    .venv/bin/python bench/indicators.py                        # one year, ≈1.42 M calls
    .venv/bin/python bench/indicators.py --to 2029-12-31        # five years, ≈7.4 M calls
    .venv/bin/python bench/indicators.py --workdir /tmp/b1 ...  # keep/reuse the generated data
    .venv/bin/python bench/indicators.py --spark ...            # also time the Spark engine

DuckDB (`duckdb`, `duckdb-extension-sqlite-scanner`) runs the very SQL statements the engine
sends for the contact tables, scanning the SQLite file and on in-memory copies: the
ratio engine / DuckDB is printed beside pandas'.

Data come from the synthetic generator (`decroche generate`) in a fresh SQLite database.
Two measures, each printed with the engine's seconds, pandas' seconds (reading with
`pandas.read_sql` plus computing, and computing only) and the ratio pandas / engine:
  1. the full catalogue for one month at every grain (overall, site, team, reason,
     advisor, channel, site+reason);
  2. every indicator by month over the whole data.
The pandas baseline computes the same figures by hand (groupby) from the same tables,
and every figure is compared with the engine's before any timing is reported.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from duckdb_baseline import DuckDBBaseline, captured_sql  # noqa: E402

GRAINS = [(), ("site",), ("team",), ("reason",), ("advisor",), ("channel",), ("site", "reason")]


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="start", default="2025-11-09")
    parser.add_argument("--to", dest="end", default="2026-11-08")
    parser.add_argument("--month", default="2026-03", help="the month of measure 1")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, help="keep the database here (reused if present)")
    parser.add_argument("--spark", action="store_true", help="also run the Spark engine")
    parser.add_argument("--repeat", type=int, default=3, help="best of N timings (default 3)")
    return parser.parse_args()


def setup_django(workdir: Path) -> None:
    os.environ["DECROCHE_DATA_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'decroche.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "decroche.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()


def best_of(repeat: int, function):
    """(result, best seconds) of `repeat` runs."""
    timings, result = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - began)
    return result, min(timings)


# --- the engine side ---------------------------------------------------------------------------


def engine_figures(catalogue, start, end, grains, query_source=None) -> dict:
    """Every grain from one `compute_grains` call (each source read once for all grains)."""
    from decroche.indicators.selectors import compute_grains

    figures = {}
    computed = compute_grains(
        catalogue.indicators,
        catalogue.measures,
        start=start,
        end=end,
        period="month",
        grains=grains,
        query_source=query_source,
    )
    for grain, results in computed.items():
        for result in results:
            figures[(grain, result.indicator, result.period_start, result.keys)] = result.value
    return figures


_DUCK: list = []


def duckdb_baseline():
    """One DuckDB connection on the benchmark's SQLite file (tables copied once)."""
    from django.conf import settings

    if not _DUCK:
        _DUCK.append(DuckDBBaseline(Path(settings.DATABASES["default"]["NAME"])))
    return _DUCK[0]


def without_summary(function):
    """Run `function` with the daily summary ignored: the contact tables are read."""
    from decroche.indicators.queries import summary

    original = summary.summary_fine_values
    summary.summary_fine_values = lambda *args: None
    try:
        return function()
    finally:
        summary.summary_fine_values = original


# --- the pandas side: the same figures, written by hand ----------------------------------------------


def read_tables(connection, start: dt.date, end: dt.date) -> dict:
    """The rows the figures need, with grain codes joined in, as pandas frames."""
    import pandas as pd

    first, last = start.isoformat(), end.isoformat()
    contact_joins = """
        LEFT JOIN organisation_site s ON s.id = x.site_id
        LEFT JOIN organisation_advisor a ON a.id = x.advisor_id
        LEFT JOIN organisation_team t ON t.id = a.team_id
        LEFT JOIN organisation_contactreason r ON r.id = x.reason_id"""
    keys = "s.code AS site, t.code AS team, r.code AS reason, a.login AS advisor"
    calls = pd.read_sql(
        f"""SELECT x.day, {keys}, x.origin, x.outcome, x.widening, x.wait_seconds,
                   x.talk_seconds, x.wrap_up_seconds, x.transferred_n1plus,
                   x.on_closure_calendar, x.during_exceptional_closure, x.technical_incident,
                   x.caller_hash, x.days_to_repeat
            FROM contacts_call x {contact_joins} WHERE x.day BETWEEN ? AND ?""",
        connection,
        params=(first, last),
    )
    # Received in the range, answered in it, or still open at some bucket end.
    forms = pd.read_sql(
        f"""SELECT x.received_day, x.answered_day, {keys}
            FROM contacts_contactform x {contact_joins}
            WHERE x.received_day <= ? AND (x.answered_day IS NULL OR x.answered_day >= ?)""",
        connection,
        params=(last, first),
    )
    states = pd.read_sql(
        """SELECT x.day, s.code AS site, t.code AS team, a.login AS advisor, x.state,
                  x.duration_seconds
           FROM contacts_advisorstate x JOIN organisation_advisor a ON a.id = x.advisor_id
           LEFT JOIN organisation_site s ON s.id = a.site_id
           LEFT JOIN organisation_team t ON t.id = a.team_id
           WHERE x.day BETWEEN ? AND ?""",
        connection,
        params=(first, last),
    )
    surveys = pd.read_sql(
        f"""SELECT x.day, {keys}, x.channel, x.csat, x.resolved, x.ces, x.nps
            FROM contacts_surveyresponse x {contact_joins} WHERE x.day BETWEEN ? AND ?""",
        connection,
        params=(first, last),
    )
    return {"calls": calls, "forms": forms, "states": states, "surveys": surveys}


def month_bucket(days, start: dt.date):
    """First day of the month of each ISO day, clipped to the range start (engine rule)."""
    first = days.str.slice(0, 7) + "-01"
    return first.where(first >= start.isoformat(), start.isoformat())


def _sums(frame, keys: list[str], columns: dict):
    import pandas as pd

    data = pd.DataFrame({**{k: frame[k] for k in keys}, **columns})
    return data.groupby(keys, dropna=False, sort=False).sum()


def pandas_figures(tables: dict, start: dt.date, end: dt.date, grains, month_ends) -> dict:
    """Every catalogue indicator by month for each grain, by hand with groupby."""
    import numpy as np
    import pandas as pd

    figures = {}
    for grain in grains:
        keys = ["bucket", *grain]
        calls = tables["calls"].assign(bucket=month_bucket(tables["calls"]["day"], start))
        forms = tables["forms"]
        states = tables["states"].assign(bucket=month_bucket(tables["states"]["day"], start))
        surveys = tables["surveys"].assign(bucket=month_bucket(tables["surveys"]["day"], start))
        if "channel" in grain:
            calls = calls.assign(channel="phone")
            forms = forms.assign(channel="form")
        outcome, origin = calls["outcome"], calls["origin"]
        answered = outcome.eq("answered")
        incident = calls["technical_incident"].astype(bool)
        by_group = outcome.ne("ended_in_ivr")  # received by the group (catalogue.toml)
        exceptional = calls["during_exceptional_closure"].astype(bool) & ~incident
        identified = answered & calls["caller_hash"].ne("")
        repeat = calls["days_to_repeat"]
        phone = _sums(
            calls,
            keys,
            {
                "answered": answered,
                "direct": origin.eq("direct") & by_group,
                "transfer_in": origin.eq("transfer_in"),
                "overflow_in": origin.eq("overflow_in"),
                "telecom": outcome.eq("dissuaded_telecom"),
                "closure": outcome.eq("dissuaded_closure"),
                "overflowed_out": outcome.eq("overflowed_out"),
                "taken_back": outcome.eq("taken_back"),
                "widening_here": calls["widening"].eq("on_this_group"),
                "widening_other": calls["widening"].eq("on_other_group"),
                "all": by_group,
                "qualified": answered & calls["reason"].notna(),
                "n1plus": calls["transferred_n1plus"].astype(bool),
                "wait": calls["wait_seconds"],
                "talk": calls["talk_seconds"].where(answered, 0),
                "wrap": calls["wrap_up_seconds"].where(answered, 0),
                "presented": calls["on_closure_calendar"].astype(bool) & exceptional,
                "flow": exceptional,
                "identified": identified,
                "no_repeat": identified & (repeat.isna() | (repeat > 7)),
            },
        )
        received = forms[forms["received_day"] >= start.isoformat()]
        received = _sums(
            received.assign(bucket=month_bucket(received["received_day"], start)),
            keys,
            {"received": pd.Series(1, index=received.index)},
        )
        answered_forms = forms[
            forms["answered_day"].notna() & (forms["answered_day"] <= end.isoformat())
        ]
        answered_forms = _sums(
            answered_forms.assign(bucket=month_bucket(answered_forms["answered_day"], start)),
            keys,
            {"answered_forms": pd.Series(1, index=answered_forms.index)},
        )
        backlog_parts = []
        for first, last in month_ends:
            last_text = last.isoformat()
            still_open = forms[
                (forms["received_day"] <= last_text)
                & (forms["answered_day"].isna() | (forms["answered_day"] > last_text))
            ]
            backlog_parts.append(
                _sums(
                    still_open.assign(bucket=first.isoformat()),
                    keys,
                    {"backlog": pd.Series(1, index=still_open.index)},
                )
            )
        backlog = pd.concat(backlog_parts)
        parts = [phone, received, answered_forms, backlog]
        splittable_states = not ({"reason", "channel"} & set(grain))
        if splittable_states:
            state = states["state"]
            seconds = states["duration_seconds"]
            parts.append(
                _sums(
                    states,
                    keys,
                    {
                        "available": seconds.where(state.eq("available"), 0),
                        "logged_in": seconds.where(
                            state.isin(["available", "talking", "wrap_up", "pause"]), 0
                        ),
                        "forms_work": seconds.where(state.eq("forms"), 0),
                    },
                )
            )
        csat, ces, nps, resolved = (surveys[c] for c in ("csat", "ces", "nps", "resolved"))
        parts.append(
            _sums(
                surveys,
                keys,
                {
                    "csat_good": csat >= 4,
                    "csat_n": csat.notna(),
                    "nps_promoters": nps >= 9,
                    "nps_detractors": nps <= 6,
                    "nps_n": nps.notna(),
                    "ces_total": ces.fillna(0),
                    "ces_agree": ces >= 5,
                    "ces_n": ces.notna(),
                    "resolved_yes": resolved.eq(1),
                    "resolved_n": resolved.notna(),
                },
            )
        )
        m = pd.concat(parts, axis=1).astype("float64").fillna(0)
        if not splittable_states:
            m = m.assign(available=np.nan, logged_in=np.nan, forms_work=np.nan)
        with np.errstate(divide="ignore", invalid="ignore"):
            denominator = (
                m.direct
                + m.transfer_in
                + m.overflow_in
                - m.telecom
                - m.closure
                - m.overflowed_out
                - m.taken_back
                + m.widening_here
                - m.widening_other
            )
            waited = m.direct + m.transfer_in + m.overflow_in - m.closure - m.telecom
            values = {
                "answer_rate": m.answered / denominator,
                "average_wait": m.wait / waited,
                "accessibility_rate": m.presented / m.flow,
                "transfer_rate_n1plus": m.n1plus / m["all"],
                "availability_rate": m.available / m.logged_in,
                "average_talk_time": m.talk / m.answered,
                "average_handling_time": (m.talk + m.wrap) / m.answered,
                "calls_received": m["all"],
                "calls_handled": m.answered,
                "qualification_rate": m.qualified / m.answered,
                "forms_response_rate": m.answered_forms / m.received,
                "forms_per_advisor_day": m.answered_forms / (m.forms_work / 25200),
                "forms_backlog": m.backlog,
                "csat": m.csat_good / m.csat_n,
                "nps": 100 * (m.nps_promoters - m.nps_detractors) / m.nps_n,
                "ces_average": m.ces_total / m.ces_n,
                "ces_agree_rate": m.ces_agree / m.ces_n,
                "fcr_surveyed": m.resolved_yes / m.resolved_n,
                "fcr_no_repeat": m.no_repeat / m.identified,
            }
        index = [
            tuple(
                None if pd.isna(part) else part
                for part in (key if isinstance(key, tuple) else (key,))
            )
            for key in m.index
        ]
        for indicator, series in values.items():
            for key, value in zip(index, series.to_numpy(dtype=float), strict=True):
                bucket, *codes = key
                figures[
                    (
                        grain,
                        indicator,
                        dt.date.fromisoformat(bucket),
                        tuple(zip(grain, codes, strict=True)),
                    )
                ] = float(value) if math.isfinite(value) else None
    return figures


def compare(engine: dict, baseline: dict) -> tuple[int, list]:
    """(figures checked, differences): every engine figure against the baseline's."""
    differences, checked = [], 0
    for key, value in engine.items():
        if key[1] in PENDING:
            continue  # sources of later issues: no data on both sides
        expected = baseline.get(key)
        if key not in baseline and value in (None, 0.0):
            continue  # a key only another source has: no data, or a count of zero
        checked += 1
        same = (value is None and expected is None) or (
            value is not None
            and expected is not None
            and math.isclose(value, expected, rel_tol=1e-9, abs_tol=1e-9)
        )
        if not same:
            differences.append((key, value, expected))
    return checked, differences


PENDING = {
    "phone_quality_score",
    "ticket_quality_score",
    "form_quality_score",
    "trained_advisors_rate",
}


def run_measure(
    title, catalogue, connection, start, end, grains, repeat, spark_source=None
) -> None:
    from decroche.indicators.periods import buckets

    month_ends = buckets(start, end, "month")
    engine, engine_seconds = best_of(
        repeat, lambda: without_summary(lambda: engine_figures(catalogue, start, end, grains))
    )
    # DuckDB runs the very statements the engine sent (contact tables), side by side.
    _figures, statements = captured_sql(
        lambda: without_summary(lambda: engine_figures(catalogue, start, end, grains))
    )
    duck = duckdb_baseline()
    _rows, duck_scan_seconds = best_of(repeat, lambda: duck.run(statements, in_memory=False))
    duck.load(statements)
    _rows, duck_memory_seconds = best_of(repeat, lambda: duck.run(statements, in_memory=True))
    summed, summary_seconds = best_of(repeat, lambda: engine_figures(catalogue, start, end, grains))
    tables, read_seconds = best_of(repeat, lambda: read_tables(connection, start, end))
    baseline, compute_seconds = best_of(
        repeat, lambda: pandas_figures(tables, start, end, grains, month_ends)
    )
    checked, differences = compare(engine, baseline)
    summary_checked, summary_differences = compare(summed, baseline)
    differences += summary_differences
    calls = len(tables["calls"])
    print(f"\n{title}: {start} → {end}, {len(grains)} grain(s), {calls:,} calls")
    print(
        f"  figures compared with pandas: {checked:,} (tables) + {summary_checked:,} "
        f"(summary), differences: {len(differences)}"
    )
    for difference in differences[:10]:
        print("   ", difference)
    pandas_seconds = read_seconds + compute_seconds
    print(f"  engine, contact tables       {engine_seconds:8.3f} s")
    print(f"  engine, daily summary        {summary_seconds:8.3f} s")
    print(
        f"  DuckDB, same SQL, scanning   {duck_scan_seconds:8.3f} s  ({len(statements)} statements)"
    )
    print(f"  DuckDB, same SQL, in memory  {duck_memory_seconds:8.3f} s")
    print(
        f"  ratio engine (tables) / DuckDB: {engine_seconds / duck_scan_seconds:.2f}× scanning "
        f"SQLite, {engine_seconds / duck_memory_seconds:.2f}× in memory"
    )
    print(f"  pandas read_sql + compute    {pandas_seconds:8.3f} s  (read {read_seconds:.2f} s)")
    print(f"  pandas compute only          {compute_seconds:8.3f} s")
    print(f"  ratio pandas / engine (tables)   {pandas_seconds / engine_seconds:8.1f}×")
    print(f"  ratio pandas / engine (summary)  {pandas_seconds / summary_seconds:8.1f}×")
    print(
        f"  ratio pandas compute-only / engine (summary) {compute_seconds / summary_seconds:.1f}×"
    )
    if spark_source is not None:
        on_spark, spark_seconds = best_of(
            repeat, lambda: engine_figures(catalogue, start, end, grains, spark_source)
        )
        _checked, spark_differences = compare(on_spark, engine)
        print(
            f"  engine (Spark local[2])      {spark_seconds:8.2f} s  "
            f"differences with SQLite: {len(spark_differences)}"
        )
    if differences:
        raise SystemExit("the engine and the pandas baseline disagree")


def main() -> None:
    arguments = parse_arguments()
    workdir = arguments.workdir or Path(tempfile.mkdtemp(prefix="decroche-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    setup_django(workdir)
    from django.core.management import call_command
    from django.db import connection

    from decroche.contacts.models import Call
    from decroche.indicators.catalogue import load_catalogue
    from decroche.indicators.periods import parse_period

    call_command("migrate", verbosity=0)
    start = dt.date.fromisoformat(arguments.start)
    end = dt.date.fromisoformat(arguments.end)
    if not Call.objects.exists():
        began = time.perf_counter()
        call_command(
            "generate",
            "--from",
            arguments.start,
            "--to",
            arguments.end,
            "--seed",
            str(arguments.seed),
            verbosity=0,
        )
        print(f"generated {start} → {end} in {time.perf_counter() - began:.0f} s into {workdir}")
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"database {workdir / 'decroche.sqlite3'}: {Call.objects.count():,} calls")
    catalogue = load_catalogue()
    spark_source = None
    if arguments.spark:
        from decroche.indicators.parquet import export_contacts
        from decroche.indicators.spark import SparkQuerySource, spark_session

        began = time.perf_counter()
        export_contacts(workdir / "parquet")
        print(f"Parquet export in {time.perf_counter() - began:.1f} s")
        spark_source = SparkQuerySource(spark_session("decroche-bench"), workdir / "parquet")
    from decroche.indicators.services import refresh_summary

    began = time.perf_counter()
    refresh_summary()
    print(f"daily summary refreshed in {time.perf_counter() - began:.1f} s")
    month_start, month_end, _unit = parse_period(arguments.month)
    raw = sqlite3.connect(workdir / "decroche.sqlite3")  # plain driver: ISO text dates
    run_measure(
        "1. Full catalogue, one month, every grain",
        catalogue,
        raw,
        month_start,
        month_end,
        GRAINS,
        arguments.repeat,
        spark_source,
    )
    run_measure(
        "2. Every indicator by month over the whole data",
        catalogue,
        raw,
        start,
        end,
        [()],
        arguments.repeat,
        spark_source,
    )
    dashboard_latency(month_start, month_end)


def dashboard_latency(start: dt.date, end: dt.date, runs: int = 20) -> None:
    """What the monthly dashboard asks: `indicator_reports` overall and by site, month and
    week buckets, with the versions in force; p50 and p95 over `runs` calls."""
    from decroche.indicators.selectors import indicator_reports

    def page() -> None:
        indicator_reports(start=start, end=end, period="month", grains=[(), ("site",)])
        indicator_reports(start=start, end=end, period="week", grains=[()])

    for label, call in (("daily summary", page), ("contact tables", lambda: without_summary(page))):
        timings = []
        for _ in range(runs):
            began = time.perf_counter()
            call()
            timings.append(time.perf_counter() - began)
        timings.sort()
        p50, p95 = timings[len(timings) // 2], timings[math.ceil(0.95 * len(timings)) - 1]
        print(
            f"\n3. Dashboard reads ({label}), {runs} runs: p50 {p50 * 1000:.0f} ms, "
            f"p95 {p95 * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
