"""The CNIL 2022 password rules (SPEC §9; accounts/validators.py)."""

from __future__ import annotations

import math

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from decroche.accounts.models import User
from decroche.accounts.validators import password_entropy_bits

PERSON = User(
    username="helene.lefevre",
    first_name="Hélène",
    last_name="Lefèvre",
    email="h.lefevre@example.fr",
)


def codes(password: str, user=PERSON) -> set[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return {item.code for item in error.error_list}
    return set()


def test_entropy_is_length_times_log2_of_the_pool():
    # 12 characters of the four types: pool 26 + 26 + 10 + 33 = 95, 12 × log2(95) = 78.84 bits.
    assert password_entropy_bits("Abcdefgh12!?") == pytest.approx(12 * math.log2(95))
    # 14 characters of three types (no special): pool 62, 14 × log2(62) = 83.36 bits.
    assert password_entropy_bits("Abcdefghij1234") == pytest.approx(83.36, abs=0.01)


def test_azerty123_is_refused_as_too_short_and_common():
    assert codes("Azerty123!") == {"password_cnil_entropy", "password_too_common"}


def test_a_common_word_with_digits_and_symbols_around_it_is_still_common():
    # Long enough and of four types, but "azerty" with "123456!" added.
    assert codes("Azerty123456!") == {"password_too_common"}
    assert codes("!!Soleil2026??") == {"password_too_common"}


def test_twelve_characters_of_four_types_pass_eleven_do_not():
    assert codes("Rt8#kLp2@vQz") == set()
    assert codes("Rt8#kLp2@vQ") == {"password_cnil_entropy"}


def test_fourteen_characters_of_three_types_pass():
    # 14 × log2(62) = 83.4 bits ≥ 80.
    assert codes("Rt8kLp2vQzWx4m") == set()
    # 13 × log2(62) = 77.4 bits < 80.
    assert codes("Rt8kLp2vQzWx4") == {"password_cnil_entropy"}


def test_sixteen_lowercase_letters_are_refused_seventeen_are_not_enough_eighteen_are():
    # log2(26) = 4.70: 16 letters 75.2 bits, 17 letters 79.9 bits, 18 letters 84.6 bits.
    assert codes("qmzvxbtrwplkjhgf") == {"password_cnil_entropy"}
    assert codes("qmzvxbtrwplkjhgfd") == {"password_cnil_entropy"}
    assert codes("qmzvxbtrwplkjhgfds") == set()


def test_a_long_passphrase_is_accepted():
    assert codes("cheval agrafe correct batterie soleil montagne riviere") == set()
    assert codes("le chat dort sur le canape bleu") == set()


def test_nothing_of_the_name_or_login():
    # Accents and case ignored: "LEFEVRE" is Lefèvre.
    assert "password_personal_information" in codes("Mot-LEFEVRE-2026!x")
    assert "password_personal_information" in codes("Helene#Rt8kLp2vQ")
    # The e-mail's name part "h.lefevre" splits into "lefevre" (≥ 3 letters).
    assert codes("Rt8#kLp2@vQz-ok") == set()


def test_the_messages_are_french_and_name_the_rule(settings):
    with pytest.raises(ValidationError) as raised:
        validate_password("Azerty123!", PERSON)
    text = " ".join(raised.value.messages)
    assert "CNIL" in text
    assert "10 caractères" in text
    assert "mots de passe courants" in text
