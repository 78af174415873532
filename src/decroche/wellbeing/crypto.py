"""Encryption at rest of health-related text (SPEC §9; issue 14 §4).

A model field keeps its text as a Fernet token (AES-128-CBC + HMAC-SHA256, the
`cryptography` package). The keys live outside the database: `FIELD_ENCRYPTION_KEYS`
(comma-separated, newest first, from the environment) or, without them, a private key file
(`FIELD_ENCRYPTION_KEY_FILE`, default `var/field.key`) created on first use. A
MultiFernet encrypts with the first key and decrypts with any, so keys can be rotated.
"""

from __future__ import annotations

import os
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


def _file_key(path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(Fernet.generate_key().decode())
    return path.read_text().strip()


@lru_cache(maxsize=4)
def _cipher(keys: tuple[str, ...], key_file: str) -> MultiFernet:
    from pathlib import Path

    if not keys:
        keys = (_file_key(Path(key_file)),)
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            f"FIELD_ENCRYPTION_KEYS holds an invalid key: {error}"
        ) from error


def cipher() -> MultiFernet:
    keys = tuple(getattr(settings, "FIELD_ENCRYPTION_KEYS", ()) or ())
    return _cipher(keys, str(settings.FIELD_ENCRYPTION_KEY_FILE))


def encrypt(text: str) -> str:
    return cipher().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return cipher().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "An encrypted field cannot be read with the configured keys."
        ) from error


class EncryptedTextField(models.TextField):
    """Text stored encrypted; empty text stays empty (nothing to hide, and it keeps
    "has a note" queries possible without decrypting)."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)
