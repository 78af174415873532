"""The stored roster as the diff compares it with a file (`organisation.selectors.
roster_state` reads it): plain values, keyed the way a file names things. No database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class SiteState:
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class TeamState:
    id: int
    code: str
    name: str
    site_code: str
    leader: str  # username of the team leader's account, "" when none


@dataclass(frozen=True)
class AdvisorState:
    id: int
    login: str
    site: str  # site code
    team: str  # team code, "" when none
    last_name: str
    first_name: str
    email: str
    joined_on: dt.date
    left_on: dt.date | None
    absent_from: dt.date | None
    absent_to: dt.date | None
    skills: tuple[str, ...]  # "phone", "form" and contact reason codes, sorted
    weekly_hours: Decimal | None
    username: str  # of the linked account, "" when none


@dataclass(frozen=True)
class UserState:
    id: int
    username: str
    email: str
    advisor_login: str  # "" when the account is linked to no advisor


@dataclass
class RosterState:
    """The stored roster, keyed the way a file names things (codes case-insensitively)."""

    sites: dict[str, SiteState]  # by lower-case code
    teams: dict[str, TeamState]  # by lower-case code
    advisors: dict[str, AdvisorState]  # by login
    users: dict[str, UserState]  # by username
    reasons: dict[str, str]  # lower-case code → code

    def __post_init__(self) -> None:
        self.user_by_email = {
            user.email.lower(): user.username for user in self.users.values() if user.email
        }
        self.advisor_by_email = {
            advisor.email.lower(): advisor.login
            for advisor in self.advisors.values()
            if advisor.email
        }
