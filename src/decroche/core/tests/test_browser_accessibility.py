"""Every page of every role's menu in a real browser, checked by axe-core (issue 18 point
11): Debian's Chromium driven by Playwright against pytest-django's live server, on the
demo data (`decroche demo --months 1 --scale 0.01`). Any serious or critical violation
fails the test, with axe's report.

Skipped when Chromium is absent (`/usr/bin/chromium`, or `DECROCHE_CHROMIUM`): CI installs
Debian's package (.ci/run); no browser is ever downloaded."""

from __future__ import annotations

import os
import pathlib
import re
import time
from io import StringIO

import pytest
from django.core.management import call_command

CHROMIUM = pathlib.Path(os.environ.get("DECROCHE_CHROMIUM", "/usr/bin/chromium"))
BLOCKING = {"serious", "critical"}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set DECROCHE_CHROMIUM)",
    ),
]


@pytest.fixture
def browser(demo_world, live_server):
    """Started after the data and the live server: while Playwright's event loop runs,
    Django refuses database access from this thread (SynchronousOnlyOperation)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def demo_world(transactional_db):
    """The demo's accounts (one per role, shared password) and a month of traffic."""
    from decroche.accounts.models import User
    from decroche.accounts.roles import ROLES
    from decroche.core.navigation import destinations_for
    from decroche.synthetic.demo import DEMO_PASSWORD

    call_command("demo", "--months", "1", "--scale", "0.01", stdout=StringIO())
    world = {}
    for role in ROLES:
        user = User.objects.filter(groups__name=role.code).order_by("pk").first()
        urls = [d["url"] for d in destinations_for(user)]
        world[role.code] = (user.get_username(), urls)
    return world, DEMO_PASSWORD


def _sign_in(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/comptes/connexion/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def _blocking(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    # Only violations come back: the passes of a large page cost seconds to serialise.
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in BLOCKING:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
            found.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']} — {targets}"
            )
    return found


def test_every_menu_page_of_every_role_has_no_serious_violation(browser, live_server, demo_world):
    world, password = demo_world
    problems: list[str] = []
    visited = 0
    timings: list = []
    for role, (username, urls) in world.items():
        context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        _sign_in(page, live_server.url, username, password)
        assert not re.search(r"/connexion/", page.url), f"{role}: sign-in failed"
        for url in ["/", *urls]:
            started = time.monotonic()
            response = page.goto(f"{live_server.url}{url}")
            visited += 1
            if response is None or response.status != 200:
                problems.append(f"{role} {url}: HTTP {response.status if response else '?'}")
                continue
            loaded = time.monotonic()
            problems += [f"{role} {url}: {item}" for item in _blocking(page)]
            timings.append((loaded - started, time.monotonic() - loaded, role, url))
        context.close()
    for item in sorted(timings, reverse=True)[:8]:
        print("load %.1f s, axe %.1f s: %s %s" % item)
    assert visited > len(world), "no menu page was visited"
    # The sign-in page and the French 404 page, seen by an anonymous and a signed-in person.
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(f"{live_server.url}/comptes/connexion/")
    problems += [f"sign-in: {item}" for item in _blocking(page)]
    _sign_in(page, live_server.url, world["advisor"][0], password)
    assert page.goto(f"{live_server.url}/cette-page-n-existe-pas/").status == 404
    problems += [f"404: {item}" for item in _blocking(page)]
    context.close()
    assert not problems, "\n".join(problems)
