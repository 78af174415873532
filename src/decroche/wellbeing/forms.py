"""Forms of the incident pages: a report in a few required fields (< 2 minutes)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from decroche.core.forms import DsfrForm

from .choices import (
    AggressivenessForm,
    Consequence,
    ImmediateAction,
    IncidentType,
    Place,
    Severity,
    Sign,
)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class ReportForm(DsfrForm):
    """Required: when, where, channel, what happened, type, severity. The rest helps."""

    occurred_at = forms.DateTimeField(label=_("When"), widget=DateTimeInput())
    site = forms.ModelChoiceField(label=_("Site"), queryset=None)
    place = forms.ChoiceField(label=_("Place or channel"), choices=Place.choices)
    types = forms.MultipleChoiceField(
        label=_("Type of event"), choices=IncidentType.choices, widget=forms.CheckboxSelectMultiple
    )
    severity = forms.TypedChoiceField(
        label=_("Severity"), choices=Severity.choices, coerce=int, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label=_("What happened"),
        help_text=_("Facts only, with the words used, between quotation marks."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    victims = forms.ModelMultipleChoiceField(
        label=_("Agents affected"), queryset=None, required=False
    )
    trigger = forms.CharField(label=_("Known trigger"), required=False)
    aggressiveness = forms.ChoiceField(
        label=_("Form of aggressiveness"), choices=AggressivenessForm.choices, required=False
    )
    contact_reference = forms.CharField(
        label=_("Contact reference"),
        required=False,
        help_text=_("A file or contact reference at most: never the user's health data."),
    )
    immediate_actions = forms.MultipleChoiceField(
        label=_("Immediate actions"),
        choices=ImmediateAction.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consequences = forms.MultipleChoiceField(
        label=_("Consequences"),
        choices=Consequence.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    health_note = forms.CharField(
        label=_("Health-related note"),
        required=False,
        help_text=_("Seen only by the occupational-health referent and the agent; encrypted."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, sites, advisors, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["victims"].queryset = advisors


class CheckInForm(DsfrForm):
    signs = forms.MultipleChoiceField(
        label=_("Observable signs (referral triggers, never a diagnosis)"),
        choices=Sign.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    referral_consent = forms.BooleanField(label=_("The agent agrees to a referral"), required=False)
