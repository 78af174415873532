"""Pages of the organisation app: the roster import (`roster`) and the reference-data pages
of sites, teams, advisors, contact reasons, exceptional closures and opening hours
(`reference`), and the CSO's accounts to review (`review`)."""

from .reference import (
    AdvisorPages,
    ContactReasonPages,
    ExceptionalClosurePages,
    OpeningHoursPages,
    SitePages,
    TeamPages,
)
from .review import account_disable, accounts_review, portal_users_download, rights_restore
from .roster import SESSION_KEY, roster_confirm, roster_upload

__all__ = [
    "SESSION_KEY",
    "AdvisorPages",
    "ContactReasonPages",
    "ExceptionalClosurePages",
    "OpeningHoursPages",
    "SitePages",
    "TeamPages",
    "account_disable",
    "accounts_review",
    "portal_users_download",
    "rights_restore",
    "roster_confirm",
    "roster_upload",
]
