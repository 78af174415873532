"""Benchmark of the incident register (issue 14): statistics page and decryption.

    .venv/bin/python bench/incidents.py                     # 50,000 reports over 5 years
    .venv/bin/python bench/incidents.py --workdir /tmp/i1   # keep/reuse the generated data

Data: a fresh SQLite database with 3 sites, 30 advisors and `--reports` incident reports
spread over 5 years (2021-11 – 2026-10), each with one victim and an encrypted health note
on one report in three (bulk inserts; every note goes through the Fernet field). No calls.

Two measures:
  1. the statistics page (`/incidents/statistiques/?period=YYYY-MM`) with the Django test
     client (in process, not a socket), signed in as a staff representative with a
     verified second factor, `--runs` times: p50 and p95; target p95 under 300 ms;
  2. reading one report's encrypted fields (the report's and its victim's health notes,
     from the database, decrypted): best of `--repeat`; target under 5 ms.

Measured on the shared 2-core machine, default arguments: data in 14 s; 1. p50 36 ms,
p95 42 ms (616 ms before the month was bounded by Paris-midnight instants instead of a
per-row date conversion); 2. 0.45 ms.
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
from pathlib import Path


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=50_000)
    parser.add_argument("--period", default="2026-03")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=20)
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


def generate(count: int) -> None:
    from decroche.core.calendar import PARIS
    from decroche.organisation.models import Advisor, Site, Team
    from decroche.wellbeing.choices import IncidentType, Place
    from decroche.wellbeing.models import IncidentReport, Victim

    if IncidentReport.objects.exists():
        return
    rng = random.Random(14)
    advisors = []
    for s in range(3):
        site = Site.objects.create(code=f"bench-{s}", name=f"Site {s}")
        team = Team.objects.create(site=site, code=f"bench-t{s}", name=f"Équipe {s}")
        for a in range(10):
            advisors.append(
                Advisor.objects.create(
                    login=f"BI{s}{a:02d}",
                    first_name="Agent",
                    last_name=f"{s}-{a}",
                    site=site,
                    team=team,
                    joined_on=dt.date(2020, 1, 1),
                )
            )
    start = dt.datetime(2021, 11, 1, tzinfo=PARIS)
    span = int((dt.datetime(2026, 11, 1, tzinfo=PARIS) - start).total_seconds())
    places, types = Place.values, IncidentType.values
    for batch_start in range(0, count, 5000):
        reports, chosen = [], []
        for index in range(batch_start, min(count, batch_start + 5000)):
            advisor = rng.choice(advisors)
            chosen.append(advisor)
            reports.append(
                IncidentReport(
                    occurred_at=start + dt.timedelta(seconds=rng.randrange(span)),
                    site_id=advisor.site_id,
                    place=rng.choice(places),
                    description="Insultes répétées au téléphone.",
                    types=rng.sample(types, rng.randint(1, 2)),
                    severity=rng.randint(1, 4),
                    health_note="Choc émotionnel, suivi proposé" if index % 3 == 0 else "",
                )
            )
        created = IncidentReport.objects.bulk_create(reports)
        Victim.objects.bulk_create(
            Victim(report=report, advisor=advisor, health_note="Troubles du sommeil")
            for report, advisor in zip(created, chosen, strict=True)
        )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


def signed_in_client():
    from django.contrib.auth.models import Group
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_static.models import StaticDevice

    from decroche.accounts.models import User

    user, _created = User.objects.get_or_create(
        username="bench.representative", defaults={"must_change_password": False}
    )
    user.groups.add(Group.objects.get(name="staff_representative"))
    client = Client()
    client.force_login(user)
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="bench", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def main() -> None:
    args = parse_arguments()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="incidents-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    setup_django(workdir)
    began = time.perf_counter()
    generate(args.reports)
    print(f"data ready in {time.perf_counter() - began:.1f} s ({workdir})")

    from django.conf import settings
    from django.urls import reverse

    from decroche.wellbeing.models import IncidentReport

    settings.ALLOWED_HOSTS = ["*"]
    client = signed_in_client()
    url = reverse("incident-statistics") + f"?period={args.period}"
    assert client.get(url).status_code == 200
    timings = []
    for _ in range(args.runs):
        tick = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - tick)
        assert response.status_code == 200
    p50, p95 = percentile(timings, 0.5), percentile(timings, 0.95)
    print(
        f"1. statistics page {args.period} ({IncidentReport.objects.count():,} reports, "
        f"{args.runs} runs): p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms (target < 300 ms)"
    )
    pk = IncidentReport.objects.exclude(health_note="").values_list("pk", flat=True).first()
    best = math.inf
    for _ in range(args.repeat):
        tick = time.perf_counter()
        report = IncidentReport.objects.get(pk=pk)
        notes = [report.health_note] + [v.health_note for v in report.victims.all()]
        best = min(best, time.perf_counter() - tick)
    assert all(notes)
    print(f"2. one report read and decrypted: best {best * 1000:.2f} ms (target < 5 ms)")


if __name__ == "__main__":
    main()
