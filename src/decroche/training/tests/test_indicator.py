"""The contract indicator "initially trained advisors" (SPEC §3, `trained_advisors_rate`)
computed by hand on a small roster, at every grain it supports, through `decroche report`;
and the list of advisors put on the line without the whole path."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command

from decroche.organisation.models import Advisor, Site, Team
from decroche.training import selectors, services
from decroche.training.models import LineStart

from . import factories

AT = dt.datetime(2026, 1, 20, 18, 0, tzinfo=dt.UTC)
JAN5, JAN6, JAN12, JAN13 = (dt.date(2026, 1, d) for d in (5, 6, 12, 13))


def person(login, site, team, joined, line=None, left=None):
    advisor = Advisor.objects.create(
        login=login,
        first_name=login,
        last_name="Test",
        site=site,
        team=team,
        joined_on=joined,
        left_on=left,
    )
    if line:
        LineStart.objects.create(advisor=advisor, operational_on=line)
    return advisor


def attend(session, advisors, by, presences=None):
    for advisor in advisors:
        enrolment = services.enrol(session, advisor=advisor, by=by)
        for index, half_day in enumerate(session.half_days.all()):
            presence, missed = (presences or {}).get((advisor.login, index), ("present", 0))
            services.attendance_sign(
                enrolment=enrolment,
                half_day=half_day,
                presence=presence,
                minutes_missed=missed,
                by=by,
                method="trainer",
                at=AT,
            )


@pytest.fixture
def roster(users, site):
    """Initial path: module A (7 h, required), B (3.5 h, required), C (3.5 h, optional).
    January 2026, operational: A1 (on the line 12/01; A on 05/01, B on 06/01: trained), A2
    (joined and on the line 05/01, B only on 06/01: not trained), A3 (A: 3.5 + 2.5 = 6 h of
    7: not trained), B1 in Lyon (on the line 19/01, A and B 12–13/01: trained). Not in
    January: B2 (on the line 02/02, nothing attended), B3 (left 31/12/2025)."""
    manager = users["training_manager"]
    lyon = Site.objects.create(code="lyon", name="Lyon")
    g1 = Team.objects.create(site=site, code="g1", name="G1")
    l1 = Team.objects.create(site=lyon, code="l1", name="L1")
    module_a = factories.programme(
        "path-a", "7", title="Module A", is_initial_path=True, path_order=1
    )
    module_b = factories.programme(
        "path-b", "3.5", title="Module B", is_initial_path=True, path_order=2
    )
    factories.programme("path-c", "3.5", is_initial_path=True, path_optional=True, path_order=3)
    a1 = person("A1", site, g1, dt.date(2025, 12, 1), line=JAN12)
    a2 = person("A2", site, g1, JAN5)
    a3 = person("A3", site, g1, dt.date(2025, 12, 1), line=JAN12)
    b1 = person("B1", lyon, l1, JAN5, line=dt.date(2026, 1, 19))
    person("B2", lyon, l1, dt.date(2026, 1, 19), line=dt.date(2026, 2, 2))
    person("B3", lyon, l1, dt.date(2025, 1, 6), left=dt.date(2025, 12, 31))
    attend(
        factories.session(module_a, manager, days=(JAN5,)),
        [a1, a2, a3],
        manager,
        {("A3", 1): ("late", 60)},
    )
    b_session = services.session_plan(
        programme=module_b,
        reference="B-0106",
        half_days=[(JAN6, "am")],
        user=manager,
        planned_on=dt.date(2025, 12, 1),
    )
    attend(b_session, [a1, a2], manager)
    attend(factories.session(module_a, manager, days=(JAN12,)), [b1], manager)
    attend(
        services.session_plan(
            programme=module_b,
            reference="B-0113",
            half_days=[(JAN13, "am")],
            user=manager,
            planned_on=dt.date(2025, 12, 1),
        ),
        [b1],
        manager,
    )


def report(period, *by):
    out = StringIO()
    args = ["--period", period, "--indicators", "trained_advisors_rate", "--json"]
    if by:
        args += ["--by", ",".join(by)]
    call_command("report", *args, stdout=out)
    return json.loads(out.getvalue())


def values(rows, key=None):
    return {
        r.get(key) if key else None: (r["value"], r["status"])
        for r in rows
        if (key is None and not {"site", "team", "advisor", "reason"} & set(r))
        or (key is not None and key in r)
    }


@pytest.mark.django_db
def test_trained_advisors_rate_by_hand(roster):
    rows = report("2026-01", "site", "team", "advisor", "reason")
    # January: A1 and B1 trained out of A1, A2, A3, B1 operational: 2 / 4 = 0.5, missed.
    assert values(rows)[None] == (0.5, "missed")
    sites = values(rows, "site")
    # Grenoble: A1 of A1, A2, A3 = 1 / 3; Lyon: B1 of B1 = 1 / 1, met.
    assert sites["grenoble"][0] == pytest.approx(1 / 3) and sites["grenoble"][1] == "missed"
    assert sites["lyon"] == (1.0, "met")
    assert values(rows, "team")["l1"] == (1.0, "met")
    advisors = values(rows, "advisor")
    assert advisors["A1"] == (1.0, "met") and advisors["A2"] == (0.0, "missed")
    assert "B2" not in advisors and "B3" not in advisors
    # About people, not contacts: no value per reason.
    assert all(status == "no_data" for _value, status in values(rows, "reason").values())
    # February: B2 goes on the line untrained; Lyon is B1 of B1, B2 = 1 / 2.
    assert values(report("2026-02", "site"), "site")["lyon"] == (0.5, "missed")


@pytest.mark.django_db
def test_advisors_put_on_the_line_without_the_path(roster):
    listed = selectors.advisors_without_full_path(dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    assert {(s.advisor.login, tuple(s.missing)) for s in listed} == {
        ("A2", ("Module B",)),  # module B completed the day after going on the line
        ("A3", ("Module A", "Module B")),  # A: 6 h of 7; B not attended
    }
    a1, a3 = Advisor.objects.get(login="A1"), Advisor.objects.get(login="A3")
    completion = selectors.path_completion([a1.pk, a3.pk])
    assert sorted(completion[a1.pk].values()) == [JAN5, JAN6]
    assert a3.pk not in completion or not any(completion[a3.pk].values())
