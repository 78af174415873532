"""Latency of the planning pages over real HTTP on loopback: forecast and order proposal.

    .venv/bin/python bench/planning_http.py --workdir /tmp/b1      # reuse a generated year
    .venv/bin/python bench/planning_http.py                        # generate one year first

Same set-up as `bench/dashboard_http.py` (a year of `decroche generate`, `runserver` with
DEBUG off, a workforce planner signed in through the login form). Each page is fetched
`--runs` times with the fitted forecast reused (`planning.forecast_cache`), then
`--baseline-runs` times with the cache emptied before every fetch (the forecast fitted on
each request, as before the cache), in the same run; p50/p95 and the ratio are printed.
Target (issue 9, point 11): p95 under 1 s for both pages.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import tempfile
import time
import urllib.parse
from pathlib import Path

from dashboard_http import environment, free_port, prepare, serve, signed_in


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="start", default="2025-11-09")
    parser.add_argument("--to", dest="end", default="2026-11-08")
    parser.add_argument(
        "--committee", default="2026-11-09", help="committee day; the forecast starts there"
    )
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--baseline-runs", type=int, default=5)
    parser.add_argument("--workdir", type=Path, help="keep the database here (reused if present)")
    return parser.parse_args()


def timings(opener, url: str, runs: int, before=None) -> tuple[float, float]:
    """p50 and p95 in seconds; one warm-up fetch first; ``before()`` runs before each fetch."""
    opener.open(url).read()
    measured = []
    for _ in range(runs):
        if before is not None:
            before()
        began = time.perf_counter()
        body = opener.open(url).read()
        measured.append(time.perf_counter() - began)
        assert len(body) > 1000
    measured.sort()
    return measured[len(measured) // 2], measured[math.ceil(0.95 * runs) - 1]


def main() -> None:
    arguments = parse_arguments()
    workdir = arguments.workdir or Path(tempfile.mkdtemp(prefix="decroche-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    env = environment(workdir)
    prepare(workdir, arguments.start, arguments.end, env)
    from decroche.contacts.models import Call
    from decroche.core.calendar import add_working_days
    from decroche.planning.models import ForecastCache

    print(f"database {workdir / 'decroche.sqlite3'}: {Call.objects.count():,} calls")
    committee = arguments.committee
    first = dt.date.fromisoformat(committee)
    last = add_working_days(first, 9)  # the page's default span: ten working days
    pages = {
        "forecast": f"/planning/previsions/?start={first}&end={last}",
        "order proposal": "/planning/proposition/?"
        + urllib.parse.urlencode({"committee": committee, "shrinkage": 30}),
    }
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    figures: dict[tuple[str, str], float] = {}
    server = serve(env, port)
    try:
        opener = signed_in(base)
        for label, runs, before in (
            ("fitted once (cache)", arguments.runs, None),
            ("fitted per request (baseline)", arguments.baseline_runs, _empty(ForecastCache)),
        ):
            for page, path in pages.items():
                p50, p95 = timings(opener, base + path, runs, before)
                figures[(label, page)] = p95
                print(
                    f"{label:30} {page:15} p50 {p50 * 1000:6.0f} ms  p95 {p95 * 1000:6.0f} ms"
                    f"  ({runs} runs)"
                )
    finally:
        server.terminate()
        server.wait()
    for page in pages:
        cached = figures[("fitted once (cache)", page)]
        ratio = figures[("fitted per request (baseline)", page)] / cached
        verdict = "met" if cached < 1 else "MISSED"
        print(f"{page}: p95 target < 1 s {verdict}; baseline / cached p95 {ratio:.1f}×")


def _empty(model):
    return lambda: model.objects.all().delete()


if __name__ == "__main__":
    main()
