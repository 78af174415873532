"""Indicator dashboard (issue 3; SPEC §3): access, scope, drill-down, statuses in words and
colour, charts with their tables, exports. Figures from the `world` fixture (contacts.factories.two_site_world)."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import translation

from decroche.contacts.factories import WORLD_DAY as DAY
from decroche.core.navigation import destinations_for
from decroche.indicators import charts
from decroche.indicators.dashboards import combined
from decroche.indicators.display import format_value
from decroche.indicators.engine import Result

pytestmark = pytest.mark.django_db
MONTH = {"view": "month", "day": DAY.isoformat()}


def get(client, user, **params):
    client.force_login(user)
    return client.get(reverse("indicator-dashboard"), params)


def row_of(response, code):
    return next(row for row in response.context["overall_rows"] if row["code"] == code)


def breakdown_keys(response):
    return [tuple(row["keys"]) for row in response.context["breakdown"]["rows"]]


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("indicator-dashboard"))
    assert response.status_code == 302
    assert reverse("login") in response.url


@pytest.mark.parametrize("role", ["advisor", "trainer", "security_officer"])
def test_roles_without_dashboards_get_403(client, users, role):
    assert get(client, users[role]).status_code == 403


def test_overall_month_shows_values_targets_and_status_in_words(client, users, world):
    response = get(client, users["workforce_planner"], level="overall", **MONTH)
    assert response.status_code == 200
    answer_rate = row_of(response, "answer_rate")
    # 4 answered / 6 received directly = 0.6667 < 0.90: missed, in words and in red.
    assert answer_rate["value"] == format_value(4 / 6, "rate")
    assert answer_rate["status"]["css"] == "fr-badge--error"
    assert answer_rate["status"]["label"] in response.content.decode()
    wait = row_of(response, "average_wait")
    # (4 × 30 + 2 × 90) / 6 = 300 / 6 = 50 s < 120 s: met.
    assert wait["value"] == "50\u00a0s"
    assert wait["status"]["css"] == "fr-badge--success"


def test_site_manager_sees_only_their_site_and_no_overall_level(client, users, world):
    response = get(client, users["site_manager"], level="site", **MONTH)
    assert response.status_code == 200
    assert breakdown_keys(response) == [("Grenoble",)]
    levels = [code for code, _label in response.context["form"].fields["level"].choices]
    assert "overall" not in levels
    # Asking for the overall level anyway is refused by the form: the first allowed level shows.
    response = get(client, users["site_manager"], level="overall", **MONTH)
    assert response.context["overall_rows"] is None
    assert breakdown_keys(response) == [("Grenoble",)]


def test_team_leader_sees_only_their_team_even_when_asking_for_another_site(client, users, world):
    response = get(client, users["team_leader"], level="team", **MONTH)
    assert breakdown_keys(response) == [("G1",)]
    # Lyon is not among their choices: the parent falls back to their own scope.
    response = get(client, users["team_leader"], level="advisor", parent="site:lyon", **MONTH)
    assert breakdown_keys(response) == [("Inès Martin (A1001)",)]


def test_drill_down_site_to_team_to_advisor(client, users, world):
    planner = users["workforce_planner"]
    sites = get(client, planner, level="site", **MONTH)
    assert breakdown_keys(sites) == [("Grenoble",), ("Lyon",)]
    lyon = next(r for r in sites.context["breakdown"]["rows"] if r["keys"] == ["Lyon"])
    assert "level=team" in lyon["drill"] and "parent=site%3Alyon" in lyon["drill"]
    teams = client.get(reverse("indicator-dashboard") + lyon["drill"])
    assert breakdown_keys(teams) == [("L1",)]
    advisors = client.get(
        reverse("indicator-dashboard") + teams.context["breakdown"]["rows"][0]["drill"]
    )
    assert breakdown_keys(advisors) == [("Léa Roux (B2001)",)]


def test_by_reason_within_a_site_and_the_answer_rate_per_site(client, users, world):
    planner = users["workforce_planner"]
    sites = get(client, planner, level="site", **MONTH)
    grenoble = sites.context["breakdown"]["rows"][0]
    # Grenoble: 3 answered / 4 received = 75 %, missed.
    assert grenoble["cells"][0]["value"] == format_value(3 / 4, "rate")
    assert grenoble["cells"][0]["status"]["css"] == "fr-badge--error"
    reasons = client.get(reverse("indicator-dashboard") + grenoble["by_reason"])
    # The world's calls carry no reason: one row, Grenoble × (none).
    assert [row["keys"][0] for row in reasons.context["breakdown"]["rows"]] == ["Grenoble"]


def test_charts_have_a_data_table_and_the_intraday_profile_counts_the_scope(client, users, world):
    response = get(client, users["site_manager"], level="site", **MONTH)
    charts_ = {c["title"]: c for c in response.context["charts"]}
    profile = next(
        c for title, c in charts_.items() if "Intraday" in str(title) or "journ" in str(title)
    )
    ten = next(row for row in profile["rows"] if row[0] == "10:00")
    assert ten[1:] == [4, 3]  # Grenoble only: 4 arrivals at 10:00, 3 answered
    body = response.content.decode()
    assert body.count("<svg") == 4 and body.count("<details>") >= 4


def test_csv_and_xlsx_exports_of_the_visible_rows(client, users, world):
    response = get(client, users["site_manager"], level="site", export="csv", **MONTH)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    answer = [r for r in rows if r["indicator"] == "answer_rate"]
    assert [(r["site"], float(r["value"])) for r in answer] == [("grenoble", 0.75)]
    response = get(client, users["workforce_planner"], level="overall", export="xlsx", **MONTH)
    assert response.content[:2] == b"PK"  # a zip container: the XLSX workbook


def test_navigation_offers_the_dashboards_to_readers_only(users):
    offered = {d["url_name"] for d in destinations_for(users["team_leader"])}
    assert {"indicator-dashboard", "resources-dashboard"} <= offered
    assert "indicator-dashboard" not in {d["url_name"] for d in destinations_for(users["advisor"])}


def test_combined_adds_numerators_and_denominators_not_ratios():
    def result(numerator, denominator, site):
        return Result(
            "answer_rate",
            DAY,
            DAY,
            (("site", site), ("reason", "x")),
            numerator,
            denominator,
            numerator / denominator,
            ">= 0.90",
            "missed",
        )

    (total,) = combined([result(3, 4, "a"), result(1, 2, "b")], drop=["site"])
    # (3 + 1) / (4 + 2) = 0.6667, not the mean of 0.75 and 0.5 (0.625).
    assert total.numerator == 4 and total.denominator == 6
    assert total.value == pytest.approx(4 / 6)
    assert total.keys == (("reason", "x"),)
    assert total.status == "missed"


def test_format_value_by_unit_in_french():
    with translation.override("fr"):
        # no-break spaces (core.formatting): a figure never breaks across two lines
        assert format_value(4 / 6, "rate") == "66,7\u00a0%"
        assert format_value(95, "seconds") == "1\u00a0min\u00a035\u00a0s"
        assert format_value(None, "rate") == "—"


def test_charts_are_valid_accessible_svg_with_escaped_labels():
    markup = charts.line_chart(
        "Taux <décroché>",
        ["01/01", "02/01", "03/01"],
        [charts.Series("A & B", [0.5, None, 0.9])],
        target=0.9,
        target_label="cible",
    )
    root = ET.fromstring(markup)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img"
    assert root.find(f"{ns}title").text == "Taux <décroché>"
    # The missing middle value breaks the line: two lone points, no polyline.
    assert root.findall(f"{ns}polyline") == []
    assert len(root.findall(f"{ns}circle")) == 2
    bars = ET.fromstring(charts.bar_chart("Motifs", ["a", "b"], [10, 5]))
    widths = [float(r.get("width")) for r in bars.findall(f"{ns}rect")]
    assert widths[0] == pytest.approx(2 * widths[1])  # 10 is twice 5


def test_a_forged_parent_outside_the_scope_yields_nothing(users, world):
    from decroche.indicators.dashboards import Selection, scoped_report
    from decroche.organisation.selectors import user_scope

    forged = Selection("month", DAY, "reason", parent_kind="site", parent_code="lyon")
    scope = user_scope(users["team_leader"])
    grain, results = scoped_report(forged, scope, start=DAY, end=DAY, period="range")
    assert grain == ("site", "reason")
    assert results == []
