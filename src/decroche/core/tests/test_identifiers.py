"""Caller numbers in one form and identifiers masked in free text (issue 17.13, 17.14),
and the rejects writer's keys and masks (issue 17.10, 17.12). Pure functions."""

from __future__ import annotations

import csv
import os
import stat

import pytest

from decroche.core.tabular.identifiers import caller_number, mask_identifiers
from decroche.core.tabular.rejects import RejectsWriter, line_masker, reason_key

# NIR 1 85 05 78 006 084 + key: 1850578006084 mod 97 = 6, key = 97 − 6 = 91.
NIR = "185057800608491"


@pytest.mark.parametrize(
    "written",
    [
        "+33 6 12 34 56 78",
        "+33 (0)6 12 34 56 78",
        "0033 6 12 34 56 78",
        "0033612345678",
        "06 12 34 56 78",
        "06.12.34.56.78",
        "06-12-34-56-78",
        "0612345678",
        "612345678",  # an XLSX numeric cell: the leading zero is lost
    ],
)
def test_every_form_of_a_french_number_is_one_caller(written):
    assert caller_number(written) == "0612345678"


def test_foreign_numbers_keep_their_country_and_other_text_its_digits():
    assert caller_number("+44 20 7946 0958") == caller_number("0044 20 7946 0958")
    assert caller_number("+44 20 7946 0958") == "442079460958"
    assert caller_number("anonymous") == ""
    assert caller_number("1001") == "1001"  # an internal extension: not a phone number


def test_nirs_with_a_valid_key_are_masked_in_any_grouping():
    assert mask_identifiers(f"NIR {NIR}.") == ("NIR [NIR].", 1)
    assert mask_identifiers("n° 1 85 05 78 006 084 91") == ("n° [NIR]", 1)
    # Key 90 instead of 91: not a NIR (a file number, say), left as it is.
    assert mask_identifiers("n° 185057800608490") == ("n° 185057800608490", 0)
    # Corsica: department 2A, key computed with 2A read as 19:
    # 1850519006084 mod 97 = 62, key = 97 − 62 = 35
    assert mask_identifiers("185052A00608435") == ("[NIR]", 1)


def test_phone_numbers_and_e_mail_addresses_are_masked_and_counted():
    text, masks = mask_identifiers("rappel 06 12 34 56 78 ou +33 6 98 76 54 32, a.b@cpam.fr")
    assert (text, masks) == ("rappel [TEL] ou [TEL], [EMAIL]", 3)
    assert mask_identifiers("carte vitale perdue en 2024") == ("carte vitale perdue en 2024", 0)


def test_reasons_are_counted_without_their_values():
    assert reason_key("not a number of seconds: 'abc'") == "not a number of seconds"
    assert reason_key("unknown site 'x' (no site with this code)") == "unknown site"
    assert reason_key("3 values for 5 columns (truncated line?)") == "N values for N columns"
    assert reason_key("not an ISO 8601 date and time: 'x'") == "not an ISO 8601 date and time"


def test_the_rejects_file_is_private_masked_and_capped(tmp_path):
    writer = RejectsWriter(tmp_path / "rejects" / "r.csv", kept_in_full=2)
    writer.mask_line = line_masker(["id", "caller", "topic"], {"caller"}, ";")
    writer.add(2, "id", "missing value", ";0612345678;écrire à a@b.fr")
    writer.add(3, "id", "missing value", "x;+33612345678;appel du 06 11 22 33 44")
    writer.add(4, "id", "missing value", "y;0612345678;ok")
    writer.flush()
    writer.close()
    assert stat.S_IMODE(os.stat(writer.path).st_mode) == 0o600
    with writer.path.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows == [
        ["line", "field", "reason", "raw"],
        ["2", "id", "missing value", ";***;écrire à [EMAIL]"],
        ["3", "id", "missing value", "x;***;appel du [TEL]"],
        ["", "id", "missing value", "1 more rejected line(s) for this reason, not kept"],
    ]
    # 3 rejected: 2 kept in full + 1 counted
    assert writer.count == 3
    assert writer.summary()["by_reason"] == [{"field": "id", "reason": "missing value", "count": 3}]


def test_a_very_long_rejected_line_is_cut(tmp_path):
    writer = RejectsWriter(tmp_path / "r.csv")
    writer.add(2, "", "too long", "x" * 100_000)
    writer.flush()
    writer.close()
    with writer.path.open(encoding="utf-8") as handle:
        [_header, row] = list(csv.reader(handle))
    assert row[3] == "x" * 4096 + "… (100000 characters, cut)"
