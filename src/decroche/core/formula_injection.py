"""Cells that a spreadsheet would run as a formula (issue 12 point 6; SPEC §9): text from a
caller, a form or an imported file that starts with `=`, `+`, `-` or `@` (or a tab or a
carriage return, which some spreadsheets skip before reading one) is exported as text.

In CSV the text gets a leading apostrophe, as OWASP recommends: a spreadsheet opening the
file shows it as text. In XLSX the cell is stored as a string with Excel's quote prefix,
so its text stays exactly what was recorded and is never evaluated."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_safe(value: object) -> object:
    """The value to write in a CSV cell: formula-like text behind an apostrophe."""
    return "'" + value if is_formula_like(value) else value  # type: ignore[operator]


def protect_xlsx_cell(cell) -> None:
    """Keep an openpyxl cell holding formula-like text a plain string (never a formula)."""
    if is_formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
