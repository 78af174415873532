"""Pages of the organisation app: the roster import (`roster`) and the reference-data pages
of sites, teams, advisors and contact reasons (`reference`)."""

from .reference import AdvisorPages, ContactReasonPages, SitePages, TeamPages
from .roster import SESSION_KEY, roster_confirm, roster_upload

__all__ = [
    "SESSION_KEY",
    "AdvisorPages",
    "ContactReasonPages",
    "SitePages",
    "TeamPages",
    "roster_confirm",
    "roster_upload",
]
