"""Forms of the organisation app: the roster upload (docs/formats.md, "Roster")."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from decroche.core.forms import DsfrForm

MAX_ROSTER_BYTES = 20 * 1024 * 1024  # a roster of thousands of advisors is well under 1 MB


class RosterUploadForm(DsfrForm):
    file = forms.FileField(
        label=_("Roster file"), help_text=_("CSV or Excel file, one row per advisor.")
    )
    mapping = forms.FileField(
        label=_("Column mapping"),
        required=False,
        help_text=_(
            "Optional file naming the columns of the HR tool's export (see docs/formats.md)."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ROSTER_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload


class RosterConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)
