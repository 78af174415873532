"""Forms of the incident pages: a report in a few required fields (< 2 minutes)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from decroche.core.calendar import paris_today
from decroche.core.forms import DateInput, DsfrForm

from .choices import (
    Adjustment,
    AggressivenessForm,
    Consequence,
    DebriefKind,
    Frequency,
    ImmediateAction,
    IncidentType,
    Place,
    ReferralTo,
    RitualKind,
    Severity,
    Sign,
    Weekday,
)


class TimeInput(forms.TimeInput):
    input_type = "time"


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
    statement = forms.CharField(
        label=_("Statement of the agent affected"),
        help_text=_(
            "Your own words if you are the agent affected; otherwise the only agent named."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reason = forms.ModelChoiceField(label=_("Contact reason"), queryset=None, required=False)
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
    witness = forms.ModelChoiceField(label=_("Witness (agent)"), queryset=None, required=False)
    witness_name = forms.CharField(
        label=_("Witness (other person)"), max_length=120, required=False
    )
    witness_statement = forms.CharField(
        label=_("Statement of the witness"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, sites, advisors, reasons, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["victims"].queryset = advisors
        self.fields["witness"].queryset = advisors
        self.fields["reason"].queryset = reasons


# What each check-in asks (issue 14 §3): day 0 is held in person (safety, needs, not
# alone, who to call); days 1–3 agree the work adjustments; days 7 and 30 go through the
# observable signs; day 30 also sets the return-to-position plan.
CHECK_IN_FIELDS: dict[str, tuple[str, ...]] = {
    "day_0": (),
    "days_1_3": ("adjustments",),
    "day_7": ("signs", "referral_consent", "adjustments"),
    "day_30": ("signs", "referral_consent", "return_plan"),
}


class CheckInForm(DsfrForm):
    """The fields of one check-in kind (`CHECK_IN_FIELDS`); all of them without a kind."""

    signs = forms.MultipleChoiceField(
        label=_("Observable signs (referral triggers, never a diagnosis)"),
        choices=Sign.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    referral_consent = forms.BooleanField(label=_("The agent agrees to a referral"), required=False)
    adjustments = forms.MultipleChoiceField(
        label=_("Work adjustments"),
        choices=Adjustment.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    return_plan = forms.CharField(
        label=_("Return-to-position plan"),
        required=False,
        help_text=_("Steps and dates of the return to the position: organisation, not care."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, kind: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if kind is not None:
            for name in set(self.fields) - set(CHECK_IN_FIELDS.get(kind, ())):
                del self.fields[name]


class HeldOnMixin:
    """A debrief or a ritual is recorded once held: not in the future."""

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > paris_today():
            raise forms.ValidationError(_("This date is in the future."))
        return held_on


class DebriefForm(HeldOnMixin, DsfrForm):
    """A debrief: operational questions only, no health field (issue 14 §3)."""

    kind = forms.ChoiceField(label=_("Debrief"), choices=DebriefKind.choices)
    victim = forms.ModelChoiceField(
        label=_("Agent concerned (individual debrief)"), queryset=None, required=False
    )
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    participants = forms.IntegerField(label=_("Participants"), min_value=1, initial=1)
    what_happened = forms.CharField(
        label=_("What happened"),
        help_text=_("Facts only, no names of users, nothing about anyone's health."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    what_protected = forms.CharField(
        label=_("What protected us"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    what_to_change = forms.CharField(
        label=_("What we change"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, victims, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["victim"].queryset = victims
        self.fields["victim"].label_from_instance = lambda victim: (
            f"{victim.advisor.first_name} {victim.advisor.last_name}"
        )

    def clean(self):
        data = super().clean()
        if (data.get("kind") == DebriefKind.INDIVIDUAL) != bool(data.get("victim")):
            raise forms.ValidationError(
                _("An individual debrief names the agent concerned; the others do not.")
            )
        return data


class ReferralForm(DsfrForm):
    to = forms.ChoiceField(label=_("Referred to"), choices=ReferralTo.choices)
    consent = forms.TypedChoiceField(
        label=_("The agent's answer"),
        choices=(("1", _("The agent consents")), ("0", _("The agent declines"))),
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    consent_on = forms.DateField(label=_("On"), widget=DateInput())


class RitualForm(DsfrForm):
    kind = forms.ChoiceField(label=_("Ritual"), choices=RitualKind.choices)
    frequency = forms.ChoiceField(label=_("Frequency"), choices=Frequency.choices)
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=Weekday.choices, coerce=int)
    week_of_month = forms.TypedChoiceField(
        label=_("Week of the month (monthly rituals)"),
        choices=[("", "—"), *((str(n), str(n)) for n in range(1, 5))],
        coerce=int,
        empty_value=None,
        required=False,
    )
    starts_at = forms.TimeField(label=_("Time"), widget=TimeInput())
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=5, max_value=240, initial=15
    )

    def clean(self):
        data = super().clean()
        if data.get("frequency") == Frequency.MONTHLY and not data.get("week_of_month"):
            self.add_error("week_of_month", _("A monthly ritual needs its week of the month."))
        return data


class RitualSessionForm(HeldOnMixin, DsfrForm):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    participants = forms.IntegerField(label=_("Participants"), min_value=0, initial=0)
    notes = forms.CharField(
        label=_("Topics raised"),
        help_text=_("No names, nothing about anyone's health."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
