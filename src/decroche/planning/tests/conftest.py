"""Fixtures shared by the planning tests: the resources dashboard reads the indicator
pages' world (two sites, teams, advisors and their calls)."""

from decroche.indicators.tests.views_world import world  # noqa: F401  (a fixture, found by pytest here)
