"""Reading a roster file into checked rows (docs/formats.md, "Roster"; SPEC §3 resources,
§6 schedules, §9 nominative accounts and leavers).

One row per advisor. What a row says on its own is checked here (formats, dates in
order, hours in a plausible range, names and mailboxes nominative) and so is what the
file says twice (a login or an e-mail on two rows); what needs the stored roster (an
unknown skill, an e-mail used by someone else, a team on another site) is checked by
`roster.diff`. No database access.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from decroche.accounts.validators import (
    validate_nominative_name,
    validate_nominative_username,
    validate_personal_email,
)
from decroche.core.tabular.errors import ImportFileError, RowRejected
from decroche.core.tabular.mapping import (
    FieldRule,
    field_rules,
    file_options,
    mapping_file_read,
    row_values,
)
from decroche.core.tabular.rejects import line_masker
from decroche.core.tabular.source import inspect_file, read_csv, read_xlsx, sniff_delimiter

from ..models import WEEKLY_HOURS_MAX, WEEKLY_HOURS_MIN

KIND = "roster"
FIELDS = (
    "site_code",
    "site_name",
    "team_code",
    "team_name",
    "team_leader",
    "login",
    "last_name",
    "first_name",
    "email",
    "joined_on",
    "left_on",
    "absent_from",
    "absent_to",
    "skills",
    "weekly_hours",
)
REQUIRED = ("site_code", "login", "last_name", "first_name", "email", "joined_on")
DATE_FIELDS = ("joined_on", "left_on", "absent_from", "absent_to")
CHANNEL_SKILLS = {"phone": "phone", "form": "form", "forms": "form"}
SKILL_SEPARATORS = re.compile(r"[,;|]")
CODE = re.compile(r"^[-a-zA-Z0-9_]{1,32}$")
LOGIN = re.compile(r"^[\w.@+-]{1,64}$")
MAX_NAME = 80
MAX_LABEL = 120


@dataclass(frozen=True)
class RosterMapping:
    name: str
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    date_format: str | None = None
    skills: dict[str, str] = field(
        default_factory=dict
    )  # source skill → phone, form or a reason code
    fields: dict[str, FieldRule] = field(default_factory=dict)

    def source_columns(self) -> set[str]:
        return {column for rule in self.fields.values() for column in rule.columns}


@dataclass(frozen=True)
class RosterRow:
    """One checked row. `given` names the fields the file states: a field it does not
    state keeps its stored value; a stated empty value clears it (dates, team, skills)."""

    line: int
    raw: str
    given: frozenset[str]
    site_code: str
    login: str
    last_name: str
    first_name: str
    email: str
    joined_on: dt.date
    site_name: str = ""
    team_code: str = ""
    team_name: str = ""
    team_leader: str = ""
    left_on: dt.date | None = None
    absent_from: dt.date | None = None
    absent_to: dt.date | None = None
    skills: tuple[str, ...] = ()  # lower-case: "phone", "form" or contact reason codes
    weekly_hours: Decimal | None = None


@dataclass(frozen=True)
class Rejection:
    line: int
    field: str
    reason: str
    raw: str


# Fields whose cells are masked in the rejects file (issue 17.12): names, e-mail and the
# team leader's account.
PERSONAL_FIELDS = frozenset({"last_name", "first_name", "email", "team_leader"})


@dataclass
class RosterFile:
    name: str
    sha256: str
    rows: list[RosterRow]
    rejected: list[Rejection]
    # Masks the personal cells of a raw line, for the rejects file (`line_masker`).
    mask_line: Callable[[str], str] = field(default=lambda raw: raw)

    @property
    def row_count(self) -> int:
        return len(self.rows) + len(self.rejected)


def mapping_load(path: Path) -> RosterMapping:
    """Read and check a roster mapping file; errors name the file and the key at fault."""
    data = mapping_file_read(path)
    if data.get("kind", KIND) != KIND:
        raise ImportFileError(
            f"{path.name}: this mapping is for {data['kind']!r} imports, not 'roster'"
        )
    skills = data.get("skills", {})
    if not isinstance(skills, dict):
        raise ImportFileError(f"{path.name}: skills must be a table (source skill = code)")
    date_format = data.get("date_format")
    if date_format is not None and not isinstance(date_format, str):
        raise ImportFileError(f'{path.name}: date_format must be a string such as "%d/%m/%Y"')
    return RosterMapping(
        name=path.name,
        **vars(file_options(path, data)),
        date_format=date_format,
        skills={str(k).strip().lower(): str(v).strip().lower() for k, v in skills.items()},
        fields=field_rules(path, data, kind=KIND, known=FIELDS, required=REQUIRED),
    )


def roster_file_read(
    path: Path, *, mapping_path: Path | None = None, file_name: str | None = None
) -> RosterFile:
    """Every row of the file, checked, or rejected with its line, field and reason.

    Raises `ImportFileError` when the file cannot be read at all (empty, bad encoding,
    missing columns, a bad mapping): nothing is then compared nor written.
    """
    path = Path(path)
    name = file_name or path.name
    mapping = mapping_load(Path(mapping_path)) if mapping_path else None
    info = inspect_file(path, name=name, encoding=mapping.encoding if mapping else None)
    if info.is_xlsx:
        header, rows, _count = read_xlsx(path, info, sheet=mapping.sheet if mapping else None)
    else:
        header, rows = read_csv(path, info, delimiter=mapping.delimiter if mapping else None)
    source_header = header
    header = _checked_header(name, header, mapping)
    if mapping is None:
        personal = {column for column in source_header if column.lower() in PERSONAL_FIELDS}
    else:
        personal = {
            column
            for field_name, rule in mapping.fields.items()
            if field_name in PERSONAL_FIELDS
            for column in rule.columns
        }
    separator = (
        ";" if info.is_xlsx else (mapping and mapping.delimiter) or sniff_delimiter(path, info)
    )
    result = RosterFile(
        name=name,
        sha256=info.sha256,
        rows=[],
        rejected=[],
        mask_line=line_masker(source_header, personal, separator),
    )
    first_line_of: dict[tuple[str, str], int] = {}
    for row in rows:
        try:
            if len(row.cells) != len(header):
                raise RowRejected("", f"{len(row.cells)} values for {len(header)} columns")
            source = dict(zip(header, row.cells, strict=True))
            values = _mapped(source, mapping) if mapping else source
            checked = _row(row.line, row.raw, values, mapping)
            for key, value in (("login", checked.login), ("email", checked.email.lower())):
                first = first_line_of.get((key, value))
                if first is not None:
                    raise RowRejected(key, f"{key} already on line {first} of the file")
            first_line_of[("login", checked.login)] = row.line
            first_line_of[("email", checked.email.lower())] = row.line
            result.rows.append(checked)
        except RowRejected as error:
            result.rejected.append(Rejection(row.line, error.field, error.reason, row.raw))
    return result


def _checked_header(name: str, header: list[str], mapping: RosterMapping | None) -> list[str]:
    if len(set(header)) != len(header):
        twice = sorted({column for column in header if header.count(column) > 1})
        raise ImportFileError(f"{name}: line 1: column(s) named twice: {', '.join(twice)}")
    if mapping is not None:
        missing = sorted(mapping.source_columns() - set(header))
        if missing:
            raise ImportFileError(
                f"{name}: line 1: missing column(s) {', '.join(missing)} used by the mapping {mapping.name}"
            )
        return header
    names = [column.lower() for column in header]
    missing = [column for column in REQUIRED if column not in names]
    if missing:
        raise ImportFileError(f"{name}: line 1: missing required column(s): {', '.join(missing)}")
    unknown = [column for column in header if column.lower() not in FIELDS]
    if unknown:
        raise ImportFileError(
            f"{name}: line 1: unknown column(s): {', '.join(unknown)} (see docs/formats.md, "
            '"Roster"; use a mapping file to read another system\'s columns)'
        )
    return names


def _mapped(source: dict[str, str], mapping: RosterMapping) -> dict[str, str]:
    return row_values(mapping.fields, source)


def _row(line: int, raw: str, values: dict[str, str], mapping: RosterMapping | None) -> RosterRow:
    given = frozenset(values)
    for name in REQUIRED:
        if not values.get(name, "").strip():
            raise RowRejected(name, "required value missing")
    date_format = mapping.date_format if mapping else None
    dates = {name: _date(name, values.get(name, ""), date_format) for name in DATE_FIELDS}
    row = RosterRow(
        line=line,
        raw=raw,
        given=given,
        site_code=_code("site_code", values["site_code"]),
        site_name=_label("site_name", values.get("site_name", "")),
        team_code=_code("team_code", values.get("team_code", "")),
        team_name=_label("team_name", values.get("team_name", "")),
        team_leader=_login("team_leader", values.get("team_leader", "")),
        login=_login("login", values["login"]),
        last_name=_person_name("last_name", values["last_name"]),
        first_name=_person_name("first_name", values["first_name"]),
        email=_email(values["email"]),
        joined_on=dates["joined_on"],  # type: ignore[arg-type]
        left_on=dates["left_on"],
        absent_from=dates["absent_from"],
        absent_to=dates["absent_to"],
        skills=_skills(values.get("skills", ""), mapping.skills if mapping else {}),
        weekly_hours=_hours(values.get("weekly_hours", "")),
    )
    if not row.team_code and (row.team_name or row.team_leader):
        raise RowRejected("team_code", "a team name or leader is given without a team code")
    if row.left_on and row.left_on < row.joined_on:
        raise RowRejected("left_on", f"leaves on {row.left_on} before joining on {row.joined_on}")
    if row.absent_to and not row.absent_from:
        raise RowRejected("absent_from", "an absence end is given without its start")
    if row.absent_from and row.absent_to and row.absent_to < row.absent_from:
        raise RowRejected(
            "absent_to", f"absence ends on {row.absent_to} before it starts on {row.absent_from}"
        )
    # The leavers' automation reads these dates (SPEC §9): an absence outside the time in
    # post would suspend or restore rights on a wrong day.
    if row.absent_from and row.absent_from < row.joined_on:
        raise RowRejected(
            "absent_from", f"absence starts on {row.absent_from} before joining on {row.joined_on}"
        )
    if row.absent_from and row.left_on and row.absent_from > row.left_on:
        raise RowRejected(
            "absent_from", f"absence starts on {row.absent_from} after leaving on {row.left_on}"
        )
    return row


def _code(name: str, value: str) -> str:
    value = value.strip()
    if value and not CODE.match(value):
        raise RowRejected(name, f"not a code (letters, digits, - and _, at most 32): {value!r}")
    return value


def _label(name: str, value: str) -> str:
    value = value.strip()
    if len(value) > MAX_LABEL:
        raise RowRejected(name, f"longer than {MAX_LABEL} characters")
    return value


def _login(name: str, value: str) -> str:
    value = value.strip()
    if not value:
        return value
    if not LOGIN.match(value):
        raise RowRejected(
            name, f"not a login (letters, digits and . @ + - _, at most 64): {value!r}"
        )
    try:
        validate_nominative_username(value)
    except ValidationError:
        raise RowRejected(
            name, f"{value!r} is a generic account name: accounts are nominative"
        ) from None
    return value


def _person_name(name: str, value: str) -> str:
    value = value.strip()
    if len(value) > MAX_NAME:
        raise RowRejected(name, f"longer than {MAX_NAME} characters")
    try:
        validate_nominative_name(value)
    except ValidationError:
        raise RowRejected(name, f"{value!r} names a function, not a person") from None
    return value


def _email(value: str) -> str:
    value = value.strip()
    try:
        validate_email(value)
    except ValidationError:
        raise RowRejected("email", f"not a valid e-mail address: {value!r}") from None
    try:
        validate_personal_email(value)
    except ValidationError:
        raise RowRejected(
            "email", f"{value!r} is a shared mailbox: give the person's own address"
        ) from None
    return value


def _date(name: str, value: str, date_format: str | None) -> dt.date | None:
    """ISO (2026-03-02), French (02/03/2026), an XLSX date cell (2026-03-02T00:00:00),
    or the mapping's `date_format`."""
    value = value.strip()
    if not value:
        return None
    formats = (date_format,) if date_format else ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%dT%H:%M:%S")
    for pattern in formats:
        try:
            parsed = dt.datetime.strptime(value, pattern)
        except ValueError:
            continue
        if parsed.time() != dt.time(0):
            break
        return parsed.date()
    expected = date_format or "YYYY-MM-DD or DD/MM/YYYY"
    raise RowRejected(name, f"not a date ({expected}): {value!r}")


def _skills(value: str, translations: dict[str, str]) -> tuple[str, ...]:
    skills = set()
    for token in SKILL_SEPARATORS.split(value):
        token = token.strip().lower()
        if token:
            token = translations.get(token, token)
            skills.add(CHANNEL_SKILLS.get(token, token))
    return tuple(sorted(skills))


def _hours(value: str) -> Decimal | None:
    value = value.strip().replace(",", ".")
    if not value:
        return None
    try:
        hours = Decimal(value)
    except InvalidOperation:
        raise RowRejected("weekly_hours", f"not a number of hours: {value!r}") from None
    if not hours.is_finite() or not WEEKLY_HOURS_MIN <= hours <= WEEKLY_HOURS_MAX:
        raise RowRejected(
            "weekly_hours", f"{value} hours a week is outside {WEEKLY_HOURS_MIN}–{WEEKLY_HOURS_MAX}"
        )
    if hours != hours.quantize(Decimal("0.01")):
        raise RowRejected("weekly_hours", f"more than two decimals: {value}")
    return hours.quantize(Decimal("0.01"))
