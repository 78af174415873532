"""Forms of the library pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from decroche.core.forms import DateInput, DsfrForm
from decroche.organisation.models import ContactReason

from .choices import TemplateKind


class VersionForm(DsfrForm):
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 12}))
    change_note = forms.CharField(
        label=_("What changed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required from the second version: advisors read it first."),
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())


class TemplateForm(VersionForm):
    reason = forms.ModelChoiceField(label=_("Contact reason"), queryset=ContactReason.objects.all())
    kind = forms.ChoiceField(label=_("Kind"), choices=TemplateKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    field_order = ["reason", "kind", "title", "body", "valid_from"]
