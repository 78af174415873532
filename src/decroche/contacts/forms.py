"""Forms of the contacts app: the import upload and the calls filter."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from decroche.core.forms import DateInput, DsfrForm
from decroche.organisation.models import ContactReason, Site

from .choices import CallOutcome, ImportKind

MAX_UPLOAD_BYTES = 200 * 1024 * 1024


class ImportUploadForm(DsfrForm):
    kind = forms.ChoiceField(label=_("Kind of export"), choices=ImportKind.choices)
    file = forms.FileField(
        label=_("File"), help_text=_("CSV or Excel export, or an Asterisk queue_log.")
    )
    mapping = forms.FileField(
        label=_("Column mapping"),
        required=False,
        help_text=_(
            "Optional file naming the columns of another system's export (see docs/formats.md)."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 200 MB."))
        return upload


class CallFilterForm(DsfrForm):
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none(), required=False)
    reason = forms.ModelChoiceField(
        label=_("Reason"), queryset=ContactReason.objects.all(), required=False
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", "---------"), *CallOutcome.choices], required=False
    )

    def __init__(self, *args, sites=None, **kwargs):
        super().__init__(*args, **kwargs)
        if sites is not None:
            self.fields["site"].queryset = sites

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            raise forms.ValidationError(_("The end date precedes the start date."))
        return cleaned
