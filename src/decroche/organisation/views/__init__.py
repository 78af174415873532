"""Pages of the organisation app: the roster import (`roster`) and the reference-data pages
of sites, teams, advisors, contact reasons, exceptional closures and opening hours
(`reference`)."""

from .reference import (
    AdvisorPages,
    ContactReasonPages,
    ExceptionalClosurePages,
    OpeningHoursPages,
    SitePages,
    TeamPages,
)
from .roster import SESSION_KEY, roster_confirm, roster_upload

__all__ = [
    "SESSION_KEY",
    "AdvisorPages",
    "ContactReasonPages",
    "ExceptionalClosurePages",
    "OpeningHoursPages",
    "SitePages",
    "TeamPages",
    "roster_confirm",
    "roster_upload",
]
