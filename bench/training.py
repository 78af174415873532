"""Benchmark of the training app (issue 13, Performance): 2,000 trainees and 300 sessions
over four years; the trained-advisors indicator at every grain under 0.3 s; 300
certificates as PDF under 30 s.

    .venv/bin/python bench/training.py                      # fresh data in a temporary dir
    .venv/bin/python bench/training.py --workdir /tmp/t1    # keep/reuse the generated data

Data: a fresh SQLite database with 4 sites × 5 teams and `--trainees` advisors joining
over 2022–2025 in cohorts; each cohort follows the initial path (5 modules, 8 half-days:
60 cohorts × 5 = 300 sessions), one trainee in 20 missing a required half-day; attendance
written in bulk (16,000 half-day lines). Then:
  1. `trained_advisors_rate` for one month at every grain (overall, site, team, advisor)
     through `indicator_reports` (best of `--repeat`; target under 0.3 s), checked against
     a hand-written baseline (one query, a Python loop) whose time is printed beside it;
  2. `--certificates` certificates issued and rendered as PDF (QR code included): total
     and per-certificate time (target under 30 s), and the ratio to a bare ReportLab page
     with the same text and no QR code (the baseline).

Measured on the shared 2-core machine (load average about 7 from other work), default
arguments: 1. 241–293 ms for 1,793 results (1,693 / 1,768 = 0.958 overall), the baseline
100–245 ms; 2. 300 certificates in 8.0–17.6 s (26.5–58.7 ms each, 44 KiB), 4.8–5.5 times
a bare page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

MODULES = (  # (code, hours, half-days, optional), as the demo's initial path
    ("b-institutional", "3.5", 1, False),
    ("b-product", "7", 2, False),
    ("b-portal", "3.5", 1, False),
    ("b-scripts", "10.5", 3, False),
    ("b-tools", "3.5", 1, True),
)


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trainees", type=int, default=2000)
    parser.add_argument("--cohorts", type=int, default=60)
    parser.add_argument("--certificates", type=int, default=300)
    parser.add_argument("--month", default="2025-06")
    parser.add_argument("--repeat", type=int, default=5)
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


def generate(trainees: int, cohorts: int) -> None:
    from decimal import Decimal

    from decroche.accounts.models import User
    from decroche.core.calendar import PARIS, add_working_days
    from decroche.organisation.models import Advisor, Site, Team
    from decroche.training.models import (
        Attendance,
        Enrolment,
        LineStart,
        Programme,
        Session,
        SessionHalfDay,
    )

    if Programme.objects.exists():
        return
    rng = random.Random(13)
    user = User.objects.create_user(username="bench.trainer", password=None)
    teams = []
    for s in range(4):
        site = Site.objects.create(code=f"bench-{s}", name=f"Site {s}")
        teams += [
            Team.objects.create(site=site, code=f"bench-{s}-{t}", name=f"Équipe {s}-{t}")
            for t in range(5)
        ]
    modules = [
        Programme.objects.create(
            code=code,
            title=code,
            duration_hours=Decimal(hours),
            max_group_size=60,
            is_initial_path=True,
            path_optional=optional,
            path_order=order,
        )
        for order, (code, hours, _halves, optional) in enumerate(MODULES, start=1)
    ]
    first = dt.date(2022, 1, 3)
    per_cohort = -(-trainees // cohorts)
    attendance = []
    number = 0
    for cohort in range(cohorts):
        start = add_working_days(first, cohort * 17)  # a cohort every ~3.5 weeks over 4 years
        days = [start] + [add_working_days(start, n) for n in range(1, 4)]
        operational = add_working_days(days[-1], 1)
        people = []
        for _index in range(min(per_cohort, trainees - number)):
            team = teams[number % len(teams)]
            people.append(
                Advisor(
                    login=f"BT{number:05d}",
                    first_name="Stagiaire",
                    last_name=str(number),
                    site_id=team.site_id,
                    team=team,
                    joined_on=start,
                )
            )
            number += 1
        people = Advisor.objects.bulk_create(people)
        LineStart.objects.bulk_create(
            LineStart(advisor=a, operational_on=operational) for a in people
        )
        missed = {a.pk for a in people if rng.random() < 0.05}
        slot = 0
        for module, (_code, _hours, halves, _optional) in zip(modules, MODULES, strict=True):
            session = Session.objects.create(
                programme=module, reference=f"B{cohort:02d}-{module.path_order}", capacity=60
            )
            half_days = []
            for _h in range(halves):
                half_days.append(
                    SessionHalfDay.objects.create(
                        session=session, day=days[slot // 2], half="am" if slot % 2 == 0 else "pm"
                    )
                )
                slot += 1
            enrolments = Enrolment.objects.bulk_create(
                Enrolment(
                    session=session,
                    advisor=a,
                    trainee_name=f"Stagiaire {a.last_name}",
                    status="enrolled",
                    requested_at=dt.datetime.combine(start, dt.time(9), tzinfo=PARIS),
                    enrolled_by=user,
                )
                for a in people
            )
            for enrolment in enrolments:
                for half_day in half_days:
                    absent = enrolment.advisor_id in missed and module.path_order == 4
                    attendance.append(
                        Attendance(
                            enrolment=enrolment,
                            half_day=half_day,
                            presence="absent" if absent else "present",
                            method="trainer",
                            signed_at=dt.datetime.combine(half_day.day, dt.time(9), tzinfo=PARIS),
                            recorded_by=user,
                        )
                    )
    Attendance.objects.bulk_create(attendance, batch_size=2000)


def best_of(repeat: int, run):
    best, result = float("inf"), None
    for _attempt in range(repeat):
        began = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - began)
    return result, best


def baseline(start: dt.date, end: dt.date) -> dict[str, tuple[int, int]]:
    """The same rate by hand, by site: one query of the attendance, a Python loop."""
    from collections import defaultdict

    from decroche.organisation.models import Advisor
    from decroche.training.models import Attendance, Programme

    required = {
        pk: hours
        for pk, hours in Programme.objects.filter(
            is_initial_path=True, path_optional=False
        ).values_list("pk", "duration_hours")
    }
    hours: dict[tuple[int, int], float] = defaultdict(float)
    last: dict[tuple[int, int], dt.date] = {}
    for advisor, programme, day, presence, length in Attendance.objects.filter(
        is_current=True, enrolment__session__programme__in=list(required)
    ).values_list(
        "enrolment__advisor",
        "enrolment__session__programme",
        "half_day__day",
        "presence",
        "half_day__hours",
    ):
        if presence == "present":
            hours[(advisor, programme)] += float(length)
            last[(advisor, programme)] = max(day, last.get((advisor, programme), day))
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for pk, site, on in (
        Advisor.objects.filter(line_start__operational_on__lte=end)
        .exclude(left_on__lt=start)
        .values_list("pk", "site__code", "line_start__operational_on")
    ):
        trained = all(
            hours.get((pk, m), 0) >= float(h) and last[(pk, m)] <= on for m, h in required.items()
        )
        counts[site][0] += trained
        counts[site][1] += 1
    return {site: (n, d) for site, (n, d) in counts.items()}


def measure_indicator(month: str, repeat: int) -> None:
    from decroche.indicators.periods import parse_period
    from decroche.indicators.selectors import indicator_reports

    start, end, _natural = parse_period(month)
    grains = [(), ("site",), ("team",), ("advisor",)]
    reports, seconds = best_of(
        repeat,
        lambda: indicator_reports(
            start=start, end=end, period="month", grains=grains, codes=["trained_advisors_rate"]
        ),
    )
    expected, baseline_seconds = best_of(repeat, lambda: baseline(start, end))
    overall = reports[()][0]
    total = (sum(n for n, _d in expected.values()), sum(d for _n, d in expected.values()))
    assert (overall.numerator, overall.denominator) == total, (overall, total)
    rows = sum(len(results) for results in reports.values())
    print(
        f"1. trained_advisors_rate {month}, 4 grains ({rows} results; overall "
        f"{overall.numerator:.0f}/{overall.denominator:.0f} = {overall.value:.3f}): "
        f"{seconds * 1000:.0f} ms (target < 300 ms); hand-written baseline "
        f"{baseline_seconds * 1000:.0f} ms, ratio engine / baseline "
        f"{seconds / baseline_seconds:.1f}"
    )


def measure_certificates(count: int) -> None:
    import io

    from reportlab.pdfgen.canvas import Canvas

    from decroche.accounts.models import User
    from decroche.core.pdf_layout import FONT
    from decroche.training import services
    from decroche.training.exports import certificate_pdf
    from decroche.training.models import Certificate, Enrolment

    user = User.objects.get(username="bench.trainer")
    if Certificate.objects.count() < count:
        for enrolment in (
            Enrolment.objects.filter(certificates__isnull=True, attendances__presence="present")
            .distinct()
            .order_by("pk")[: count - Certificate.objects.count()]
        ):
            services.certificate_issue(enrolment, by=user)
    certificates = list(
        Certificate.objects.select_related("enrolment__session__programme").order_by("pk")[:count]
    )
    began = time.perf_counter()
    sizes = [len(certificate_pdf(c, base_url="https://decroche.example")) for c in certificates]
    seconds = time.perf_counter() - began

    def bare(certificate) -> bytes:
        buffer = io.BytesIO()
        canvas = Canvas(buffer, invariant=1, pageCompression=1)
        canvas.setFont(FONT, 10)
        for line in range(14):
            canvas.drawString(70, 780 - 18 * line, f"{certificate.code} {line}")
        canvas.showPage()
        canvas.save()
        return buffer.getvalue()

    began = time.perf_counter()
    for certificate in certificates:
        bare(certificate)
    baseline_seconds = time.perf_counter() - began
    print(
        f"2. {len(certificates)} certificates as PDF: {seconds:.2f} s "
        f"({seconds / len(certificates) * 1000:.1f} ms per certificate, "
        f"{sum(sizes) / len(sizes) / 1024:.0f} KiB each; target < 30 s); bare ReportLab page "
        f"{baseline_seconds / len(certificates) * 1000:.1f} ms, ratio "
        f"{seconds / baseline_seconds:.1f}"
    )


def main() -> None:
    arguments = parse_arguments()
    workdir = arguments.workdir or Path(tempfile.mkdtemp(prefix="bench-training-"))
    workdir.mkdir(parents=True, exist_ok=True)
    setup_django(workdir)
    began = time.perf_counter()
    generate(arguments.trainees, arguments.cohorts)
    print(f"Data in {time.perf_counter() - began:.0f} s ({workdir})")
    measure_indicator(arguments.month, arguments.repeat)
    measure_certificates(arguments.certificates)


if __name__ == "__main__":
    main()
