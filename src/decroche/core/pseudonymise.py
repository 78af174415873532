"""Keyed hashing of personal identifiers (SPEC §9): numbers are never stored in clear."""

from __future__ import annotations

import hashlib
import hmac
import re

_NOT_DIGITS = re.compile(r"\D")


def pseudonymise(value: str, *, key: str) -> str:
    """HMAC-SHA256 of a normalised identifier (digits only); empty stays empty."""
    normalised = _NOT_DIGITS.sub("", value or "")
    if not normalised:
        return ""
    return hmac.new(key.encode(), normalised.encode(), hashlib.sha256).hexdigest()
