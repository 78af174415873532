"""Benchmark of the quality indicators and the advisor's quality page (SPEC §3, §7).

    .venv/bin/python bench/quality.py                     # 120 advisors × 12 months × 8
    .venv/bin/python bench/quality.py --workdir /tmp/q1   # keep/reuse the generated data

Data: a fresh SQLite database with 120 advisors (3 sites, 12 teams), 12 months
(November 2025 – October 2026) of 8 evaluations per advisor per month on a bench grid of
30 questions (11,520 evaluations, one answer per question each: 345,600 answers), 6 reasons,
and one feedback session per advisor per month. No contact rows: the evaluations carry
their day, advisor and reason, which is all the quality sources read.

Two measures, each printed with its figures:
  1. the monthly quality indicators (the three scores and the four commitment indicators)
     for one month at every grain (overall, site, team, advisor, reason) through the engine
     (`indicators.selectors.indicator_reports`); target under 0.5 s. Baseline in the same
     run: a naive loop over every evaluation and session of the month as model instances,
     adding them up per grain in Python (the figures compared with the engine's first);
  2. the advisor's quality page (`/qualite/conseillers/<id>/`) over HTTP with the Django
     test client, signed in as a quality analyst, `--runs` times: p50 and p95; target p95
     under 300 ms. Baseline: the sign-in page (no query) in the same run.

Measured on the shared 2-core machine (other jobs running), default arguments: data in
24 s; 1. engine 0.045 s, naive loop 1.166 s (25.6×); 2. p50 16 ms, p95 20 ms, sign-in
page p95 15 ms (1.3×).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

GRAINS = [(), ("site",), ("team",), ("advisor",), ("reason",)]
CODES = [
    "phone_quality_score",
    "ticket_quality_score",
    "form_quality_score",
    "evaluations_per_advisor",
    "evaluations_commitment_rate",
    "feedback_per_advisor",
    "feedback_commitment_rate",
]


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--advisors", type=int, default=120)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--per-month", type=int, default=8)
    parser.add_argument("--month", default="2026-03", help="the month of measure 1")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=5, help="best of N timings")
    parser.add_argument("--workdir", type=Path, help="keep the database here (reused if present)")
    return parser.parse_args()


def setup_django(workdir: Path) -> None:
    os.environ["DECROCHE_DATA_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'decroche.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "decroche.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate(advisors: int, months: int, per_month: int) -> None:
    from django.contrib.auth.models import Group

    from decroche.accounts.models import User
    from decroche.core.calendar import add_months, month_last
    from decroche.organisation.models import Advisor, ContactReason, Site, Team
    from decroche.quality import services
    from decroche.quality.models import Answer, CoachingSession, Evaluation

    if Evaluation.objects.exists():
        return
    rng = random.Random(1)
    analyst = User.objects.create_user(
        username="bench.quality", password="x", must_change_password=False
    )
    analyst.groups.add(Group.objects.get(name="quality_analyst"))
    sites = [Site.objects.create(code=f"site{i}", name=f"Site {i}") for i in range(3)]
    teams = [Team.objects.create(site=sites[i % 3], code=f"t{i}", name=f"T{i}") for i in range(12)]
    reasons = [
        ContactReason.objects.get_or_create(
            code=f"bench-{i}", defaults={"label": f"Motif {i}", "family": "phone"}
        )[0]
        for i in range(6)
    ]
    people = Advisor.objects.bulk_create(
        Advisor(
            login=f"Q{i:04d}",
            first_name="Conseiller",
            last_name=str(i),
            site=teams[i % 12].site,
            team=teams[i % 12],
            joined_on=dt.date(2025, 1, 6),
        )
        for i in range(advisors)
    )
    options = [
        {"code": "oui", "label": "Oui", "points": 2},
        {"code": "partiel", "label": "Partiel", "points": 1},
        {"code": "non", "label": "Non"},
    ]
    version = services.grid_version_publish(
        services.grid_create(
            code="bench-30",
            name="Grille de banc d'essai (30 questions)",
            evaluated_object="call",
            owner="contractor",
            sections=[
                {
                    "code": f"s{s}",
                    "label": f"Rubrique {s}",
                    "weight": 20,
                    "questions": [
                        {"code": f"q{s}{q}", "label": f"Question {s}.{q}", "options": options}
                        for q in range(6)
                    ],
                }
                for s in range(5)
            ],
            user=analyst,
        ),
        user=None,
    )
    questions = [
        (q, list(q.options.all()))
        for s in version.sections.prefetch_related("questions__options")
        for q in s.questions.all()
    ]
    first = dt.date(2025, 11, 1)
    evaluations = []
    for m in range(months):
        month = add_months(first, m)
        last = month_last(month)
        for advisor in people:
            for _n in range(per_month):
                evaluations.append(
                    Evaluation(
                        grid_version=version,
                        evaluator=analyst,
                        evaluator_party="contractor",
                        advisor=advisor,
                        evaluated_object=rng.choice(["call"] * 6 + ["form", "ticket"]),
                        contact_day=month + dt.timedelta(days=rng.randrange(last.day)),
                        reason=rng.choice(reasons),
                        origin="sampling",
                        status="submitted",
                        total=Decimal(rng.randrange(6000, 10000)) / 100,
                    )
                )
    Evaluation.objects.bulk_create(evaluations, batch_size=2000)
    saved = list(Evaluation.objects.values_list("pk", flat=True))
    answers = (
        Answer(evaluation_id=pk, question=q, option=rng.choice(options))
        for pk in saved
        for q, options in questions
    )
    batch = []
    for answer in answers:
        batch.append(answer)
        if len(batch) >= 20000:
            Answer.objects.bulk_create(batch)
            batch = []
    Answer.objects.bulk_create(batch)
    CoachingSession.objects.bulk_create(
        CoachingSession(
            advisor=advisor,
            coach=analyst,
            kind="feedback",
            held_on=add_months(first, m) + dt.timedelta(days=9),
        )
        for m in range(months)
        for advisor in people
    )
    print(
        f"generated: {advisors} advisors, {len(saved):,} evaluations, "
        f"{Answer.objects.count():,} answers ({len(questions)} per evaluation)"
    )


def best_of(repeat: int, function) -> tuple[float, object]:
    best, result = math.inf, None
    for _ in range(repeat):
        began = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - began)
    return best, result


def engine(start: dt.date, end: dt.date):
    from decroche.indicators.selectors import indicator_reports

    return indicator_reports(start=start, end=end, period="month", grains=GRAINS, codes=CODES)


def naive(start: dt.date, end: dt.date) -> dict:
    """Per grain key: evaluation count and score sum of the current evaluations, walking
    every evaluation of the month as a model instance (what a page without the engine
    would do)."""
    from decroche.quality.models import CoachingSession, Evaluation

    sums: dict = {}
    for e in Evaluation.objects.filter(contact_day__range=(start, end), status="submitted").exclude(
        origin="calibration"
    ):
        keys = {
            (): (),
            ("site",): (e.advisor.site.code,),
            ("team",): (e.advisor.team.code,),
            ("advisor",): (e.advisor.login,),
            ("reason",): (e.reason.code if e.reason else None,),
        }
        for grain, key in keys.items():
            entry = sums.setdefault((grain, key), [0, 0, 0])
            entry[0] += 1
            if e.evaluated_object == "form":
                entry[1] += 1
                entry[2] += float(e.total)
    for s in CoachingSession.objects.filter(held_on__range=(start, end)):
        s.advisor.site  # noqa: B018 (the naive way: one query per relation)
    return sums


def check(results, sums) -> None:
    for grain in GRAINS:
        for r in results[grain]:
            key = tuple(dict(r.keys).get(g) for g in grain)
            if r.indicator == "form_quality_score" and r.value is not None:
                n, _all, total = (
                    sums[(grain, key)][1],
                    sums[(grain, key)][0],
                    sums[(grain, key)][2],
                )
                assert abs(r.value - total / n) < 1e-9, (grain, key, r.value, total / n)
            if r.indicator == "evaluations_per_advisor" and grain == ("advisor",):
                assert r.numerator == sums[(grain, key)][0], (key, r.numerator)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


def http_timings(url: str, client, runs: int) -> list[float]:
    client.get(url)  # warm up
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - began)
        assert response.status_code == 200, (url, response.status_code)
    return timings


def main() -> None:
    args = parse_arguments()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="qexp-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    setup_django(workdir)
    began = time.perf_counter()
    generate(args.advisors, args.months, args.per_month)
    print(f"data ready in {time.perf_counter() - began:.1f} s ({workdir})")

    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from decroche.accounts.models import User
    from decroche.core.calendar import month_last
    from decroche.organisation.models import Advisor

    start = dt.date.fromisoformat(args.month + "-01")
    end = month_last(start)
    seconds, results = best_of(args.repeat, lambda: engine(start, end))
    naive_seconds, sums = best_of(max(1, args.repeat // 2), lambda: naive(start, end))
    check(results, sums)
    rows = sum(len(r) for r in results.values())
    print(
        f"1. quality indicators, {args.month}, {len(CODES)} indicators × {len(GRAINS)} grains "
        f"({rows} results): engine {seconds:.3f} s (target < 0.5 s), naive loop "
        f"{naive_seconds:.3f} s, ratio naive / engine {naive_seconds / seconds:.1f}×"
    )

    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    client.force_login(User.objects.get(username="bench.quality"))
    advisor = Advisor.objects.order_by("pk").first()
    page = http_timings(reverse("quality-advisor", args=[advisor.pk]), client, args.runs)
    base = http_timings(reverse("login"), Client(), args.runs)
    p50, p95 = percentile(page, 0.5), percentile(page, 0.95)
    b50, b95 = percentile(base, 0.5), percentile(base, 0.95)
    print(
        f"2. advisor quality page over HTTP (test client, {args.runs} runs): p50 {p50 * 1000:.0f} ms,"
        f" p95 {p95 * 1000:.0f} ms (target < 300 ms); sign-in page p50 {b50 * 1000:.0f} ms, "
        f"p95 {b95 * 1000:.0f} ms; ratio p95 page / sign-in {p95 / b95:.1f}×"
    )


if __name__ == "__main__":
    main()
