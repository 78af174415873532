"""Forms of the accounts app: sign-in, password change, nominative accounts and roles."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    UserChangeForm,
    UserCreationForm,
)
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from decroche.core.admin_site import ADMINISTRATOR_ROLE, is_administrator
from decroche.core.forms import DsfrForm
from decroche.core.pages import ACTIVE_CHOICES, SearchForm

from .models import User
from .roles import ROLES, ROLES_BY_CODE
from .validators import (
    validate_nominative_name,
    validate_nominative_username,
    validate_personal_email,
)


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


# --- account pages (issue 18 point 10) --------------------------------------------------------


class RoleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, group) -> str:
        role = ROLES_BY_CODE.get(group.name)
        return str(role.label) if role else group.name


class UserAccountForm(NominativeFieldsMixin, DsfrForm, forms.ModelForm):
    """A nominative account and its roles. Created with temporary credentials the person
    changes at first login (SPEC §9); only an administrator grants the administrator role."""

    groups = RoleChoiceField(
        label=_("Roles"),
        queryset=Group.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    password1 = forms.CharField(
        label=_("Temporary password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Handed over securely; the person changes it at first login."),
    )
    password2 = forms.CharField(
        label=_("Temporary password (again)"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "groups"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        roles = Group.objects.filter(name__in=ROLES_BY_CODE)
        if not is_administrator(user):
            roles = roles.exclude(name=ADMINISTRATOR_ROLE)
        self.fields["groups"].queryset = roles.order_by("name")
        if self.instance.pk:  # the password is the person's own business once created
            del self.fields["password1"], self.fields["password2"]
            self.fields["username"].disabled = True

    def clean_username(self) -> str:
        value = self.cleaned_data["username"]
        validate_nominative_username(value)
        return value

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            candidate = User(**{k: cleaned.get(k, "") for k in ("username", "email")})
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def save(self, commit=True):
        account = super().save(commit=False)
        if "password1" in self.fields:
            account.set_password(self.cleaned_data["password1"])
            account.must_change_password = True
        if commit:
            account.save()
            self.save_m2m()
        return account


class UserFilterForm(SearchForm):
    role = forms.ChoiceField(label=_("Role"), required=False)
    active = forms.ChoiceField(label=_("Status"), choices=ACTIVE_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("All roles"))] + [
            (role.code, role.label) for role in ROLES
        ]


class SecondFactorCodeForm(DsfrForm):
    """A one-time code: six digits from the app or the e-mail, or a recovery code."""

    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, label=None, help_text=None, numeric=True, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["token"].label = label
        if help_text:
            self.fields["token"].help_text = help_text
        if not numeric:
            self.fields["token"].widget.attrs["inputmode"] = "text"
        # DsfrBaseForm built the bound field (its label) before the change above.
        self._bound_fields_cache.pop("token", None)
