"""The synthetic organisation: sites, teams and nominative advisors (SPEC §1, §9).

Deterministic and independent of the traffic seed, so every generated range shares
one roster. Plain module, no Django import.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

import numpy as np

from . import profiles as p

_ROSTER_SEED = 20251109


@dataclass(frozen=True)
class RosterAdvisor:
    login: str
    first_name: str
    last_name: str
    site_code: str
    team_code: str
    joined_on: dt.date
    left_on: dt.date | None
    handles_phone: bool
    handles_forms: bool
    absent_from: dt.date | None = None
    absent_to: dt.date | None = None

    @property
    def email(self) -> str:
        return f"{ascii_slug(self.first_name)}.{ascii_slug(self.last_name)}.{self.login.lower()}@example.org"

    def works_on(self, day: dt.date) -> bool:
        if self.absent_from and self.absent_to and self.absent_from <= day <= self.absent_to:
            return False
        return self.joined_on <= day and (self.left_on is None or day < self.left_on)


@dataclass(frozen=True)
class RosterTeam:
    code: str
    name: str
    site_code: str


def ascii_slug(text: str) -> str:
    """ "Élodie Da Silva" -> "elodie-da-silva"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(plain.lower().replace("'", " ").split())


def teams() -> list[RosterTeam]:
    result = []
    for site_code, _name, city in p.PHONE_SITES:
        for number in range(1, p.TEAMS_PER_PHONE_SITE + 1):
            result.append(
                RosterTeam(f"{site_code}-{number}", f"{city} — équipe {number}", site_code)
            )
    result.append(RosterTeam(f"{p.CPAM_SITE[0]}-1", f"{p.CPAM_SITE[2]} — accueil", p.CPAM_SITE[0]))
    return result


def advisors() -> list[RosterAdvisor]:
    """Phone advisors of the contractor sites, then the CPAM's front-desk advisors.

    Most joined for the go-live (initial training in October 2025); some join later
    and a few leave during 2026 (SPEC §9 leavers)."""
    rng = np.random.default_rng(_ROSTER_SEED)
    names: set[tuple[str, str]] = set()
    result: list[RosterAdvisor] = []
    phone_teams = [team for team in teams() if team.site_code != p.CPAM_SITE[0]]
    slots = [team for team in phone_teams for _ in range(p.ADVISORS_PER_PHONE_TEAM)]
    cpam_team = teams()[-1]
    slots += [cpam_team] * p.CPAM_ADVISORS
    for index, team in enumerate(slots):
        while True:
            name = (str(rng.choice(p.FIRST_NAMES)), str(rng.choice(p.LAST_NAMES)))
            if name not in names:
                names.add(name)
                break
        on_phone = team.site_code != p.CPAM_SITE[0]
        joined = dt.date(2025, 10, 1)
        left = absent_from = absent_to = None
        draw = rng.random()
        if on_phone and draw < p.LATE_JOINER_SHARE:
            joined = dt.date(2026, 1, 5) + dt.timedelta(days=int(rng.integers(0, 300)))
        elif on_phone and draw > 1 - p.LEAVER_SHARE:
            left = dt.date(2026, 2, 1) + dt.timedelta(days=int(rng.integers(0, 300)))
        elif on_phone and draw < p.LATE_JOINER_SHARE + p.LONG_ABSENCE_SHARE:
            absent_from = dt.date(2026, 3, 2) + dt.timedelta(days=int(rng.integers(0, 200)))
            absent_to = absent_from + dt.timedelta(days=int(rng.integers(30, 150)))
        result.append(
            RosterAdvisor(
                login=f"A{1001 + index}",
                first_name=name[0],
                last_name=name[1],
                site_code=team.site_code,
                team_code=team.code,
                joined_on=joined,
                left_on=left,
                handles_phone=on_phone,
                handles_forms=on_phone and rng.random() < p.FORMS_CAPABLE_SHARE,
                absent_from=absent_from,
                absent_to=absent_to,
            )
        )
    return result
