"""The shared mapping rules (core.tabular.mapping): `when_empty` beside the others."""

from __future__ import annotations

from pathlib import Path

import pytest

from decroche.core.tabular.errors import ImportFileError, RowRejected
from decroche.core.tabular.mapping import field_rules, row_values

TECHNION_LIKE = {
    "empty": ["0:00:00"],
    "fields": {
        "queued_at": "q_start",
        "outcome": {
            "column": "outcome",
            "values": {"AGENT": "answered", "HANG": "abandoned"},
            "reject": {"PHANTOM": "to ignore"},
            "when_empty": {"queued_at": {"HANG": "ended_in_ivr"}},
        },
    },
}


def _rules(data: dict):
    return field_rules(
        Path("m.toml"), data, kind="calls", known=("queued_at", "outcome", "arrived_at")
    )


@pytest.mark.parametrize(
    ("q_start", "outcome", "expected"),
    [
        ("0:10:03", "HANG", "abandoned"),  # queued then hung up: an abandon in the queue
        ("0:00:00", "HANG", "ended_in_ivr"),  # never queued (the mapping's empty value)
        ("", "HANG", "ended_in_ivr"),  # never queued (blank)
        ("0:00:00", "AGENT", "answered"),  # put straight through: a code not listed is unchanged
        ("0:10:03", "AGENT", "answered"),
    ],
)
def test_when_empty_translates_listed_codes_when_the_other_field_is_empty(
    q_start, outcome, expected
):
    values = row_values(_rules(TECHNION_LIKE), {"q_start": q_start, "outcome": outcome})
    assert values["outcome"] == expected
    assert values["queued_at"] == ("" if q_start in ("", "0:00:00") else q_start)


def test_reject_comes_before_when_empty():
    with pytest.raises(RowRejected, match="to ignore"):
        row_values(_rules(TECHNION_LIKE), {"q_start": "0:00:00", "outcome": "PHANTOM"})


def test_a_plain_value_applies_whatever_the_source_says():
    data = {
        "fields": {
            "queued_at": "q_start",
            "outcome": {"column": "status", "when_empty": {"queued_at": "ended_in_ivr"}},
        }
    }
    rules = _rules(data)
    assert row_values(rules, {"q_start": "", "status": "lost"})["outcome"] == "ended_in_ivr"
    assert row_values(rules, {"q_start": "10:00", "status": "lost"})["outcome"] == "lost"


@pytest.mark.parametrize(
    ("when_empty", "message"),
    [
        (
            {"queue_start": "ended_in_ivr"},
            "when_empty names 'queue_start', which is not another mapped field",
        ),
        (
            {"outcome": "ended_in_ivr"},
            "when_empty names 'outcome', which is not another mapped field",
        ),
        ({"queued_at": 3}, "when_empty.queued_at must be a value or a table of source codes"),
    ],
)
def test_a_when_empty_on_an_unmapped_field_stops_the_mapping(when_empty, message):
    data = {
        "fields": {"queued_at": "q_start", "outcome": {"column": "o", "when_empty": when_empty}}
    }
    with pytest.raises(ImportFileError, match="m.toml: field 'outcome': " + message):
        _rules(data)
