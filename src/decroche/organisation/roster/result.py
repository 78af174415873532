"""The result of comparing a roster file with the stored roster: what would be created,
changed (field: old → new), left unchanged or rejected, as text and as JSON
(docs/formats.md, "Roster"). No database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from .rows import Rejection, RosterRow

CREATED, CHANGED, UNCHANGED, REJECTED = "created", "changed", "unchanged", "rejected"


@dataclass
class EntityPlan:
    """A site or a team the file creates or changes (the first row stating it carries it)."""

    code: str
    action: str  # created | changed | unchanged
    line: int
    values: dict[str, str]  # name, site (teams), leader (teams)
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)


@dataclass
class RowOutcome:
    line: int
    login: str
    action: str
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)
    row: RosterRow | None = None
    account: str = ""  # create | link | sync | "" (nothing to do)
    field: str = ""
    reason: str = ""


@dataclass
class RosterDiff:
    file_name: str
    file_sha256: str
    outcomes: list[RowOutcome]
    sites: list[EntityPlan]
    teams: list[EntityPlan]
    absent: list[
        tuple[str, str]
    ]  # (login, site code) of advisors of the file's sites missing from it
    raws: dict[int, str] = field(default_factory=dict)  # source text of rows rejected on reading

    def count(self, action: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.action == action)

    @property
    def created_count(self) -> int:
        return self.count(CREATED)

    @property
    def changed_count(self) -> int:
        return self.count(CHANGED)

    @property
    def rows(self) -> int:
        return len(self.outcomes)

    @property
    def accepted(self) -> int:
        return self.count(CREATED) + self.count(CHANGED)

    @property
    def rejected(self) -> int:
        return self.count(REJECTED)

    @property
    def duplicates(self) -> int:
        """Rows that change nothing: importing the same file twice changes nothing."""
        return self.count(UNCHANGED)

    def rejections(self) -> list[Rejection]:
        return [
            Rejection(o.line, o.field, o.reason, o.row.raw if o.row else self.raws.get(o.line, ""))
            for o in self.outcomes
            if o.action == REJECTED
        ]

    def as_dict(self) -> dict:
        return {
            "file_name": self.file_name,
            "rows": self.rows,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "duplicates": self.duplicates,
            "created": self.count(CREATED),
            "changed": self.count(CHANGED),
            "unchanged": self.count(UNCHANGED),
            "sites": [_plan_dict(plan) for plan in self.sites if plan.action != UNCHANGED],
            "teams": [_plan_dict(plan) for plan in self.teams if plan.action != UNCHANGED],
            "advisors": [
                {
                    "line": o.line,
                    "login": o.login,
                    "action": o.action,
                    **({"changes": _changes_dict(o.changes)} if o.changes else {}),
                    **({"account": o.account} if o.account else {}),
                    **({"field": o.field, "reason": o.reason} if o.action == REJECTED else {}),
                }
                for o in self.outcomes
            ],
            "absent_from_file": [{"login": login, "site": site} for login, site in self.absent],
        }

    def as_text(self) -> str:
        """The diff as a person reads it before applying it."""
        lines = [
            f"{self.file_name}: {self.rows} rows — {self.count(CREATED)} to create, "
            f"{self.count(CHANGED)} to change, {self.count(UNCHANGED)} unchanged, "
            f"{self.rejected} rejected"
        ]
        for title, plans in (("Sites", self.sites), ("Teams", self.teams)):
            for plan in plans:
                if plan.action == CREATED:
                    described = ", ".join(f"{k}={v!r}" for k, v in plan.values.items() if v)
                    lines.append(f"{title[:-1]} {plan.code}: create ({described})")
                elif plan.action == CHANGED:
                    lines.append(f"{title[:-1]} {plan.code}: change {_changes_text(plan.changes)}")
        for o in self.outcomes:
            head = f"line {o.line} {o.login or '?'}"
            if o.action == CREATED:
                lines.append(f"{head}: create{_account_text(o.account)}")
            elif o.action == CHANGED:
                lines.append(f"{head}: change {_changes_text(o.changes)}{_account_text(o.account)}")
            elif o.action == REJECTED:
                lines.append(f"{head}: rejected — {o.field or 'row'}: {o.reason}")
        for login, site in self.absent:
            lines.append(
                f"absent from file: {login} (site {site}) — kept; give a left date to end them"
            )
        return "\n".join(lines)


def _plan_dict(plan: EntityPlan) -> dict:
    data = {"code": plan.code, "action": plan.action, "line": plan.line}
    if plan.action == CREATED:
        data.update({k: v for k, v in plan.values.items() if v})
    else:
        data["changes"] = _changes_dict(plan.changes)
    return data


def _changes_dict(changes: dict[str, tuple[str, str]]) -> dict:
    return {name: {"old": old, "new": new} for name, (old, new) in changes.items()}


def _changes_text(changes: dict[str, tuple[str, str]]) -> str:
    return "; ".join(f"{name}: {old or '—'} → {new or '—'}" for name, (old, new) in changes.items())


def _account_text(account: str) -> str:
    return {"create": " (+ account)", "link": " (links the existing account)"}.get(account, "")


def shown(value: object) -> str:
    """A stored or stated value as the diff prints it and compares it."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        text = format(value.quantize(Decimal("0.01")), "f")
        return text.rstrip("0").rstrip(".")
    if isinstance(value, tuple | list):
        return ", ".join(value)
    return str(value)
