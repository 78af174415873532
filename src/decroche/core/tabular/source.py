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
# Limits of a workbook, checked before reading it (docs/formats.md, "Workbook limits"):
# a small file that expands to gigabytes (a "zip bomb") stops with a whole-file error.
XLSX_MAX_ROWS = 1_048_576  # Excel's own sheet limit
XLSX_MAX_COLUMNS = 512
XLSX_MAX_UNCOMPRESSED_BYTES = 1 << 30  # 1 GiB for all the parts of the archive
XLSX_MAX_SHARED_STRINGS_BYTES = 256 << 20  # held in memory whole by the reader
XLSX_MAX_RATIO = 200  # uncompressed / compressed size of one part above 10 MiB
XLSX_RATIO_FROM_BYTES = 10 << 20
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
            if not codecs.lookup(detected)._is_text_encoding:  # type: ignore[attr-defined]
                raise LookupError(detected)  # rot13, base64, zlib...: not bytes to text
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


def sniff_delimiter(path: Path, info: FileInfo) -> str:
    """The delimiter `read_csv` would detect from the file's first line."""
    with path.open(encoding=info.encoding, newline="") as handle:
        return _sniff_delimiter(handle.readline())


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


def _check_archive(path: Path, name: str) -> None:
    """The archive's declared sizes within the workbook limits, before anything is
    decompressed (the reader never reads a part beyond its declared size)."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ImportFileError(f"{name}: not a readable XLSX workbook ({error})") from None
    total = sum(part.file_size for part in parts)
    if total > XLSX_MAX_UNCOMPRESSED_BYTES:
        raise ImportFileError(
            f"{name}: the workbook expands to {total} bytes, beyond the limit of "
            f"{XLSX_MAX_UNCOMPRESSED_BYTES} bytes: split it or export it as CSV"
        )
    for part in parts:
        if part.filename.endswith("sharedStrings.xml") and (
            part.file_size > XLSX_MAX_SHARED_STRINGS_BYTES
        ):
            raise ImportFileError(
                f"{name}: its shared strings expand to {part.file_size} bytes, beyond the "
                f"limit of {XLSX_MAX_SHARED_STRINGS_BYTES} bytes: export it as CSV"
            )
        if part.file_size > XLSX_RATIO_FROM_BYTES and part.file_size > XLSX_MAX_RATIO * max(
            1, part.compress_size
        ):
            raise ImportFileError(
                f"{name}: the part {part.filename} expands {part.file_size // max(1, part.compress_size)} "
                f"times ({part.compress_size} to {part.file_size} bytes), beyond the limit of "
                f"{XLSX_MAX_RATIO}: not a workbook a spreadsheet program writes"
            )


def _check_dimension(name: str, title: str, rows: int | None, columns: int | None) -> None:
    if rows is not None and rows > XLSX_MAX_ROWS:
        raise ImportFileError(
            f"{name}: the sheet {title!r} declares {rows} rows or more, beyond the limit of "
            f"{XLSX_MAX_ROWS}"
        )
    if columns is not None and columns > XLSX_MAX_COLUMNS:
        raise ImportFileError(
            f"{name}: the sheet {title!r} declares {columns} columns, beyond the limit of "
            f"{XLSX_MAX_COLUMNS}"
        )


def read_xlsx(
    path: Path, info: FileInfo, *, sheet: str | None = None
) -> tuple[list[str], Iterator[Row], int]:
    """The header, rows and row count of the first (or named) sheet of a workbook.

    The archive's declared sizes and the sheet's declared dimension are checked first,
    the sheet is read in streaming (read-only) mode, and reading stops with a whole-file
    error past the limits (`XLSX_MAX_*`): a lying dimension cannot get round them.
    """
    import openpyxl

    _check_archive(path, info.name)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 — any failure of the third-party parser
        raise ImportFileError(f"{info.name}: not a readable XLSX workbook ({error})") from None
    if sheet is not None and sheet not in workbook.sheetnames:
        workbook.close()
        raise ImportFileError(
            f"{info.name}: no sheet named {sheet!r} (sheets: {', '.join(workbook.sheetnames)})"
        )
    worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
    try:
        _check_dimension(info.name, worksheet.title, worksheet.max_row, worksheet.max_column)
        first = next(
            worksheet.iter_rows(max_row=1, max_col=XLSX_MAX_COLUMNS + 1, values_only=True), None
        )
    except ImportFileError:
        workbook.close()
        raise
    except Exception as error:  # noqa: BLE001
        workbook.close()
        raise ImportFileError(f"{info.name}: line 1: unreadable sheet ({error})") from None
    if first is None or not any(cell is not None for cell in first):
        workbook.close()
        raise ImportFileError(f"{info.name}: the sheet {worksheet.title!r} is empty")
    header = [_cell_text(cell) for cell in first]
    while header and not header[-1]:
        header.pop()
    if len(header) > XLSX_MAX_COLUMNS:
        workbook.close()
        _check_dimension(info.name, worksheet.title, None, len(header))
    # One cell past the header shows a row with more values than columns.
    values = worksheet.iter_rows(min_row=2, max_col=len(header) + 1, values_only=True)

    def rows() -> Iterator[Row]:
        number = 1
        try:
            while True:
                try:
                    cells = next(values)
                except StopIteration:
                    return
                except Exception as error:  # noqa: BLE001 — a cell the parser cannot read
                    raise ImportFileError(
                        f"{info.name}: line {number + 1}: unreadable cell ({error})"
                    ) from None
                number += 1
                if number > XLSX_MAX_ROWS:
                    _check_dimension(info.name, worksheet.title, number, None)
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
