"""Form helpers shared by every app: DSFR rendering (django-dsfr)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm


class DsfrForm(DsfrBaseForm):
    """A form rendered with the DSFR field snippets (labels, hints, error messages).

    Mix it first: `class LoginForm(DsfrForm, AuthenticationForm)`. Required fields keep
    django-dsfr's hidden-from-screen-readers asterisk; `get_context` skips the library's
    transitional warning about that choice, which would fire on every render.
    """

    def get_context(self) -> dict:
        return forms.Form.get_context(self)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class AuditFilterForm(DsfrForm):
    action = forms.CharField(
        label=_("Action"), required=False, help_text=_("Beginning of the code, e.g. accounts.login")
    )
    username = forms.CharField(label=_("Username"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())


class AccessHistoryForm(DsfrForm):
    """Filters of the CSO's access history (SPEC §9): kind of event, person, Paris days."""

    kind = forms.ChoiceField(label=_("Event"), required=False)
    username = forms.CharField(label=_("Person (username)"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All access events"))] + [
            (code, label) for code, label, *_rest in kinds
        ]
