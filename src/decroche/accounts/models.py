"""Nominative user accounts (SPEC §9: one personal account per person, never generic)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from .validators import validate_nominative_username


class User(AbstractUser):
    """A person. First name, last name and a unique e-mail are required: the support
    portal sends its one-time passwords by e-mail to that list (SPEC §9)."""

    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("e-mail"), unique=True)
    must_change_password = models.BooleanField(
        _("must change password"),
        default=True,
        help_text=_(
            "Temporary credentials: the password must be changed at first login (SPEC §9)."
        ),
    )

    REQUIRED_FIELDS = ["email", "first_name", "last_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def clean(self) -> None:
        super().clean()
        validate_nominative_username(self.username)
        if not self.first_name.strip() or not self.last_name.strip():
            raise ValidationError(_("A nominative account bears the person's first and last name."))

    @property
    def role_codes(self) -> list[str]:
        return sorted(group.name for group in self.groups.all())
