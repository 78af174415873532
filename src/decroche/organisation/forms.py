"""Forms of the organisation app: the roster upload (docs/formats.md, "Roster") and the
reference-data pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from decroche.accounts.models import User
from decroche.core.forms import DateInput, DsfrForm
from decroche.core.pages import ACTIVE_CHOICES, SearchForm

from .choices import AdvisorStatus, ContactFamily
from .models import (
    Advisor,
    ClosureCalendar,
    ContactReason,
    ExceptionalClosure,
    OpeningHours,
    Site,
    Team,
)
from .selectors import sites_editable_by, sites_visible_to, teams_editable_by, user_scope

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


# --- reference-data pages (issue 18 point 10) -------------------------------------------------


class ScopedModelForm(DsfrForm, forms.ModelForm):
    """A record form whose site and team choices are limited to what `user` may change;
    identifiers the imports match on (`code`, `login`) are fixed once created."""

    fixed_after_creation: tuple[str, ...] = ("code",)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if "site" in self.fields:
            self.fields["site"].queryset = sites_editable_by(user).filter(is_active=True)
        if "team" in self.fields:
            self.fields["team"].queryset = teams_editable_by(user).filter(is_active=True)
        if self.instance.pk:
            for name in self.fixed_after_creation:
                if name in self.fields:
                    self.fields[name].disabled = True


def _people_with_role(role: str):
    return User.objects.filter(groups__name=role, is_active=True).order_by("last_name")


class SiteForm(ScopedModelForm):
    class Meta:
        model = Site
        fields = ["code", "name", "city", "managers"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if user_scope(user).everything:
            self.fields["managers"].queryset = _people_with_role("site_manager")
        else:  # a site manager keeps their site's details, not who manages it
            del self.fields["managers"]


class TeamForm(ScopedModelForm):
    class Meta:
        model = Team
        fields = ["site", "code", "name", "leader"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["leader"].queryset = _people_with_role("team_leader")


class AdvisorForm(ScopedModelForm):
    fixed_after_creation = ("login",)

    class Meta:
        model = Advisor
        fields = [
            "login",
            "first_name",
            "last_name",
            "email",
            "site",
            "team",
            "status",
            "joined_on",
            "left_on",
            "absent_from",
            "absent_to",
            "handles_phone",
            "handles_forms",
            "skills",
            "weekly_hours",
        ]
        widgets = {
            name: DateInput() for name in ("joined_on", "left_on", "absent_from", "absent_to")
        } | {"skills": forms.CheckboxSelectMultiple}


class ContactReasonForm(ScopedModelForm):
    class Meta:
        model = ContactReason
        fields = ["code", "label", "family", "position", "active_from", "active_to"]
        widgets = {"active_from": DateInput(), "active_to": DateInput()}


class SiteFilterForm(SearchForm):
    active = forms.ChoiceField(label=_("Status"), choices=ACTIVE_CHOICES, required=False)


class TeamFilterForm(SiteFilterForm):
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none(), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["site"].queryset = sites_visible_to(user)


class AdvisorFilterForm(TeamFilterForm):
    active = None
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All"))] + AdvisorStatus.choices, required=False
    )


class ContactReasonFilterForm(SiteFilterForm):
    family = forms.ChoiceField(
        label=_("Family"), choices=[("", _("All"))] + ContactFamily.choices, required=False
    )


class ExceptionalClosureForm(ScopedModelForm):
    class Meta:
        model = ExceptionalClosure
        fields = ["calendar", "starts_at", "ends_at", "reason"]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "ends_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }


class OpeningHoursForm(ScopedModelForm):
    class Meta:
        model = OpeningHours
        fields = ["opens_at", "closes_at"]
        widgets = {
            "opens_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


class ClosureFilterForm(SearchForm):
    calendar = forms.ModelChoiceField(
        label=_("Calendar"), queryset=ClosureCalendar.objects.all(), required=False
    )
