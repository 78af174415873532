"""Latency of a role-play turn over real HTTP on loopback (issue 15, Performance: a
practice turn answered in under 100 ms p95).

    .venv/bin/python bench/practice_http.py [--turns 200] [--workdir /tmp/p1]

A fresh SQLite database is migrated, the 20-turn scenario of bench/practice.py is imported
and an advisor signs in through the login form (helpers of bench/dashboard_http.py). The app
is served by `decroche runserver` (DEBUG off). One turn = the POST of a move and the GET of
the next play page it redirects to; runs are restarted as they end.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import dashboard_http as http_bench
from practice import REPLIES, make_scenario


def prepare(workdir: Path, env: dict[str, str]) -> int:
    http_bench.decroche(env, "migrate", "--verbosity", "0")
    os.environ.update({k: env[k] for k in ("DECROCHE_DATA_DIR", "DATABASE_URL")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "decroche.settings")
    import django

    django.setup()
    from django.contrib.auth.models import Group

    from decroche.accounts.models import User
    from decroche.practice.services import scenario_import

    user, _created = User.objects.get_or_create(
        username=http_bench.USERNAME,
        defaults={"first_name": "Paul", "last_name": "Bench", "email": "paul.bench@example.org"},
    )
    user.set_password(http_bench.PASSWORD)
    user.must_change_password = False
    user.save()
    user.groups.set([Group.objects.get(name="advisor")])
    return scenario_import(text=json.dumps(make_scenario(20)), filename="bench.json").pk


def csrf(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def post(opener, url: str, data: dict, referer: str):
    request = urllib.request.Request(
        url, data=urllib.parse.urlencode(data).encode(), headers={"Referer": referer}
    )
    return opener.open(request)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument("--workdir", type=Path)
    options = parser.parse_args()
    workdir = options.workdir or Path(tempfile.mkdtemp(prefix="decroche-practice-"))
    workdir.mkdir(parents=True, exist_ok=True)
    env = http_bench.environment(workdir)
    scenario_id = prepare(workdir, env)
    port = http_bench.free_port()
    base = f"http://127.0.0.1:{port}"
    server = http_bench.serve(env, port)
    measured: list[float] = []
    try:
        opener = http_bench.signed_in(base)
        list_url = f"{base}/entrainement/"
        page = opener.open(list_url).read().decode()
        play = None
        while len(measured) < options.turns + 5:
            if play is None:
                response = post(
                    opener,
                    f"{base}/entrainement/scenarios/{scenario_id}/jouer/",
                    {"csrfmiddlewaretoken": csrf(page)},
                    list_url,
                )
                play, page = response.geturl(), response.read().decode()
                continue
            data = {"csrfmiddlewaretoken": csrf(page)}
            if 'name="text"' in page:
                data["text"] = REPLIES[len(measured) % len(REPLIES)]
            else:
                data["choice"] = str(len(measured) % 3)
            began = time.perf_counter()
            response = post(opener, play, data, play)
            page = response.read().decode()
            measured.append(time.perf_counter() - began)
            if "/resultat/" in response.geturl():
                play = None
                page = opener.open(list_url).read().decode()
    finally:
        server.terminate()
        server.wait()
    timed = sorted(measured[5:])  # the first turns warm the server up
    p50, p95 = timed[len(timed) // 2], timed[math.ceil(0.95 * len(timed)) - 1]
    print(f"{len(timed)} turns: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
    print("target: p95 under 100 ms —", "OK" if p95 < 0.1 else "MISSED")


if __name__ == "__main__":
    sys.exit(main())
