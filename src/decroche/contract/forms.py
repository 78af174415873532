"""Forms of the contract pages (orders, statement, target changes, interruptions, committees)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from decroche.core.forms import DateInput, DsfrForm

from .choices import CommitteeKind, InterruptionCause


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class OrderAnswerForm(DsfrForm):
    accept = forms.TypedChoiceField(
        label=_("Answer"),
        choices=[("1", _("Validate")), ("0", _("Refuse"))],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class StatementForm(DsfrForm):
    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    invoice_phone = forms.DecimalField(
        label=_("Phone invoice (€)"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
    invoice_forms = forms.DecimalField(
        label=_("Contact-form invoice (€)"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text=_("Empty: the invoices recorded for the month."),
    )


class ProposalForm(DsfrForm):
    notified_on = forms.DateField(label=_("Notified on"), widget=DateInput(), initial=dt.date.today)
    indicator_code = forms.SlugField(label=_("Indicator"), required=False)
    new_target = forms.CharField(
        label=_("New target"), max_length=32, required=False, help_text=_("e.g. >= 0.92")
    )
    service_level_code = forms.SlugField(label=_("Service level"), required=False)
    new_threshold = forms.DecimalField(
        label=_("New penalty threshold"), max_digits=10, decimal_places=4, required=False
    )
    note = forms.CharField(label=_("Reason"), max_length=300, required=False)


class ProposalAnswerForm(DsfrForm):
    accept = forms.TypedChoiceField(
        label=_("Answer"),
        choices=[("1", _("Accept")), ("0", _("Refuse"))],
        coerce=lambda value: value == "1",
    )


class InterruptionForm(DsfrForm):
    cause = forms.ChoiceField(label=_("Cause"), choices=InterruptionCause.choices)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    started_at = forms.DateTimeField(label=_("Start"), widget=DateTimeInput())
    ended_at = forms.DateTimeField(
        label=_("End"), widget=DateTimeInput(), required=False, help_text=_("Empty while it lasts.")
    )


class PackForm(DsfrForm):
    kind = forms.ChoiceField(label=_("Committee"), choices=CommitteeKind.choices)
    date = forms.DateField(label=_("Day of the committee"), widget=DateInput())


class MeetingForm(DsfrForm):
    kind = forms.ChoiceField(label=_("Committee"), choices=CommitteeKind.choices)
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea, required=False)


class AmendmentForm(DsfrForm):
    amendment = forms.CharField(label=_("Remarks and amendment"), widget=forms.Textarea)
