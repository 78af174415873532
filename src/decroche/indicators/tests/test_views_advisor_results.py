"""The advisor's own results page (issue 9, point 10): their figures by day, week and
month beside the target and their team's, scoped on the server to the signed-in advisor.
Figures from the `world` fixture (contacts.factories.two_site_world) plus a second advisor in team g1."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from decroche.contacts.factories import WORLD_DAY as DAY
from decroche.core.navigation import destinations_for
from decroche.indicators.advisor_results import Period, parse_period
from decroche.organisation.models import Advisor

pytestmark = pytest.mark.django_db
URL = "/indicateurs/mes-resultats/"


@pytest.fixture
def signed_in(client, users, world):
    """Inès (A1001, team g1) signed in; Hugo (A1002) in her team answers one call."""
    world["ines"].user = users["advisor"]
    world["ines"].save()
    hugo = Advisor.objects.create(
        login="A1002",
        first_name="Hugo",
        last_name="Petit",
        site=world["grenoble"],
        team=world["g1"],
        joined_on=dt.date(2025, 1, 6),
    )
    world["call"](hugo, world["grenoble"], "answered", 30)
    client.force_login(users["advisor"])
    return client


def row(response, code):
    return next(r for r in response.context["rows"] if r["code"] == code)


def test_url_has_no_advisor_in_it():
    assert reverse("advisor-results") == URL
    with pytest.raises(NoReverseMatch):
        reverse("advisor-results", args=[1])


def test_own_figures_beside_target_and_team(signed_in):
    response = signed_in.get(URL, {"view": "day", "day": DAY.isoformat()})
    assert response.status_code == 200
    # Inès answered 3 calls; her team g1 = Inès 3 + Hugo 1 = 4.
    handled = row(response, "calls_handled")
    assert handled["value"] == "3" and handled["team"] == "4"
    # AHT = (240 s talk + 60 s wrap-up) × 3 / 3 calls = 300 s; target "<= 300" in force.
    aht = row(response, "average_handling_time")
    nb = "\u00a0"
    assert aht["value"] == f"5{nb}min{nb}00{nb}s" and aht["target"] == f"≤{nb}5{nb}min{nb}00{nb}s"
    assert aht["status"]["css"] == "fr-badge--success"
    assert (
        row(response, "average_talk_time")["value"] == "4\u00a0min\u00a000\u00a0s"
    )  # 240 s a call
    assert response.context["advisor"].login == "A1001"


@pytest.mark.parametrize(
    "params",
    [
        {"advisor": "B2001"},
        {"advisor": "{lea}"},
        {"advisor_id": "{lea}"},
        {"login": "B2001"},
        {"team": "l1"},
        {"user": "{lea_user}"},
    ],
)
def test_no_parameter_reaches_another_advisor(signed_in, world, users, params):
    world["lea"].user = users["team_leader"]
    world["lea"].save()
    values = {"lea": str(world["lea"].pk), "lea_user": str(users["team_leader"].pk)}
    query = {key: value.format(**values) for key, value in params.items()}
    response = signed_in.get(URL, {"view": "day", "day": DAY.isoformat(), **query})
    assert response.status_code == 200
    assert response.context["advisor"].login == "A1001"
    assert row(response, "calls_handled")["value"] == "3"  # Léa answered 1 call, not 3
    content = response.content.decode()
    assert "Roux" not in content and "B2001" not in content


def test_crafted_urls_find_nothing(signed_in, world):
    for path in (f"{URL}{world['lea'].pk}/", f"{URL}B2001/", f"{URL}?/../{world['lea'].pk}"):
        response = signed_in.get(path)
        assert response.status_code in (404, 200)
        if response.status_code == 200:
            assert response.context["advisor"].login == "A1001"


@pytest.mark.parametrize("role", ["team_leader", "site_manager", "workforce_planner", "trainer"])
def test_a_user_without_advisor_record_is_refused_clearly(client, users, world, role):
    client.force_login(users[role])
    response = client.get(URL, {"view": "day", "day": DAY.isoformat()})
    assert response.status_code == 403
    assert "rows" not in response.context
    with translation.override("fr"):
        response = client.get(URL, HTTP_ACCEPT_LANGUAGE="fr")
    assert "conseiller" in response.content.decode()


def test_advisor_role_without_record_is_refused_too(client, users, world):
    client.force_login(users["advisor"])  # in the advisor group, no Advisor linked
    assert client.get(URL).status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "connexion" in response["Location"]


def test_week_and_month_have_a_day_by_day_table_and_navigation(signed_in):
    response = signed_in.get(URL, {"view": "week", "day": "2026-01-14"})
    assert (response.context["start"], response.context["end"]) == (
        dt.date(2026, 1, 12),
        dt.date(2026, 1, 18),
    )
    days = response.context["days"]
    assert [line["day"] for line in days] == [DAY]  # only the Monday has activity
    assert days[0]["cells"][0] == "3"  # calls handled, first column
    content = response.content.decode()
    assert "?view=week&amp;day=2026-01-11" in content  # previous week ends on Sunday 11
    assert "?view=week&amp;day=2026-01-19" in content
    month = signed_in.get(URL, {"view": "month", "day": DAY.isoformat()})
    assert row(month, "calls_handled")["value"] == "3"
    assert (month.context["start"], month.context["end"]) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 1, 31),
    )


def test_french_labels_and_accessible_table(signed_in):
    with translation.override("fr"):
        response = signed_in.get(URL, {"view": "day", "day": DAY.isoformat()})
    content = response.content.decode()
    for label in (
        "Appels traités",
        "Durée moyenne de communication",
        "DMT",
        "Taux de qualification",
        "Taux de disponibilité",
        "Formulaires par jour",
        "Mes résultats",
    ):
        assert label in content, label
    assert "<caption>" in content and '<th scope="row">' in content
    assert "lundi 12 janvier 2026" in content


def test_unreadable_period_falls_back_to_the_current_week():
    today = dt.date(2026, 3, 18)
    assert parse_period("year", "n'importe", today=today) == Period("week", today)
    period = parse_period("month", "2026-03-05", today=today)
    assert (period.previous, period.following) == (dt.date(2026, 2, 28), dt.date(2026, 4, 1))
    day = parse_period("day", "2026-03-05", today=today)
    assert (day.previous, day.following) == (dt.date(2026, 3, 4), dt.date(2026, 3, 6))


def test_menu_and_home_link_the_page_for_advisors_only(client, users):
    assert "advisor-results" in {d["url_name"] for d in destinations_for(users["advisor"])}
    assert "advisor-results" not in {
        d["url_name"] for d in destinations_for(users["workforce_planner"])
    }
    client.force_login(users["advisor"])
    assert URL in client.get(reverse("home")).content.decode()
