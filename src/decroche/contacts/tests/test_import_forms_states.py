"""Imports of contact forms and advisor states in the documented format."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from decroche.contacts.models import AdvisorState, ContactForm
from decroche.contacts.services import contacts_import

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "file.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_forms_import_days_and_handling(tmp_path, advisor):
    path = _write(
        tmp_path,
        [
            "source_system,source_id,received_at,answered_at,handling_seconds,topic,advisor,reason",
            "psn1,F1,2026-03-27T23:30:00,2026-03-30T09:00:00,240,Mes documents,A1001,incident-documents",
            "psn1,F2,2026-03-28T10:00:00,,-5,,,",
            "psn1,F3,2026-03-28T10:00:00,2026-03-28T09:00:00,10,,,",
        ],
    )
    summary = contacts_import(kind="forms", path=path)
    assert (summary.rows, summary.accepted, summary.rejected) == (3, 1, 2)
    form = ContactForm.objects.get()
    assert (form.received_day, form.answered_day, form.handling_seconds) == (
        dt.date(2026, 3, 27),
        dt.date(2026, 3, 30),
        240,
    )
    assert form.advisor == advisor and form.reason.code == "incident-documents"


def test_agent_states_import_durations_and_natural_key(tmp_path, advisor):
    path = _write(
        tmp_path,
        [
            "advisor,state,started_at,ended_at",
            "A1001,available,2026-03-02T08:30:00,2026-03-02T08:42:30",
            "A1001,available,2026-03-02T08:30:00,2026-03-02T08:42:30",
            "A1001,nap,2026-03-02T08:42:30,2026-03-02T08:50:00",
            "A1001,pause,2026-03-02T09:00:00,2026-03-02T08:50:00",
            "B2002,pause,2026-03-02T09:00:00,2026-03-02T09:10:00",
        ],
    )
    summary = contacts_import(kind="agent-states", path=path)
    # Line 3 repeats line 2's natural key (advisor, start, state): a duplicate, not a second span.
    assert (summary.rows, summary.accepted, summary.rejected, summary.duplicates) == (5, 1, 3, 1)
    state = AdvisorState.objects.get()
    assert (state.duration_seconds, state.day, state.source_system) == (
        750,
        dt.date(2026, 3, 2),
        "file",
    )  # 12 min 30 s


def test_mapping_may_opt_in_to_creating_unknown_advisors(tmp_path, site):
    path = _write(
        tmp_path, ["agent,what,from,to", "X9,pause,2026-03-02T09:00:00,2026-03-02T09:10:00"]
    )
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        'kind = "agent-states"\n[create_advisors]\nsite = "grenoble"\n'
        '[fields]\nadvisor = "agent"\nstate = "what"\nstarted_at = "from"\nended_at = "to"\n'
    )
    summary = contacts_import(kind="agent-states", path=path, mapping_path=mapping)
    assert summary.accepted == 1
    created = AdvisorState.objects.get().advisor
    assert (created.login, created.site, created.joined_on) == ("X9", site, dt.date(2026, 3, 2))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("kind = 'forms'\n", "this mapping is for 'forms' imports"),
        ("[fields]\nadvisr = 'a'\n", "unknown field(s) advisr"),
        ("[fields]\nadvisor = 'a'\n", "required field(s) not mapped: state, started_at, ended_at"),
        ("timezone = 'Mars/Olympus'\n", "unknown timezone"),
        ("[fields\n", "not a valid TOML mapping file"),
    ],
)
def test_bad_mapping_files_are_clear_errors(tmp_path, text, message):
    mapping = tmp_path / "bad.toml"
    mapping.write_text(text)
    path = _write(tmp_path, ["advisor,state,started_at,ended_at"])
    with pytest.raises(Exception, match="bad.toml: ") as caught:
        contacts_import(kind="agent-states", path=path, mapping_path=mapping)
    assert message in str(caught.value)


def test_a_state_crossing_midnight_counts_on_each_day_for_its_part(tmp_path, advisor):
    """Issue 17 point 19: cut at each Paris midnight, the pieces add up to the whole."""
    path = _write(
        tmp_path,
        [
            "advisor,state,started_at,ended_at",
            # 22:00 on Saturday 28 March 2026 → 03:30 on Sunday 29 March (Paris time); the
            # clocks go forward on Sunday at 02:00, so 02:00–03:00 does not exist.
            "A1001,pause,2026-03-28T22:00:00,2026-03-29T03:30:00",
            "A1001,pause,2026-03-28T22:00:00,2026-03-29T03:30:00",
            # 45 days: beyond the plausible duration of a state (under a day, point 9).
            "A1001,training,2026-03-02T09:00:00,2026-04-15T09:00:00",
        ],
    )
    summary = contacts_import(kind="agent-states", path=path)
    # One line stored (as two pieces), its repeat a duplicate, the 45-day state rejected.
    assert (summary.rows, summary.accepted, summary.rejected, summary.duplicates) == (3, 1, 1, 1)
    pieces = list(
        AdvisorState.objects.order_by("started_at").values_list("day", "duration_seconds")
    )
    assert pieces == [
        (dt.date(2026, 3, 28), 2 * 3600),  # 22:00 → midnight
        (dt.date(2026, 3, 29), 2 * 3600 + 1800),  # midnight → 03:30, one hour skipped
    ]
    # 2 h + 2 h 30 = 4 h 30: the span from 21:00 UTC to 01:30 UTC.
    assert sum(seconds for _day, seconds in pieces) == 4 * 3600 + 1800
