"""Forms of the accounts app: sign-in, password change, nominative account creation."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    UserChangeForm,
    UserCreationForm,
)
from django.utils.translation import gettext_lazy as _

from decroche.core.forms import DsfrForm

from .models import User
from .validators import validate_nominative_name, validate_personal_email


class LoginForm(DsfrForm, AuthenticationForm):
    pass


class DsfrPasswordChangeForm(DsfrForm, PasswordChangeForm):
    pass


class NominativeFieldsMixin:
    """First name, last name and a personal, unique e-mail are mandatory (SPEC §9)."""

    def clean_first_name(self) -> str:
        value = self.cleaned_data["first_name"].strip()
        validate_nominative_name(value)
        return value

    def clean_last_name(self) -> str:
        value = self.cleaned_data["last_name"].strip()
        validate_nominative_name(value)
        return value

    def clean_email(self) -> str:
        value = self.cleaned_data["email"].strip().lower()
        validate_personal_email(value)
        others = User.objects.filter(email__iexact=value)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("Another account already uses this e-mail address."))
        return value


class NominativeUserCreationForm(NominativeFieldsMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "first_name", "last_name", "email")


class NominativeUserChangeForm(NominativeFieldsMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"
