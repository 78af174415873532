"""The header menu groups each person's destinations by domain (STYLE habit 5)."""

import pytest
from django.urls import reverse

from decroche.core.navigation import menu_sections

pytestmark = pytest.mark.django_db


def test_a_planner_sees_domains_each_holding_only_what_the_role_may_open(users):
    sections = {s["code"]: s for s in menu_sections(users["workforce_planner"])}
    assert {"indicators", "contract", "planning"} <= set(sections)
    planning = [d["url_name"] for d in sections["planning"]["destinations"]]
    assert planning == ["planning-forecast", "planning-order-proposal", "planning-schedules"]
    assert not any(s["current"] for s in sections.values())


def test_an_advisor_gets_no_planning_and_the_current_section_is_marked(users):
    advisor = {s["code"] for s in menu_sections(users["advisor"])}
    assert "planning" not in advisor and "contract" not in advisor
    url = reverse("planning-schedules")
    current = [s["code"] for s in menu_sections(users["workforce_planner"], url) if s["current"]]
    assert current == ["planning"]


def test_the_page_shows_a_sub_menu_per_domain(client, users):
    client.force_login(users["workforce_planner"])
    page = client.get(reverse("planning-schedules")).content.decode()
    assert 'aria-controls="menu-planning" aria-current="true"' in page
    assert "Planification" in page and "Proposition de commande" in page
