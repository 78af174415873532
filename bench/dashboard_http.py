"""Latency of the monthly indicator dashboard over real HTTP on loopback (SPEC §3).

    .venv/bin/python bench/dashboard_http.py --workdir /tmp/b1     # reuse bench/indicators.py data
    .venv/bin/python bench/dashboard_http.py                       # generate one year first

The database is a year of generated traffic (`decroche generate`, as in
`bench/indicators.py`). The app is served by `decroche runserver` (DEBUG off) in a child
process; a workforce planner signs in through the login form, then the monthly dashboard
(overall, then by site) is fetched `--runs` times with `urllib`, and p50/p95 are printed.

Baseline, measured in the same run: the same pages with the daily summary made stale, so
the engine reads the contact tables. Target: p95 under 500 ms with the summary.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.cookiejar
import math
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

PASSWORD = "Bench-Dashboard-2026!"
TOTP_KEY = "42656e63682d44617368626f6172642d4b6579"  # hex of "Bench-Dashboard-Key"
USERNAME = "paul.bench"


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="start", default="2025-11-09")
    parser.add_argument("--to", dest="end", default="2026-11-08")
    parser.add_argument("--day", default="2026-03-16", help="a day of the month shown")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--workdir", type=Path, help="keep the database here (reused if present)")
    return parser.parse_args()


def environment(workdir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DECROCHE_DATA_DIR": str(workdir),
        "DATABASE_URL": f"sqlite:///{workdir / 'decroche.sqlite3'}",
        "DEBUG": "0",
        "SECURE_COOKIES": "0",  # plain HTTP on loopback
        "SECURE_SSL_REDIRECT": "0",
    }


def decroche(env: dict[str, str], *arguments: str) -> None:
    subprocess.run([str(Path(sys.executable).parent / "decroche"), *arguments], env=env, check=True)


def prepare(workdir: Path, start: str, end: str, env: dict[str, str]) -> None:
    """Generate the year once, refresh the summary, and make the planner account."""
    if not (workdir / "decroche.sqlite3").exists():
        decroche(env, "migrate", "--verbosity", "0")
        decroche(env, "generate", "--from", start, "--to", end, "--seed", "1")
    decroche(env, "migrate", "--verbosity", "0")
    os.environ.update({k: env[k] for k in ("DECROCHE_DATA_DIR", "DATABASE_URL")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "decroche.settings")
    import django

    django.setup()
    from django.contrib.auth.models import Group

    from decroche.accounts.models import User

    user, _created = User.objects.get_or_create(
        username=USERNAME,
        defaults={"first_name": "Paul", "last_name": "Bench", "email": "paul.bench@example.org"},
    )
    user.set_password(PASSWORD)
    user.must_change_password = False
    user.save()
    user.groups.set([Group.objects.get(name="workforce_planner")])
    # The planner signs in with a second factor (SPEC §9): an authenticator device whose
    # key the bench knows, so that it can type the code of the moment.
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.update_or_create(
        user=user, name="bench", defaults={"key": TOTP_KEY, "confirmed": True, "last_t": -1}
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(env: dict[str, str], port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "decroche"),
            "runserver",
            f"127.0.0.1:{port}",
            "--noreload",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("the server did not start")


def signed_in(base: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/comptes/connexion/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(
        f"{base}/comptes/connexion/", data=form, headers={"Referer": f"{base}/comptes/connexion/"}
    )
    landed = opener.open(request)
    if "/double-facteur/" in landed.geturl():
        landed = _second_factor(opener, landed)
    if "/connexion/" in landed.geturl() or "/double-facteur/" in landed.geturl():
        raise SystemExit("sign-in failed")
    return opener


def _second_factor(opener, landed):
    """The authenticator's code of the moment on the verification step."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    # A code is accepted once per device: each sign-in of the bench may reuse the moment's.
    TOTPDevice.objects.filter(user__username=USERNAME, name="bench").update(last_t=-1)

    url = landed.geturl()
    page = landed.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    code = f"{totp(bytes.fromhex(TOTP_KEY), t0=0, step=30, digits=6):06d}"
    form = urllib.parse.urlencode(
        {"method": "totp", "totp-token": code, "csrfmiddlewaretoken": token}
    ).encode()
    return opener.open(urllib.request.Request(url, data=form, headers={"Referer": url}))


def timings(opener, url: str, runs: int) -> tuple[float, float, int]:
    """p50 and p95 in seconds, and the page size; one warm-up fetch first."""
    size = len(opener.open(url).read())
    measured = []
    for _ in range(runs):
        began = time.perf_counter()
        body = opener.open(url).read()
        measured.append(time.perf_counter() - began)
        assert len(body) > 1000
    measured.sort()
    return measured[len(measured) // 2], measured[math.ceil(0.95 * runs) - 1], size


def main() -> None:
    arguments = parse_arguments()
    workdir = arguments.workdir or Path(tempfile.mkdtemp(prefix="decroche-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    env = environment(workdir)
    prepare(workdir, arguments.start, arguments.end, env)
    from decroche.contacts.models import Call
    from decroche.indicators.models import SummaryState
    from decroche.indicators.services import refresh_summary

    began = time.perf_counter()
    refresh_summary()
    print(f"database {workdir / 'decroche.sqlite3'}: {Call.objects.count():,} calls")
    print(f"daily summary refreshed in {time.perf_counter() - began:.1f} s")
    day = dt.date.fromisoformat(arguments.day)
    pages = {
        "monthly, overall": {"view": "month", "day": day.isoformat(), "level": "overall"},
        "monthly, by site": {"view": "month", "day": day.isoformat(), "level": "site"},
    }
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    figures: dict[tuple[str, str], float] = {}
    for label in ("daily summary", "contact tables (baseline)"):
        if label.startswith("contact"):
            SummaryState.objects.update(fingerprint="stale")  # the engine reads the tables
        server = serve(env, port)
        try:
            opener = signed_in(base)
            for page, query in pages.items():
                url = f"{base}/indicateurs/?{urllib.parse.urlencode(query)}"
                p50, p95, size = timings(opener, url, arguments.runs)
                figures[(label, page)] = p95
                print(
                    f"{label:27} {page:18} p50 {p50 * 1000:6.0f} ms  p95 {p95 * 1000:6.0f} ms"
                    f"  ({size // 1024} KiB, {arguments.runs} runs)"
                )
        finally:
            server.terminate()
            server.wait()
    refresh_summary()
    for page in pages:
        ratio = figures[("contact tables (baseline)", page)] / figures[("daily summary", page)]
        verdict = "met" if figures[("daily summary", page)] < 0.5 else "MISSED"
        print(f"{page}: p95 target < 500 ms {verdict}; baseline / summary p95 {ratio:.1f}×")


if __name__ == "__main__":
    main()
