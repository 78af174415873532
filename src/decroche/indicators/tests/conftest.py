"""Fixtures shared by the indicator page tests."""

from .views_world import world  # noqa: F401  (a fixture, found by pytest here)
