"""Password and account-name rules (SPEC §9: CNIL password recommendation, nominative accounts)."""

from __future__ import annotations

import math
import re
import unicodedata
from pathlib import Path

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

GENERIC_ACCOUNT_NAMES = frozenset(
    {
        "admin",
        "administrateur",
        "administrator",
        "root",
        "support",
        "accueil",
        "agent",
        "conseiller",
        "test",
        "demo",
        "guest",
        "invite",
        "user",
        "utilisateur",
        "standard",
        "plateau",
        "superviseur",
        "operateur",
        "formation",
        "stagiaire",
        "commun",
        "generique",
    }
)


# CNIL deliberation 2022-100 (SPEC §9): a password used alone needs about 80 bits of
# entropy. Its examples: 12 characters of the four types, 14 of three types (upper, lower,
# digits), or a passphrase of at least 7 words.
ENTROPY_MIN_BITS = 80
FOUR_TYPES_MIN_LENGTH = 12
PASSPHRASE_MIN_WORDS = 7
CHARACTER_TYPES = (
    ("lowercase", r"[a-zà-öø-ÿ]", 26),
    ("uppercase", r"[A-ZÀ-ÖØ-Þ]", 26),
    ("digit", r"[0-9]", 10),
    ("special", r"[^A-Za-zÀ-ÖØ-öø-ÿ0-9]", 33),
)
_PASSPHRASE_WORD = re.compile(r"[^\W\d_]{2,}")
COMMON_PASSWORDS_FR = Path(__file__).resolve().parent / "data" / "common-passwords-fr.txt"


def password_entropy_bits(password: str) -> float:
    """Length × log2(size of the pool of the character types used) (CNIL 2022 method)."""
    pool = sum(size for _name, pattern, size in CHARACTER_TYPES if re.search(pattern, password))
    return len(password) * math.log2(pool) if pool else 0.0


def character_types(password: str) -> int:
    return sum(1 for _name, pattern, _size in CHARACTER_TYPES if re.search(pattern, password))


def is_passphrase(password: str) -> bool:
    return len(_PASSPHRASE_WORD.findall(password)) >= PASSPHRASE_MIN_WORDS


class CnilPasswordValidator:
    """The CNIL 2022 rule (SPEC §9): accepted when the password reaches 80 bits of entropy
    (e.g. 14 characters of three types, 17 lowercase letters), or has 12 characters of the
    four types (the CNIL's own first example, 78.8 bits), or is a passphrase of 7 words."""

    def validate(self, password: str, user=None) -> None:
        if is_passphrase(password):
            return
        types = character_types(password)
        if len(password) >= FOUR_TYPES_MIN_LENGTH and types == len(CHARACTER_TYPES):
            return
        if password_entropy_bits(password) >= ENTROPY_MIN_BITS:
            return
        raise ValidationError(
            _(
                "Password too weak (CNIL rule): it has %(length)d characters of %(types)d "
                "type(s), about %(bits)d bits of entropy. Use at least 12 characters mixing "
                "lowercase, uppercase, digits and special characters, or 14 characters of "
                "three types, or a passphrase of at least 7 words."
            )
            % {"length": len(password), "types": types, "bits": password_entropy_bits(password)},
            code="password_cnil_entropy",
        )

    def get_help_text(self) -> str:
        return _(
            "At least 12 characters mixing lowercase, uppercase, digits and special "
            "characters, or 14 characters of three types, or a passphrase of at least 7 words "
            "(CNIL recommendation)."
        )


def _folded(text: str) -> str:
    """Lowercase without accents: "Hélène" and "helene" are the same name."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _base_word(password: str) -> str:
    """The password without the digits and symbols people add around a word."""
    return re.sub(r"^[^a-z]+|[^a-z]+$", "", _folded(password))


class CommonPasswordListValidator(CommonPasswordValidator):
    """Refuse a known common or leaked password: Django's list of 20,000 and a French list
    shipped with the package, also once the digits and symbols around it are removed
    ("Azerty123!" is "azerty")."""

    def __init__(self, password_list_path=CommonPasswordValidator.DEFAULT_PASSWORD_LIST_PATH):
        super().__init__(password_list_path)
        with COMMON_PASSWORDS_FR.open(encoding="utf-8") as handle:
            french = {
                _folded(line.strip())
                for line in handle
                if line.strip() and not line.startswith("#")
            }
        self.passwords = set(self.passwords) | french

    def validate(self, password: str, user=None) -> None:
        candidates = {_folded(password).strip(), _base_word(password)}
        if candidates & self.passwords:
            raise ValidationError(
                _("This password is in the list of common or leaked passwords: choose another."),
                code="password_too_common",
            )

    def get_help_text(self) -> str:
        return _("Your password cannot be a common or leaked password.")


class PersonalInformationValidator:
    """No relation to the person: the password may not contain their login, first name,
    last name or the name part of their e-mail (accents and case ignored)."""

    MIN_PART_LENGTH = 3

    def validate(self, password: str, user=None) -> None:
        if user is None:
            return
        folded = _folded(password)
        email_name = (getattr(user, "email", "") or "").split("@", 1)[0]
        values = (
            getattr(user, "username", ""),
            getattr(user, "first_name", ""),
            getattr(user, "last_name", ""),
            email_name,
        )
        parts = {
            part
            for value in values
            for part in re.split(r"[^a-z0-9]+", _folded(value or ""))
            if len(part) >= self.MIN_PART_LENGTH
        }
        if any(part in folded for part in parts):
            raise ValidationError(
                _("The password may not contain your login, first name, last name or e-mail."),
                code="password_personal_information",
            )

    def get_help_text(self) -> str:
        return _("Your password may not contain your login, first name, last name or e-mail.")


def validate_nominative_username(username: str) -> None:
    """Refuse shared or generic identities: one personal account per person (SPEC §9)."""
    stem = re.sub(r"[^a-z]", "", username.lower())
    if stem in GENERIC_ACCOUNT_NAMES:
        raise ValidationError(
            _("“%(name)s” is a generic username: accounts are nominative.") % {"name": username},
            code="generic_account",
        )


def validate_nominative_name(value: str) -> None:
    """Refuse a first or last name that names a function rather than a person (SPEC §9)."""
    stem = re.sub(r"[^a-z]", "", value.lower())
    if stem in GENERIC_ACCOUNT_NAMES:
        raise ValidationError(
            _("“%(name)s” names a function, not a person: accounts are nominative.")
            % {"name": value},
            code="generic_name",
        )


def validate_personal_email(email: str) -> None:
    """Refuse a shared mailbox (accueil@..., support@...): the portal sends OTPs to it (SPEC §9)."""
    local_part = email.split("@", 1)[0]
    stem = re.sub(r"[^a-z]", "", local_part.lower())
    if stem in GENERIC_ACCOUNT_NAMES:
        raise ValidationError(
            _("“%(email)s” is a shared mailbox: give the person's own e-mail address.")
            % {"email": email},
            code="generic_email",
        )
