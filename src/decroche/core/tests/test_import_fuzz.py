"""Hostile and broken files through every registered import kind (issue 17.8).

A seeded generator (Hypothesis is not a dependency) mutates a valid file of each kind:
hostile cell values (year 0001, 1e21, NaN, huge texts...), flipped bytes, truncation,
stray delimiters and quotes, missing cells, and the same rows as typed XLSX cells. Each
import either stops with an `ImportFileError` (a whole-file error naming the file) or
accounts for every row (rows = accepted + rejected + duplicates); no other exception
escapes. The kinds come from the registry, so a kind registered later is fuzzed too.
"""

from __future__ import annotations

import datetime as dt
import random

import openpyxl
import pytest
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from decroche.core.imports import ImportSummary, import_kinds
from decroche.core.tabular.errors import ImportFileError

pytestmark = pytest.mark.django_db

SEEDS = {
    "calls": (
        ",",
        "source_system,source_id,arrived_at,queued_at,answered_at,ended_at,outcome,caller,"
        "wrap_up_seconds,on_closure_calendar",
        [
            "odigo,1,2026-03-02T09:00:00,2026-03-02T09:00:05,2026-03-02T09:01:00,"
            "2026-03-02T09:05:00,answered,06 12 34 56 78,30,",
            "odigo,2,2026-03-02T09:10:00,2026-03-02T09:10:02,,2026-03-02T09:11:00,abandoned,"
            "+33612345678,,0",
        ],
    ),
    "forms": (
        ";",
        "source_system;source_id;received_at;answered_at;handling_seconds;topic",
        [
            "portail;F1;2026-03-02T09:00:00;2026-03-02T10:00:00;300;carte vitale",
            "portail;F2;2026-03-02T09:30:00;;;attestation",
        ],
    ),
    "agent-states": (
        ",",
        "advisor,state,started_at,ended_at",
        [
            "A1001,available,2026-03-02T09:00:00,2026-03-02T09:30:00",
            "A1001,pause,2026-03-02T09:30:00,2026-03-02T09:45:00",
        ],
    ),
    "queue-log": (
        "|",
        "1772438400|NONE|support|SIP/A1001|ADDMEMBER|",
        [
            "1772438460|1772438460.1|support|NONE|ENTERQUEUE||0612345678|1",
            "1772438490|1772438460.1|support|SIP/A1001|CONNECT|30|1772438490.2|5",
            "1772438730|1772438460.1|support|SIP/A1001|COMPLETECALLER|30|240|1",
            "1772438800|1772438800.3|support|NONE|ENTERQUEUE||0699999999|1",
            "1772438845|1772438800.3|support|NONE|ABANDON|1|1|45",
            "1772439000|NONE|support|SIP/A1001|REMOVEMEMBER|",
        ],
    ),
    "orders": (
        ",",
        "period_start,unit,kind,day,hour,quantity",
        ["2026-03-02,UO1,firm,2026-03-02,,500", "2026-03-02,UO1,firm,2026-03-03,9,12.5"],
    ),
    "roster": (
        ";",
        "site_code;site_name;team_code;login;last_name;first_name;email;joined_on;weekly_hours",
        [
            "grenoble;Grenoble;gre-a;A2001;Martin;Inès;ines.martin@example.org;2025-01-06;35",
            "grenoble;Grenoble;gre-a;A2002;Bernard;Lucas;lucas.bernard@example.org;06/01/2025;28",
        ],
    ),
}
HOSTILE = [
    "0001-01-01T00:00:00",
    "0001-01-01",
    "9999-12-31T23:59:59",
    "9999-12-31",
    "2026-02-30T09:00:00",
    "2026-03-02T09:00:00+25:00",
    "2026-03-02T09:00:00-23:59",
    "1e21",
    "1e308",
    "-1e308",
    "99999999999999999999999",
    "-1",
    "inf",
    "nan",
    "-0",
    "0x10",
    "1_000",
    "",
    "   ",
    "x" * 5000,
    "\u202e\u0000",
    "'; DROP TABLE contacts_call; --",
    '"',
    "\r",
    "٣٣",
    "１２３",
    "+33 6 12 34 56 78",
    "1 85 05 78 006 084 91",
    "a@b.fr",
    "-9223372036854775809",
    "18446744073709551616",
    "1e-400",
    "253402300800",
    "-62135596801",
]


def _mutate(rng: random.Random, delimiter: str, header: str, rows: list[str]) -> bytes:
    lines = [header, *rows]
    for _ in range(rng.randint(1, 4)):
        choice = rng.random()
        index = rng.randrange(len(lines))
        cells = lines[index].split(delimiter)
        if choice < 0.55:
            cells[rng.randrange(len(cells))] = rng.choice(HOSTILE)
            lines[index] = delimiter.join(cells)
        elif choice < 0.65 and len(cells) > 1:
            del cells[rng.randrange(len(cells))]
            lines[index] = delimiter.join(cells)
        elif choice < 0.75:
            lines.append(lines[index])
        elif choice < 0.85:
            position = rng.randrange(len(lines[index]) + 1)
            stray = rng.choice([delimiter, '"', "\n", "\x00", "|", ";"])
            lines[index] = lines[index][:position] + stray + lines[index][position:]
        else:
            lines.insert(index + 1, rng.choice(HOSTILE))
    data = bytearray("\n".join(lines).encode("utf-8") + b"\n")
    if rng.random() < 0.2:
        for _ in range(rng.randint(1, 5)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    if rng.random() < 0.1:
        data = data[: rng.randrange(1, len(data) + 1)]
    return bytes(data)


def _typed(text: str):
    """The cell an XLSX writer would store: numbers, dates and text."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        return ILLEGAL_CHARACTERS_RE.sub("", text)


def _xlsx(path, data: bytes, delimiter: str) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for line in data.decode("utf-8", "replace").splitlines():
        cells = [
            _typed(cell) if index else ILLEGAL_CHARACTERS_RE.sub("", cell)
            for index, cell in enumerate(line.split(delimiter))
        ]
        sheet.append(cells)
    workbook.save(path)


def _run(kind: str, path, tmp_path) -> ImportSummary | None:
    run = import_kinds()[kind].run
    try:
        return run(
            path=path,
            mapping_path=None,
            user=None,
            show_progress=False,
            batch_size=3,
            rejects_path=tmp_path / f"rejects-{path.name}.csv",
        )
    except ImportFileError as error:
        assert str(error), "a whole-file error says what is wrong"
        return None


@pytest.fixture
def reference_data(site, advisor):
    """A site and an advisor (login A1001) the records can point at."""


@pytest.mark.parametrize("kind", sorted(SEEDS))
def test_every_kind_survives_mutated_files(kind, tmp_path, settings, reference_data):
    assert kind in import_kinds(), "the fuzzed kinds are the registered ones"
    settings.MEDIA_ROOT = tmp_path / "media"
    rng = random.Random(f"issue-17-{kind}")
    delimiter, header, rows = SEEDS[kind]
    for attempt in range(30):
        data = _mutate(rng, delimiter, header, rows)
        path = tmp_path / f"{kind}-{attempt}.csv"
        if kind != "queue-log" and attempt % 3 == 2:
            path = tmp_path / f"{kind}-{attempt}.xlsx"
            _xlsx(path, data, delimiter)
        else:
            path.write_bytes(data)
        try:
            summary = _run(kind, path, tmp_path)
        except Exception as error:  # noqa: BLE001 — the failure names the file it came from
            pytest.fail(f"{kind} attempt {attempt}: {type(error).__name__}: {error}\n{data!r}")
        if summary is not None:
            accounted = summary.accepted + summary.rejected + summary.duplicates
            assert summary.rows == accounted, (attempt, summary, data)


@pytest.mark.parametrize("kind", sorted(SEEDS))
def test_every_kind_survives_random_bytes(kind, tmp_path, settings, reference_data):
    settings.MEDIA_ROOT = tmp_path / "media"
    rng = random.Random(f"bytes-{kind}")
    for attempt in range(8):
        data = bytes(rng.randrange(256) for _ in range(rng.randint(1, 400)))
        if attempt % 4 == 0:
            data = b"PK\x03\x04" + data  # looks like a workbook, is not one
        path = tmp_path / f"{kind}-random-{attempt}.csv"
        path.write_bytes(data)
        try:
            summary = _run(kind, path, tmp_path)
        except Exception as error:  # noqa: BLE001
            pytest.fail(f"{kind} attempt {attempt}: {type(error).__name__}: {error}\n{data!r}")
        if summary is not None:
            assert summary.rows == summary.accepted + summary.rejected + summary.duplicates


TOML_VALUES = [
    "1e308",
    "-1",
    "0",
    "3.5",
    "inf",
    "nan",
    "true",
    "'rot13'",
    "'base64'",
    "'utf-8'",
    "''",
    "';;'",
    "'x'",
    "[]",
    "[1, 2]",
    "['a', 'b']",
    "{}",
    "{ column = 'a' }",
    "{ join = 5 }",
    "{ first_of = [] }",
    "{ values = 3 }",
    "{ when_empty = 'x' }",
    "0001-01-01",
    "9999-12-31T23:59:59",
]
TOML_KEYS = [
    "encoding",
    "delimiter",
    "sheet",
    "timezone",
    "date",
    "time_order_tolerance_seconds",
    "source_system",
    "default_site",
    "queues",
    "agents",
    "outcomes",
    "create_advisors",
    "empty",
    "skills",
    "date_format",
    "fields",
    "kind",
]


@pytest.mark.parametrize("kind", sorted(SEEDS))
def test_every_kind_refuses_hostile_mapping_files_with_a_clear_error(kind, tmp_path, settings):
    """Mapping keys of the wrong type or out of range name the file (issue 17.8)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    rng = random.Random(f"mapping-{kind}")
    delimiter, header, rows = SEEDS[kind]
    path = tmp_path / f"{kind}.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    for attempt in range(25):
        keys = rng.sample(TOML_KEYS, rng.randint(1, 4))
        text = "\n".join(f"{key} = {rng.choice(TOML_VALUES)}" for key in keys)
        if rng.random() < 0.5:
            column = rng.choice(header.split(delimiter))
            text += f"\n[fields]\n{column} = {rng.choice(TOML_VALUES)}"
        mapping = tmp_path / f"mapping-{attempt}.toml"
        mapping.write_text(text + "\n", encoding="utf-8")
        try:
            summary = import_kinds()[kind].run(
                path=path,
                mapping_path=mapping,
                user=None,
                show_progress=False,
                batch_size=10,
                rejects_path=tmp_path / "rejects.csv",
            )
        except ImportFileError as error:
            assert f"mapping-{attempt}.toml" in str(error) or path.name in str(error)
            continue
        except Exception as error:  # noqa: BLE001
            pytest.fail(f"{kind} mapping {attempt}: {type(error).__name__}: {error}\n{text}")
        assert summary.rows == summary.accepted + summary.rejected + summary.duplicates
