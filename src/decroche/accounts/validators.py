"""Password and account-name rules (SPEC §9: CNIL password recommendation, nominative accounts)."""

from __future__ import annotations

import re

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


class CharacterClassesValidator:
    """At least one lowercase, one uppercase, one digit and one special character."""

    classes = (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^A-Za-z0-9]")

    def validate(self, password: str, user=None) -> None:
        if not all(re.search(pattern, password) for pattern in self.classes):
            raise ValidationError(
                _(
                    "The password must mix lowercase letters, uppercase letters, digits and special characters."
                ),
                code="password_character_classes",
            )

    def get_help_text(self) -> str:
        return _(
            "Your password must mix lowercase letters, uppercase letters, digits and special characters."
        )


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
