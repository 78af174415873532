"""Concurrent signed-in users against the production set-up on loopback (issue 12, "Load
and faults"): gunicorn with `deploy/gunicorn.conf.py` and whitenoise, DEBUG off.

    .venv/bin/python bench/load_http.py                                 # 10 users, 15 s, SQLite
    .venv/bin/python bench/load_http.py --users 50 --seconds 60 --workdir /tmp/load
    DATABASE_URL=postgres://… .venv/bin/python bench/load_http.py --users 50 --seconds 60

The database is `--days` days of generated traffic (`decroche generate`, seeded) with the
month's invoice, reused from `--workdir` when present. Each virtual user has its own signed-in
sessions (an administrator, and an advisor linked to a generated advisor record), made in
the database with a verified second factor as a sign-in would leave them, and fetches in
turn the monthly dashboard, the monthly statement and the advisor's own results page, for
`--seconds` seconds over keep-alive connections. Printed: requests/s, p50/p95/p99 per page
and overall, errors (any status but 200, any failed connection). Target: 0 errors, p95 under
500 ms.

Baseline, measured in the same run with the same users and duration: the sign-in page
(anonymous, no database query but the session), printed as the ratio of the pages' p95 to
its p95 and of its requests/s to theirs. Bounded: at most 200 users and 300 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import math
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Bench-Charge-2026-longue!"


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--month", default="2026-03", help="the month generated and shown")
    parser.add_argument("--days", type=int, default=14, help="days of traffic generated")
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (0: conf)")
    parser.add_argument("--workdir", type=Path, help="keep the database here (reused if present)")
    arguments = parser.parse_args()
    if not 1 <= arguments.users <= 200 or not 1 <= arguments.seconds <= 300:
        raise SystemExit("at most 200 users and 300 seconds")
    return arguments


def environment(workdir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DECROCHE_DATA_DIR": str(workdir),
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{workdir / 'decroche.sqlite3'}"),
        "DEBUG": "0",
        "SECURE_COOKIES": "0",  # plain HTTP on loopback, as `make serve`
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_MANIFEST": "1",
        "LOG_LEVEL": "ERROR",
    }


def decroche(env: dict[str, str], *arguments: str) -> None:
    subprocess.run([str(Path(sys.executable).parent / "decroche"), *arguments], env=env, check=True)


def prepare(workdir: Path, env: dict[str, str], month: dt.date, days: int) -> None:
    marker = workdir / f"generated-{month:%Y-%m}-{days}"
    decroche(env, "migrate", "--verbosity", "0")
    if not marker.exists():
        end = month + dt.timedelta(days=days - 1)
        decroche(env, "generate", "--from", month.isoformat(), "--to", end.isoformat())
        decroche(
            env, "contract-settings", "invoice", "--month", f"{month:%Y-%m}",
            "--phone", "250000", "--forms", "30000",
        )  # fmt: skip
        marker.touch()
    decroche(env, "collectstatic", "--noinput", "--verbosity", "0")
    decroche(env, "refresh-summary")
    os.environ.update({k: env[k] for k in ("DECROCHE_DATA_DIR", "DATABASE_URL", "DEBUG")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "decroche.settings")
    import django

    django.setup()


def sessions(count: int) -> list[tuple[str, str]]:
    """(administrator cookie, advisor cookie) per virtual user: sessions as a sign-in with a
    second factor leaves them (django-otp's device id, the session clocks)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_static.models import StaticDevice

    from decroche.accounts.middleware import session_clock_start
    from decroche.accounts.models import User
    from decroche.organisation.models import Advisor

    advisors = list(Advisor.objects.order_by("pk")[:count])
    if not advisors:
        raise SystemExit("no advisor generated")

    def cookie(user) -> str:
        device, _created = StaticDevice.objects.get_or_create(
            user=user, name="bench", defaults={"confirmed": True}
        )
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session_clock_start(store)
        store.create()
        return f"sessionid={store.session_key}"

    def user(name: str, role: str):
        person, _created = User.objects.get_or_create(
            username=name,
            defaults={"first_name": "Charge", "last_name": name, "email": f"{name}@example.org"},
        )
        person.set_password(PASSWORD)
        person.must_change_password = False
        person.save()
        person.groups.set([Group.objects.get(name=role)])
        return person

    pairs = []
    for number in range(count):
        admin = user(f"charge.admin{number}", "administrator")
        advisor_user = user(f"charge.conseiller{number}", "advisor")
        advisor = advisors[number % len(advisors)]
        if number < len(advisors):
            Advisor.objects.filter(user=advisor_user).exclude(pk=advisor.pk).update(user=None)
            advisor.user = advisor_user
            advisor.save(update_fields=["user"])
        else:  # more users than advisors: share the advisor's own account
            advisor_user = advisor.user
        pairs.append((cookie(admin), cookie(advisor_user)))
    return pairs


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    server_env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_ACCESS_LOG": "/dev/null"}
    if workers:
        server_env["GUNICORN_WORKERS"] = str(workers)
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", str(ROOT / "deploy/gunicorn.conf.py"),
         "decroche.wsgi:application"],
        env=server_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(300):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/comptes/connexion/")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def load(port: int, plan: list[list[tuple[str, str, str]]], seconds: float) -> dict:
    """Each thread fetches its (label, path, cookie) list in turn until the time is up."""
    figures: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def user(requests: list[tuple[str, str, str]]) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: dict[str, list[float]] = {}
        failed: dict[str, int] = {}
        turn = 0
        while time.perf_counter() < deadline:
            label, path, cookie = requests[turn % len(requests)]
            turn += 1
            began = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            if ok:
                mine.setdefault(label, []).append(time.perf_counter() - began)
            else:
                failed[label] = failed.get(label, 0) + 1
        with lock:
            for label, values in mine.items():
                figures.setdefault(label, []).extend(values)
            for label, count in failed.items():
                errors[label] = errors.get(label, 0) + count

    threads = [threading.Thread(target=user, args=(requests,)) for requests in plan]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"figures": figures, "errors": errors, "elapsed": time.perf_counter() - began}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def report(title: str, run: dict) -> tuple[float, float]:
    """Print one line per page and the total; returns (requests/s, p95) overall."""
    print(title)
    everything: list[float] = []
    labels = sorted(set(run["figures"]) | set(run["errors"]))
    for label in [*labels, "all"]:
        values = everything if label == "all" else run["figures"].get(label, [])
        failed = sum(run["errors"].values()) if label == "all" else run["errors"].get(label, 0)
        if label != "all":
            everything.extend(values)
        if not values:
            print(f"  {label:22} no answer, {failed} errors")
            continue
        print(
            f"  {label:22} {len(values) / run['elapsed']:7.1f} req/s"
            f"  p50 {percentile(values, 0.5) * 1000:6.0f} ms"
            f"  p95 {percentile(values, 0.95) * 1000:6.0f} ms"
            f"  p99 {percentile(values, 0.99) * 1000:6.0f} ms  {failed} errors"
        )
    if not everything:
        return 0.0, math.inf
    return len(everything) / run["elapsed"], percentile(everything, 0.95)


def main() -> None:
    arguments = parse_arguments()
    workdir = arguments.workdir or Path(tempfile.mkdtemp(prefix="decroche-load-"))
    workdir.mkdir(parents=True, exist_ok=True)
    env = environment(workdir)
    month = dt.date.fromisoformat(f"{arguments.month}-01")
    prepare(workdir, env, month, arguments.days)
    cookies = sessions(arguments.users)
    day = month + dt.timedelta(days=min(arguments.days, 28) // 2)
    dashboard = "/indicateurs/?" + urllib.parse.urlencode(
        {"view": "month", "day": day.isoformat(), "level": "overall"}
    )
    statement = f"/contrat/releve/?month={month:%Y-%m}"
    results = "/indicateurs/mes-resultats/?" + urllib.parse.urlencode(
        {"view": "month", "day": day.isoformat()}
    )
    pages = [
        [("dashboard", dashboard, admin), ("statement", statement, admin),
         ("advisor results", results, advisor)]
        for admin, advisor in cookies
    ]  # fmt: skip
    sign_in = [[("sign-in (baseline)", "/comptes/connexion/", "")] for _ in cookies]
    port = free_port()
    server = serve(env, port, arguments.workers)
    try:
        print(
            f"{arguments.users} users, {arguments.seconds:.0f} s each, gunicorn on 127.0.0.1:{port},"
            f" {env['DATABASE_URL'].split(':')[0]}"
        )
        load(port, [p[:1] for p in pages], 2)  # warm-up: each worker loads its code
        rate, p95 = report("pages", load(port, pages, arguments.seconds))
        base_rate, base_p95 = report("baseline", load(port, sign_in, arguments.seconds))
    finally:
        server.terminate()
        server.wait()
    verdict = "met" if p95 < 0.5 else "MISSED"
    print(
        f"p95 target < 500 ms {verdict}; pages p95 / sign-in p95 {p95 / base_p95:.1f}×;"
        f" sign-in req/s / pages req/s {base_rate / rate if rate else math.inf:.1f}×"
    )


if __name__ == "__main__":
    main()
