"""Password and account-name rules (SPEC §9: CNIL password recommendation, nominative accounts)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

GENERIC_ACCOUNT_NAMES = frozenset(
    {
        "admin", "administrateur", "administrator", "root", "support", "accueil", "agent",
        "conseiller", "test", "demo", "guest", "invite", "user", "utilisateur", "standard",
        "plateau", "superviseur", "operateur", "formation", "stagiaire", "commun", "generique",
    }
)


class CharacterClassesValidator:
    """At least one lowercase, one uppercase, one digit and one special character."""

    classes = (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^A-Za-z0-9]")

    def validate(self, password: str, user=None) -> None:
        if not all(re.search(pattern, password) for pattern in self.classes):
            raise ValidationError(
                _("Le mot de passe doit mêler minuscules, majuscules, chiffres et caractères spéciaux."),
                code="password_character_classes",
            )

    def get_help_text(self) -> str:
        return _("Votre mot de passe doit mêler minuscules, majuscules, chiffres et caractères spéciaux.")


def validate_nominative_username(username: str) -> None:
    """Refuse shared or generic identities: one personal account per person (SPEC §9)."""
    stem = re.sub(r"[^a-z]", "", username.lower())
    if stem in GENERIC_ACCOUNT_NAMES:
        raise ValidationError(
            _("« %(name)s » est un identifiant générique : les comptes sont nominatifs.") % {"name": username},
            code="generic_account",
        )
