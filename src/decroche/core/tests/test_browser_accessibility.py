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


def _sign_in(page, base_url: str, username: str, password: str, problems=None) -> None:
    """The password, then the second factor (SPEC §9): the code the demo's published TOTP
    secret gives now, axe-checked into `problems` when asked."""
    page.goto(f"{base_url}/comptes/connexion/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    if "/double-facteur/" in page.url:
        if problems is not None:
            problems += [f"second factor: {item}" for item in _blocking(page)]
        page.fill("input[name=totp-token]", _demo_totp_code(username))
        page.click("form:has(input[name=totp-token]) button[type=submit]")
        page.wait_for_load_state()


def _demo_totp_code(username: str) -> str:
    """The code of the next unused time step: django-otp accepts each step once per device
    and one step either side (tolerance 1), so a second sign-in within 30 s takes the next."""
    from concurrent.futures import ThreadPoolExecutor

    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    # Playwright's sync API runs an event loop here: the ORM is used from another thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        device = pool.submit(
            TOTPDevice.objects.get, user__username=username, confirmed=True
        ).result()
    clock = TOTP(device.bin_key, device.step, device.t0, device.digits)
    clock.drift = max(0, device.last_t + 1 - clock.t())
    return f"{clock.token():06d}"


def _new_page(browser, **options):
    """A page in a fresh context with axe-core loaded before any page script (axe-core as
    bundled by axe-playwright-python: nothing is fetched)."""
    from axe_playwright_python.base import AXE_SCRIPT

    context = browser.new_context(locale="fr-FR", **options)
    context.add_init_script(AXE_SCRIPT)
    page = context.new_page()
    # Whatever the content security policy blocks on a page (an inline script or style,
    # a foreign origin) is a fault of that page (issue 12 point 6).
    page.csp_violations = []
    page.on(
        "console",
        lambda message: (
            page.csp_violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return context, page


def _blocking(page) -> list[str]:
    # Only violations come back: the passes of a large page cost seconds to serialise.
    response = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    found = []
    for violation in response["violations"]:
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
        context, page = _new_page(browser, viewport={"width": 1280, "height": 900})
        _sign_in(page, live_server.url, username, password)
        assert not re.search(r"/connexion/|/double-facteur/", page.url), f"{role}: sign-in failed"
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
        problems += [f"{role} {item}" for item in page.csp_violations]
        context.close()
    for item in sorted(timings, reverse=True)[:8]:
        print("load {:.1f} s, axe {:.1f} s: {} {}".format(*item))
    assert visited > len(world), "no menu page was visited"
    # The sign-in page and the French 404 page, seen by an anonymous and a signed-in person.
    context, page = _new_page(browser)
    page.goto(f"{live_server.url}/comptes/connexion/")
    problems += [f"sign-in: {item}" for item in _blocking(page)]
    _sign_in(page, live_server.url, world["advisor"][0], password, problems)
    assert "/double-facteur/" not in page.url, "second factor refused"
    for url in ("/comptes/securite/", "/comptes/securite/codes-de-secours/"):
        assert page.goto(f"{live_server.url}{url}").status == 200
        problems += [f"{url}: {item}" for item in _blocking(page)]
    assert page.goto(f"{live_server.url}/cette-page-n-existe-pas/").status == 404
    problems += [f"404: {item}" for item in _blocking(page)]
    problems += page.csp_violations
    context.close()
    assert not problems, "\n".join(problems)


@pytest.fixture
def schedule_url(demo_world):
    """A week of schedules computed on the demo's history: the widest grid of the product."""
    import datetime as dt

    from django.urls import reverse
    from django.utils import timezone

    from decroche.planning.schedule_services import schedule_run
    from decroche.planning.schedules import ShiftRules

    today = timezone.localdate()
    monday = today + dt.timedelta(days=7 - today.weekday())
    run = schedule_run(start=monday, days=5, rules=ShiftRules(weekly_hours_min=0), time_limit=5)
    return f"{reverse('planning-schedules')}?run={run.pk}"


def test_the_schedule_grid_scrolls_by_keyboard_keeps_its_first_column_and_has_a_day_view(
    demo_world, schedule_url, browser, live_server
):
    world, password = demo_world
    context, page = _new_page(browser, viewport={"width": 1280, "height": 900})
    _sign_in(page, live_server.url, world["workforce_planner"][0], password)
    page.goto(f"{live_server.url}{schedule_url}")
    grid = page.locator(".fr-table__container", has=page.locator("table[data-decroche-per-day]"))
    assert grid.count() == 2
    region = grid.first
    assert region.get_attribute("tabindex") == "0" and region.get_attribute("role") == "region"
    assert region.get_attribute("aria-label") == "Planning horaire par conseiller"
    assert region.evaluate("el => el.scrollWidth > el.clientWidth"), "the grid should be wider"
    # The keyboard reaches the region and scrolls it; the advisor column stays in view.
    first_cell = region.locator("tbody tr").first.locator("th")
    x_before = first_cell.bounding_box()["x"]
    region.focus()
    assert page.evaluate("document.activeElement.getAttribute('role')") == "region"
    page.keyboard.press("End")
    for _ in range(20):
        page.keyboard.press("ArrowRight")
    assert region.evaluate("el => el.scrollLeft") > 0
    assert abs(first_cell.bounding_box()["x"] - x_before) < 1
    assert not _blocking(page)
    context.close()

    # On a phone: one day at a time, chosen in a labelled select.
    context, page = _new_page(browser, viewport={"width": 375, "height": 800})
    _sign_in(page, live_server.url, world["workforce_planner"][0], password)
    page.goto(f"{live_server.url}{schedule_url}")
    select = page.get_by_label("Jour affiché").first
    assert select.is_visible()
    head = page.locator("table[data-decroche-per-day]").first.locator("thead th")
    shown = "cells => cells.filter(c => c.offsetParent !== null).map(c => c.textContent.trim())"
    visible = head.evaluate_all(shown)
    assert len(visible) == 3, visible  # advisor, the day shown, paid hours
    second_day = select.locator("option").nth(1).inner_text()
    select.select_option(index=1)
    assert head.evaluate_all(shown)[1] == second_day
    assert not _blocking(page)
    context.close()
