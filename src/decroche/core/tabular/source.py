"""Reading import files: CSV (encoding and delimiter detected) and XLSX.

Whole-file problems raise `ImportFileError` naming the file and, where it applies, the
line: they are found before any row is written, so a bad file writes nothing.
Pure module (no Django import).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import ImportFileError

CHUNK = 1 << 20
XLSX_MAGIC = b"PK\x03\x04"
BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class FileInfo:
    name: str
    sha256: str
    is_xlsx: bool
    encoding: str
    lines: int  # physical lines (CSV) or sheet rows (XLSX), for the progress bar


class Row:
    """One row of the file: its first line number, its cells and (built on demand, for
    the rejects file) its text."""

    __slots__ = ("line", "cells", "_raw", "_separator")

    def __init__(
        self, line: int, cells: list[str], raw: str | None = None, separator: str = ","
    ) -> None:
        self.line, self.cells, self._raw, self._separator = line, cells, raw, separator

    @property
    def raw(self) -> str:
        return self._raw if self._raw is not None else self._separator.join(self.cells)


def inspect_file(path: Path, *, name: str, encoding: str | None = None) -> FileInfo:
    """Fingerprint the file and check it can be read as text in its encoding.

    The encoding is the one given, else detected: a byte-order mark (UTF-8, UTF-16),
    else UTF-8. A byte sequence that is not valid in that encoding, or a file ending in
    the middle of a character (a truncated export), stops the import with the line and
    the byte offset where it occurs (docs/formats.md, "Encoding").
    """
    try:
        handle = path.open("rb")
    except OSError as error:
        raise ImportFileError(f"{name}: cannot open the file ({error.strerror})") from None
    digest = hashlib.sha256()
    with handle:
        head = handle.read(CHUNK)
        if not head.strip():
            raise ImportFileError(f"{name}: the file is empty")
        if head.startswith(XLSX_MAGIC):
            digest.update(head)
            for chunk in iter(lambda: handle.read(CHUNK), b""):
                digest.update(chunk)
            return FileInfo(name, digest.hexdigest(), True, "", 0)
        detected = encoding or next((enc for bom, enc in BOMS if head.startswith(bom)), "")
        if not detected:
            order = _utf16_byte_order(head)
            if order:
                raise ImportFileError(
                    f"{name}: line 1: UTF-16 text without a byte-order mark (a zero byte every "
                    f"other byte from byte offset 0): name its encoding in a mapping file "
                    f'(encoding = "utf-16-{order}")'
                )
            detected = "utf-8"
        try:
            decoder = codecs.getincrementaldecoder(detected)(errors="strict")
            # NUL is the byte 0x00 in ASCII-compatible encodings (UTF-8, cp1252, latin-1...).
            ascii_compatible = "A\x00".encode(detected).endswith(b"A\x00")
        except LookupError:  # unknown, or not a text encoding (base64...)
            raise ImportFileError(f"{name}: unknown text encoding {detected!r}") from None
        offset = lines = 0  # bytes read before `chunk`, newlines decoded before it
        chunk = head
        while True:
            digest.update(chunk)
            state = decoder.getstate()
            try:
                text = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:
                raise _undecodable(
                    name, detected, error, state, offset, lines, final=not chunk
                ) from None
            if "\x00" in text:
                line = lines + text[: text.index("\x00")].count("\n") + 1
                where = f" at byte offset {offset + chunk.find(0)}" if ascii_compatible else ""
                raise ImportFileError(
                    f"{name}: line {line}: binary content (NUL character{where}): not a CSV file"
                )
            if not chunk:
                break
            lines += text.count("\n")
            offset += len(chunk)
            chunk = handle.read(CHUNK)
    return FileInfo(name, digest.hexdigest(), False, detected, lines + 1)


def _undecodable(
    name: str,
    encoding: str,
    error: UnicodeDecodeError,
    state: tuple[bytes, int],
    offset: int,
    lines: int,
    *,
    final: bool,
) -> ImportFileError:
    """The whole-file error of bytes that are not text in `encoding`: the file, the line,
    the byte offset from the start of the file, and what to do (docs/formats.md, "Encoding").

    The decoder reports positions in what it held (bytes kept from the previous chunk,
    `state[0]`, then the chunk); `offset` is where the chunk starts in the file.
    """
    position = offset - len(state[0]) + error.start
    # The line: the newlines of the valid text before the fault, decoded from the same state.
    probe = codecs.getincrementaldecoder(encoding)(errors="replace")
    probe.setstate((b"", state[1]))
    line = lines + probe.decode(error.object[: error.start]).count("\n") + 1
    if final:
        return ImportFileError(
            f"{name}: line {line}: not valid {encoding} text: the file ends in the middle of a "
            f"character (byte offset {position}, {error.end - error.start} byte(s) left over); "
            "the file is truncated: export it again"
        )
    return ImportFileError(
        f"{name}: line {line}: not valid {encoding} text (byte 0x{error.object[error.start]:02x} "
        f"at byte offset {position}); save the file as UTF-8, or name its encoding in a mapping "
        'file (encoding = "cp1252")'
    )


def _utf16_byte_order(head: bytes) -> str | None:
    """The byte order (`le`, `be`) when the start of a file without byte-order mark is
    UTF-16 text (mostly ASCII: a zero byte every other byte), else None."""
    sample = head[:4096]
    odd, even = sample[1::2], sample[0::2]
    if len(odd) < 2:
        return None
    for order, zeros, other in (("le", odd, even), ("be", even, odd)):
        if zeros.count(0) >= 0.9 * len(zeros) and other.count(0) <= 0.1 * len(other):
            return order
    return None


def _sniff_delimiter(first_line: str) -> str:
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t", "|")}
    return max(counts, key=counts.get)  # type: ignore[arg-type]


def read_csv(
    path: Path, info: FileInfo, *, delimiter: str | None = None, quoting: bool = True
) -> tuple[list[str], Iterator[Row]]:
    """The header and an iterator of rows with their starting line numbers.

    `quoting=False` reads quote characters as plain text (queue_log lines).
    """
    handle = path.open(encoding=info.encoding, newline="")
    first_line = handle.readline()
    handle.seek(0)
    delimiter = delimiter or _sniff_delimiter(first_line)
    reader = csv.reader(
        handle,
        delimiter=delimiter,
        strict=False,
        quoting=csv.QUOTE_MINIMAL if quoting else csv.QUOTE_NONE,
    )
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as error:
        handle.close()
        raise ImportFileError(f"{info.name}: line 1: no readable header ({error})") from None
    header = [cell.strip().lstrip("\ufeff") for cell in header]

    def rows() -> Iterator[Row]:
        previous_end = reader.line_num
        with handle:
            while True:
                start = previous_end + 1
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as error:
                    previous_end = reader.line_num
                    yield Row(start, [], f"<unreadable CSV: {error}>")
                    continue
                previous_end = reader.line_num
                if cells:  # blank lines are not rows
                    yield Row(start, cells, None, delimiter)

    return header, rows()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_xlsx(
    path: Path, info: FileInfo, *, sheet: str | None = None
) -> tuple[list[str], Iterator[Row], int]:
    """The header, rows and row count of the first (or named) sheet of a workbook."""
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportFileError(f"{info.name}: not a readable XLSX workbook ({error})") from None
    if sheet is not None and sheet not in workbook.sheetnames:
        raise ImportFileError(
            f"{info.name}: no sheet named {sheet!r} (sheets: {', '.join(workbook.sheetnames)})"
        )
    worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
    values = worksheet.iter_rows(values_only=True)
    first = next(values, None)
    if first is None or not any(cell is not None for cell in first):
        workbook.close()
        raise ImportFileError(f"{info.name}: the sheet {worksheet.title!r} is empty")
    header = [_cell_text(cell) for cell in first]
    while header and not header[-1]:
        header.pop()

    def rows() -> Iterator[Row]:
        try:
            for number, cells in enumerate(values, start=2):
                texts = [_cell_text(cell) for cell in cells]
                while len(texts) > len(header) and not texts[-1]:
                    texts.pop()
                if len(texts) < len(header):  # trailing empty cells are not stored
                    texts.extend([""] * (len(header) - len(texts)))
                if any(texts):
                    yield Row(number, texts, None, ";")
        finally:
            workbook.close()

    return header, rows(), worksheet.max_row or 0
