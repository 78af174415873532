"""Undecodable and truncated files end with one whole-file error naming the file, the line
and the byte offset (docs/formats.md, "Encoding"), through the service, the command and
the web upload; nothing is written."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from decroche.contacts.models import Call, ImportBatch
from decroche.contacts.services import contacts_import
from decroche.core.tabular import source
from decroche.core.tabular.errors import ImportFileError
from decroche.jobs.models import Job

pytestmark = pytest.mark.django_db
TEXT = (
    "source_system,source_id,arrived_at,outcome,reason\n"  # line 1: 49 characters + newline
    "odigo,1,2026-03-02T10:00:00,abandoned,\n"  # line 2: 38 characters + newline
    "odigo,2,2026-03-02T10:01:00,abandoned,Hors périmètre Mon espace santé\n"  # line 3: 69 + 1
)
MAPPING_FIELDS = "[fields]\n" + "\n".join(
    f'{name} = "{name}"' for name in TEXT.split("\n", 1)[0].split(",")
)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _file(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def _mapping(tmp_path: Path, encoding: str) -> Path:
    path = tmp_path / "mapping.toml"
    path.write_text(f'kind = "calls"\nencoding = "{encoding}"\n{MAPPING_FIELDS}\n')
    return path


UTF16_LE = codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le")
UTF16_BE = codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be")
UTF8 = TEXT.encode("utf-8")
# "é" of "périmètre" is the two bytes c3 a9; it comes after the 50 + 39 = 89 characters of
# lines 1–2 and "odigo,2,2026-03-02T10:01:00,abandoned,Hors p" (44), all ASCII: byte 133.
E_ACUTE = UTF8.index("é".encode())
assert E_ACUTE == 133


@pytest.mark.parametrize(
    ("name", "content", "mapping", "message"),
    [
        # 2 (BOM) + 2 × 159 characters = 320 bytes, cut to 319: the last byte, offset 318, is
        # half of the final newline, which ends line 3.
        (
            "le.csv",
            UTF16_LE[:-1],
            None,
            "le.csv: line 3: not valid utf-16 text: the file ends in the middle of a character "
            "(byte offset 318, 1 byte(s) left over)",
        ),
        (
            "be.csv",
            UTF16_BE[:-1],
            None,
            "be.csv: line 3: not valid utf-16 text: the file ends in the middle of a character "
            "(byte offset 318, 1 byte(s) left over)",
        ),
        # Cut inside line 2: BOM + 60 characters (50 of line 1, 10 of line 2) + 1 byte = 2 + 120 + 1
        # = 123 bytes: the lone byte is at offset 122.
        (
            "le-early.csv",
            UTF16_LE[:123],
            None,
            "le-early.csv: line 2: not valid utf-16 text: the file ends in the middle of a "
            "character (byte offset 122, 1 byte(s) left over)",
        ),
        # A mapping naming utf-16 does not change it (the BOM still gives the byte order).
        (
            "named.csv",
            UTF16_LE[:-1],
            "utf-16",
            "named.csv: line 3: not valid utf-16 text: the file ends in the middle of a character "
            "(byte offset 318, 1 byte(s) left over)",
        ),
        # utf-16-le without BOM: 2 × 159 = 318 bytes cut to 317, the lone byte at offset 316.
        (
            "nobom.csv",
            TEXT.encode("utf-16-le")[:-1],
            "utf-16-le",
            "nobom.csv: line 3: not valid utf-16-le text: the file ends in the middle of a "
            "character (byte offset 316, 1 byte(s) left over)",
        ),
        # UTF-8 cut after the first byte of "é" (c3), at offset 133.
        (
            "cut.csv",
            UTF8[: E_ACUTE + 1],
            None,
            "cut.csv: line 3: not valid utf-8 text: the file ends in the middle of a character "
            "(byte offset 133, 1 byte(s) left over)",
        ),
        # UTF-8 with BOM: the same cut, 3 bytes further: 136.
        (
            "bom.csv",
            codecs.BOM_UTF8 + UTF8[: E_ACUTE + 1],
            None,
            "bom.csv: line 3: not valid utf-8-sig text: the file ends in the middle of a "
            "character (byte offset 136, 1 byte(s) left over)",
        ),
        # Windows-1252 read as UTF-8: "é" is the single byte e9, at offset 133 too.
        (
            "windows.csv",
            TEXT.encode("cp1252"),
            None,
            "windows.csv: line 3: not valid utf-8 text (byte 0xe9 at byte offset 133)",
        ),
        # Latin-1 read as UTF-8: the same byte.
        (
            "latin.csv",
            TEXT.encode("latin-1"),
            None,
            "latin.csv: line 3: not valid utf-8 text (byte 0xe9 at byte offset 133)",
        ),
        # cp1252 leaves 0x81 undefined: named as cp1252, a file with it is still refused; "Hors"
        # starts at 89 + 38 = 127, its "o" (replaced by 0x81) is byte 128.
        (
            "undefined.csv",
            TEXT.encode("cp1252").replace(b"Hors", b"H\x81rs"),
            "cp1252",
            "undefined.csv: line 3: not valid cp1252 text (byte 0x81 at byte offset 128)",
        ),
        # UTF-16 without BOM and without a mapping: recognised, with the encoding to name.
        (
            "nul.csv",
            TEXT.encode("utf-16-le"),
            None,
            "nul.csv: line 1: UTF-16 text without a byte-order mark (a zero byte every other byte "
            'from byte offset 0): name its encoding in a mapping file (encoding = "utf-16-le")',
        ),
        (
            "nul-be.csv",
            TEXT.encode("utf-16-be"),
            None,
            "nul-be.csv: line 1: UTF-16 text without a byte-order mark (a zero byte every other "
            'byte from byte offset 0): name its encoding in a mapping file (encoding = "utf-16-be")',
        ),
        # A NUL in UTF-8 text: line 2 starts at byte 50, "odigo" is 5 bytes: offset 55.
        (
            "binary.csv",
            UTF8.replace(b"odigo,1", b"odigo\x00"),
            None,
            "binary.csv: line 2: binary content (NUL character at byte offset 55): not a CSV file",
        ),
    ],
)
def test_undecodable_or_truncated_files_stop_with_the_byte_offset(
    tmp_path, name, content, mapping, message
):
    path = _file(tmp_path, name, content)
    mapping_path = _mapping(tmp_path, mapping) if mapping else None

    with pytest.raises(ImportFileError) as caught:
        contacts_import(kind="calls", path=path, mapping_path=mapping_path)

    assert str(caught.value).startswith(message)
    assert Call.objects.count() == 0
    assert ImportBatch.objects.get().status == "failed"
    # The command ends with the same message, not a traceback.
    arguments = ["import", "calls", str(path)] + (
        ["--mapping", str(mapping_path)] if mapping else []
    )
    with pytest.raises(CommandError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        call_command(*arguments)


def test_the_same_files_whole_are_read(tmp_path):
    # The control: untruncated, each of these files imports its 2 rows.
    for name, content, mapping in [
        ("le.csv", UTF16_LE, None),
        ("be.csv", UTF16_BE, None),
        ("nobom.csv", TEXT.encode("utf-16-le"), "utf-16-le"),
        ("windows.csv", TEXT.encode("cp1252"), "cp1252"),
        ("latin.csv", TEXT.encode("latin-1"), "latin-1"),
    ]:
        path = _file(tmp_path, name, content)
        mapping_path = _mapping(tmp_path, mapping) if mapping else None
        summary = contacts_import(kind="calls", path=path, mapping_path=mapping_path)
        assert (summary.rows, summary.rejected) == (2, 0), name
        assert summary.accepted + summary.duplicates == 2
    assert Call.objects.get(source_id="2").reason.code == "out-of-scope"


@pytest.mark.parametrize("chunk", [3, 4, 5, 7, 64])  # >= 3: the first read holds the BOM
def test_offsets_and_lines_are_the_same_whatever_the_read_chunk(tmp_path, monkeypatch, chunk):
    # The decoder keeps the start of a character split between two reads: offsets are
    # counted from the start of the file, not of the read.
    monkeypatch.setattr(source, "CHUNK", chunk)
    cut = _file(tmp_path, "cut.csv", UTF8[: E_ACUTE + 1])
    with pytest.raises(ImportFileError, match=r"line 3: .* \(byte offset 133, 1 byte"):
        source.inspect_file(cut, name="cut.csv")
    windows = _file(tmp_path, "w.csv", TEXT.encode("cp1252"))
    with pytest.raises(ImportFileError, match=r"line 3: .*byte 0xe9 at byte offset 133\)"):
        source.inspect_file(windows, name="w.csv")
    odd = _file(tmp_path, "odd.csv", UTF16_BE[:-1])
    with pytest.raises(ImportFileError, match=r"line 3: .*\(byte offset 318, 1 byte"):
        source.inspect_file(odd, name="odd.csv")
    # A whole UTF-16 file: 3 lines + 1 (the empty line after the last newline).
    whole = _file(tmp_path, "whole.csv", UTF16_LE)
    assert source.inspect_file(whole, name="whole.csv").lines == 4


def test_a_truncated_workbook_is_a_clear_error(tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["source_system", "source_id", "arrived_at", "outcome"])
    whole = tmp_path / "whole.xlsx"
    workbook.save(whole)
    path = _file(tmp_path, "cut.xlsx", whole.read_bytes()[:-100])
    with pytest.raises(ImportFileError, match="cut.xlsx: not a readable XLSX workbook"):
        contacts_import(kind="calls", path=path)


@pytest.mark.parametrize("name", ["base64", "rot13", "zlib"])
def test_a_name_that_is_not_a_text_encoding_is_refused(tmp_path, name):
    """The mapping's key is named with what it accepts (issue 17.8: rot13 was a traceback)."""
    path = _file(tmp_path, "x.csv", UTF8)
    with pytest.raises(ImportFileError, match=f"encoding = '{name}': not a text encoding"):
        contacts_import(kind="calls", path=path, mapping_path=_mapping(tmp_path, name))


def test_the_web_upload_shows_the_same_error(client, users):
    client.force_login(users["team_leader"])
    upload = SimpleUploadedFile("export.csv", UTF16_LE[:-1], content_type="text/csv")

    response = client.post(reverse("import-upload"), {"kind": "calls", "file": upload})

    # The import runs as a job (issue 12 point 8): it fails with the reason, on its page.
    job = Job.objects.get()
    assert response["Location"] == reverse("job-detail", args=[job.pk])
    assert job.status == Job.Status.FAILED
    assert (
        "export.csv: line 3: not valid utf-16 text: the file ends in the middle of a character "
        "(byte offset 318, 1 byte(s) left over)"
    ) in client.get(response["Location"]).content.decode()
    assert Call.objects.count() == 0
