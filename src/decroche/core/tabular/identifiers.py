"""Personal identifiers in text: caller numbers in one form, and masks for free text.

- `caller_number`: the one form a caller's number is hashed in (issue 17.14), whatever
  the source wrote: `+33 6 12 34 56 78`, `0033 6…`, `06 12 34 56 78`, `06.12.34.56.78`
  and `612345678` (an XLSX numeric cell that lost its leading zero) are all `0612345678`.
  The common French forms take a fast path; any other form goes through `phonenumbers`
  (Google's libphonenumber, region FR), which gives foreign numbers their E.164 digits.
- `mask_identifiers`: NIRs (social security numbers, only those whose check key is valid,
  `stdnum.fr.nir`), phone numbers and e-mail addresses in free text replaced by a token,
  with the number of masks (issue 17.13; docs/formats.md, "Personal data").

Patterns are compiled once; a text with neither two digits nor an `@` costs one search.
Pure module (no Django import).
"""

from __future__ import annotations

import functools
import re

NIR_TOKEN = "[NIR]"
PHONE_TOKEN = "[TEL]"
EMAIL_TOKEN = "[EMAIL]"

_SEPARATORS = re.compile(r"[\s.\-/()]")
_FRENCH_INTERNATIONAL = re.compile(r"(?:\+|00)330?([1-9]\d{8})")

# Could hold an identifier: two digits (possibly separated) or an at sign.
_SUSPECT = re.compile(r"\d[\s.\-]?\d|@")
# NIR: sex, year, month (or 20+ for unknown), department (2A/2B for Corsica), commune,
# order, key; written compact or in groups separated by spaces, dots or dashes.
_NIR = re.compile(
    r"(?<![\w@])[12][\s.\-]?\d{2}[\s.\-]?\d{2}[\s.\-]?(?:\d{2}|2[ABab])[\s.\-]?\d{3}"
    r"[\s.\-]?\d{3}[\s.\-]?\d{2}(?!\w)"
)
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
# French numbers (0X XX XX XX XX, +33 / 0033 with or without the trunk zero) and other
# international numbers (+ then 8 to 15 digits, possibly grouped).
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s?33\s?(?:\(0\)\s?)?|0)[1-9](?:[\s.\-]?\d{2}){4}(?!\d)"
    r"|(?<![\w+])\+\d(?:[\s.\-]?\d){7,14}(?!\d)"
)
_NOT_DIGITS = re.compile(r"\D")


def caller_number(value: str) -> str:
    """The form of a caller's number that is hashed: French numbers in national form
    (`0612345678`), others in E.164 digits (`442079460958`); text that is no phone number keeps
    its digits (an anonymised or internal number), and no digit at all gives ``""``."""
    compact = value if value.isdigit() else _SEPARATORS.sub("", value)
    length = len(compact)
    if compact.isdigit():  # string tests first: a million rows per import
        if length == 10 and compact[0] == "0" and compact[1] != "0":
            return compact
        if length == 9 and compact[0] != "0":
            return "0" + compact
    match = _FRENCH_INTERNATIONAL.fullmatch(compact)
    if match:
        return "0" + match.group(1)
    return _parsed_number(compact)


@functools.lru_cache(maxsize=65536)
def _parsed_number(compact: str) -> str:
    digits = _NOT_DIGITS.sub("", compact)
    if not digits:
        return ""
    import phonenumbers  # ~30 ms: loaded on the first number off the fast path

    try:
        number = phonenumbers.parse(compact, "FR")
    except phonenumbers.NumberParseException:
        return digits
    if not phonenumbers.is_possible_number(number):
        return digits
    if number.country_code == 33:
        return f"0{number.national_number}"
    # E.164 without its "+": digits only, as `core.pseudonymise` hashes them, and never
    # confused with a French national number (which starts with 0).
    return f"{number.country_code}{number.national_number}"


def _nir(match: re.Match[str]) -> str:
    from stdnum.fr import nir

    compact = _SEPARATORS.sub("", match.group(0)).upper()
    return NIR_TOKEN if nir.is_valid(compact) else match.group(0)


def mask_identifiers(text: str) -> tuple[str, int]:
    """`text` with its NIRs (valid check key), e-mail addresses and phone numbers masked,
    and the number of masks made."""
    if not text or not _SUSPECT.search(text):
        return text, 0
    masked = _NIR.sub(_nir, text)
    count = masked.count(NIR_TOKEN) - text.count(NIR_TOKEN)
    masked, emails = _EMAIL.subn(EMAIL_TOKEN, masked)
    masked, phones = _PHONE.subn(PHONE_TOKEN, masked)
    return masked, count + emails + phones
