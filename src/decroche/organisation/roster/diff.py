"""What a roster file would change in the stored roster: sites and teams created or
renamed, advisors created, changed (field: old → new) or unchanged, rows rejected, and
advisors of the file's sites the file no longer names (docs/formats.md, "Roster").

The stored roster comes in as a `RosterState` (read by `organisation.selectors.
roster_state`), so this module does no query: the same diff is shown by `--dry-run`,
by the web preview, and applied by `organisation.services.roster_import`.

Nothing is ever deleted: an advisor missing from the file is reported, not removed,
because contacts and figures refer to advisors (SPEC §3, §9 leavers: the left date is
what ends an advisor).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from decroche.core.tabular.errors import RowRejected

from .result import CHANGED, CREATED, REJECTED, UNCHANGED, EntityPlan, RosterDiff, RowOutcome, shown
from .rows import CHANNEL_SKILLS, RosterFile, RosterRow
from .state import AdvisorState, RosterState, SiteState, TeamState

# Advisor field → the file column stating it; a file without that column keeps the value.
OPTIONAL_ADVISOR_FIELDS = {
    "team": "team_code",
    "left_on": "left_on",
    "absent_from": "absent_from",
    "absent_to": "absent_to",
    "skills": "skills",
    "weekly_hours": "weekly_hours",
}


def roster_diff(
    roster: RosterFile,
    state: RosterState,
    *,
    today: dt.date,
    allowed_sites: frozenset[str] | None = None,
) -> RosterDiff:
    """Compare the file's rows with the stored roster.

    `allowed_sites` (lower-case codes) rejects rows of other sites, and rows moving an
    advisor away from another site: a site manager imports the roster of their sites
    (SPEC §9: rights by need). None allows every site.

    A row that contradicts another (a site or team named or led differently, a team on
    two sites) or names an unknown leader is rejected; since a rejected row's login no
    longer counts as a future account, the rows are planned again until no new row is
    rejected (a few rounds at most).
    """
    rejected: dict[int, RowRejected] = {}
    while True:
        planner = _Planner(
            state, [row for row in roster.rows if row.line not in rejected], allowed_sites
        )
        outcomes: dict[int, RowOutcome] = {}
        newly: dict[int, RowRejected] = {}
        for row in planner.rows:
            try:
                outcomes[row.line] = planner.row(row)
            except RowRejected as error:
                newly[row.line] = error
        if not newly:
            break
        rejected.update(newly)
    for row in roster.rows:
        if row.line in rejected:
            error = rejected[row.line]
            outcomes[row.line] = RowOutcome(
                row.line, row.login, REJECTED, row=row, field=error.field, reason=error.reason
            )
    raws: dict[int, str] = {}
    for rejection in roster.rejected:
        outcomes[rejection.line] = RowOutcome(
            rejection.line, "", REJECTED, field=rejection.field, reason=rejection.reason
        )
        raws[rejection.line] = rejection.raw
    in_file = {row.login for row in roster.rows}
    file_sites = {row.site_code.lower() for row in planner.rows}
    absent = sorted(
        (advisor.login, advisor.site)
        for advisor in state.advisors.values()
        if advisor.login not in in_file
        and advisor.site.lower() in file_sites
        and (advisor.left_on is None or advisor.left_on > today)
    )
    return RosterDiff(
        file_name=roster.name,
        file_sha256=roster.sha256,
        outcomes=[outcomes[line] for line in sorted(outcomes)],
        sites=[planner.site_plan(key) for key in planner.sites],
        teams=[planner.team_plan(key) for key in planner.teams],
        absent=absent,
        raws=raws,
    )


@dataclass
class _Statement:
    """What the file says of one site or team so far, and on which line it first said it."""

    code: str
    stored: SiteState | TeamState | None
    values: dict[str, str]
    lines: dict[str, int] = field(default_factory=dict)  # value name → line stating it
    first_line: int = 0


class _Planner:
    """One round over the accepted rows: each row's statements join the plan only once
    the whole row is accepted."""

    def __init__(
        self, state: RosterState, rows: list[RosterRow], allowed_sites: frozenset[str] | None
    ) -> None:
        self.state = state
        self.allowed_sites = allowed_sites
        self.rows = rows
        self.future_accounts = {row.login for row in rows}
        self.named_sites = {row.site_code.lower() for row in rows if row.site_name}
        self.named_teams = {
            row.team_code.lower() for row in rows if row.team_code and row.team_name
        }
        self.sites: dict[str, _Statement] = {}
        self.teams: dict[str, _Statement] = {}

    def row(self, row: RosterRow) -> RowOutcome:
        stored = self.state.advisors.get(row.login)
        if self.allowed_sites is not None:
            for code in (row.site_code, stored.site if stored else row.site_code):
                if code.lower() not in self.allowed_sites:
                    raise RowRejected("site_code", f"site {code} is outside your scope")
        site = self._site(row)
        team = self._team(row, site) if row.team_code else None
        target = self._target(row, stored, site, team)
        account = self._account(row, stored)
        if stored is None:
            changes = {name: ("", value) for name, value in target.items() if value}
            action = CREATED
        else:
            changes = {
                name: (shown(getattr(stored, name)), value)
                for name, value in target.items()
                if shown(getattr(stored, name)) != value
            }
            carries = any(
                self._carries(statement, row.line) for statement in (site, team) if statement
            )
            action = CHANGED if changes or account in ("create", "link") or carries else UNCHANGED
        if account == "sync" and not ({"first_name", "last_name", "email"} & set(changes)):
            account = ""
        self.sites[row.site_code.lower()] = site
        if team is not None:
            self.teams[row.team_code.lower()] = team
        return RowOutcome(row.line, row.login, action, changes, row=row, account=account)

    @staticmethod
    def _carries(statement: _Statement, line: int) -> bool:
        """The row states a value of a new site or team, or a value that changes."""
        return any(
            stated_on == line
            and (
                statement.stored is None
                or getattr(statement.stored, name) != statement.values[name]
            )
            for name, stated_on in statement.lines.items()
        )

    def _stated(self, statement: _Statement, kind: str, name: str, value: str, line: int) -> None:
        if not value:
            return
        if name in statement.lines:
            if statement.values[name] != value:
                raise RowRejected(
                    f"{kind}_{name}",
                    f"{kind} {statement.code} has {name} {statement.values[name]!r} on line {statement.lines[name]}",
                )
            return
        statement.values[name] = value
        statement.lines[name] = line

    def _site(self, row: RosterRow) -> _Statement:
        key = row.site_code.lower()
        stored = self.state.sites.get(key)
        earlier = self.sites.get(key)
        if earlier is not None:
            site = _Statement(
                earlier.code, stored, dict(earlier.values), dict(earlier.lines), earlier.first_line
            )
        elif stored is None and key not in self.named_sites:
            raise RowRejected(
                "site_code", f"unknown site {row.site_code}: give its site_name to create it"
            )
        else:
            site = _Statement(
                stored.code if stored else row.site_code,
                stored,
                {"name": stored.name if stored else ""},
                first_line=row.line,
            )
        self._stated(site, "site", "name", row.site_name, row.line)
        return site

    def _team(self, row: RosterRow, site: _Statement) -> _Statement:
        key = row.team_code.lower()
        stored = self.state.teams.get(key)
        earlier = self.teams.get(key)
        if earlier is not None:
            team = _Statement(
                earlier.code, stored, dict(earlier.values), dict(earlier.lines), earlier.first_line
            )
        elif stored is None and key not in self.named_teams:
            raise RowRejected(
                "team_code", f"unknown team {row.team_code}: give its team_name to create it"
            )
        else:
            team = _Statement(
                stored.code if stored else row.team_code,
                stored,
                {
                    "site": stored.site_code if stored else site.code,
                    "name": stored.name if stored else "",
                    "leader": stored.leader if stored else "",
                },
                first_line=row.line,
            )
        if team.values["site"].lower() != site.code.lower():
            raise RowRejected(
                "team_code",
                f"team {team.code} is on site {team.values['site']}; "
                "a team is not moved between sites by the roster",
            )
        self._stated(team, "team", "name", row.team_name, row.line)
        if row.team_leader:
            self._check_leader(row.team_leader)
        self._stated(team, "team", "leader", row.team_leader, row.line)
        return team

    def site_plan(self, key: str) -> EntityPlan:
        return self._plan(self.sites[key], ("name",))

    def team_plan(self, key: str) -> EntityPlan:
        return self._plan(self.teams[key], ("name", "leader"))

    @staticmethod
    def _plan(statement: _Statement, names: tuple[str, ...]) -> EntityPlan:
        line = min(statement.lines.values(), default=statement.first_line)
        if statement.stored is None:
            return EntityPlan(statement.code, CREATED, line, dict(statement.values))
        changes = {
            name: (getattr(statement.stored, name), statement.values[name])
            for name in names
            if getattr(statement.stored, name) != statement.values[name]
        }
        return EntityPlan(
            statement.code, CHANGED if changes else UNCHANGED, line, dict(statement.values), changes
        )

    def _check_leader(self, login: str) -> None:
        if login not in self.state.users and login not in self.future_accounts:
            raise RowRejected(
                "team_leader",
                f"unknown login {login}: neither an account nor an advisor of this file",
            )

    def _target(
        self, row: RosterRow, stored: AdvisorState | None, site: _Statement, team: _Statement | None
    ) -> dict[str, str]:
        """The advisor fields the row states, as the diff shows them."""
        for skill in row.skills:
            if skill not in CHANNEL_SKILLS.values() and skill not in self.state.reasons:
                raise RowRejected(
                    "skills", f"unknown skill {skill!r} (phone, form or a contact reason code)"
                )
        skills = tuple(sorted(self.state.reasons.get(skill, skill) for skill in row.skills))
        target = {
            "site": site.code,
            "team": team.code if team else "",
            "last_name": row.last_name,
            "first_name": row.first_name,
            "email": row.email,
            "joined_on": shown(row.joined_on),
            "left_on": shown(row.left_on),
            "absent_from": shown(row.absent_from),
            "absent_to": shown(row.absent_to),
            "skills": shown(skills),
            "weekly_hours": shown(row.weekly_hours),
        }
        for name, source in OPTIONAL_ADVISOR_FIELDS.items():
            if source not in row.given:
                del target[name]
        if stored is not None and "team" not in target and stored.team:
            kept = self.state.teams.get(stored.team.lower())
            if kept is not None and kept.site_code.lower() != site.code.lower():
                raise RowRejected(
                    "site_code",
                    f"moves to site {site.code} but stays in team {kept.code} of site "
                    f"{kept.site_code}: give the new team_code",
                )
        email_owner = self.state.advisor_by_email.get(row.email.lower())
        if email_owner and email_owner != row.login:
            raise RowRejected("email", "already the e-mail of another advisor")
        return target

    def _account(self, row: RosterRow, stored: AdvisorState | None) -> str:
        """What the row does to the advisor's nominative account (SPEC §9)."""
        if stored is not None and stored.username:
            username, action = stored.username, "sync"
        else:
            user = self.state.users.get(row.login)
            if user is not None and user.advisor_login and user.advisor_login != row.login:
                raise RowRejected("login", f"the account {row.login} belongs to another advisor")
            username, action = row.login, ("link" if user is not None else "create")
        owner = self.state.user_by_email.get(row.email.lower())
        if owner and owner != username:
            raise RowRejected("email", "already the e-mail of another account")
        return action
