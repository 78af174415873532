"""Forms of the training pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from decroche.core.forms import DateInput, DsfrForm
from decroche.organisation.models import Advisor

from .choices import ComplaintKind, Presence
from .models import Programme, Session


class RequestForm(DsfrForm):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.all())
    requested_on = forms.DateField(label=_("Requested on"), widget=DateInput())
    trainees_expected = forms.IntegerField(label=_("Trainees expected"), min_value=0, initial=0)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class EnrolForm(DsfrForm):
    advisor = forms.ModelChoiceField(
        label=_("Advisor"), queryset=Advisor.objects.filter(left_on__isnull=True)
    )
    employer = forms.CharField(label=_("Employer"), required=False, max_length=200)


class AttendanceForm(DsfrForm):
    presence = forms.ChoiceField(label=_("Presence"), choices=Presence.choices)
    minutes_missed = forms.IntegerField(label=_("Minutes missed"), min_value=0, initial=0)
    remark = forms.CharField(label=_("Remark"), required=False, max_length=500)


class ReasonForm(DsfrForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class CancelSessionForm(ReasonForm):
    by_training_body = forms.BooleanField(
        label=_("Cancelled by the training body (after validation: penalties)"), required=False
    )


class SatisfactionForm(DsfrForm):
    rating = forms.TypedChoiceField(
        label=_("Overall, how satisfied are you with the session?"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
    )
    objectives_met = forms.TypedChoiceField(
        label=_("Were the objectives met?"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        help_text=_("1: not at all, 5: fully."),
    )
    comment = forms.CharField(
        label=_("Your comments"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class ActionPlanForm(DsfrForm):
    self_assessment = forms.CharField(
        label=_("Your self-assessment: what you master, what you still find hard"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    actions = forms.CharField(
        label=_("Your personal action plan: what you will do differently, and when"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class TransferForm(DsfrForm):
    applied = forms.TypedChoiceField(
        label=_("Is what was learnt applied on the job?"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        help_text=_("1: not at all, 5: fully."),
    )
    comment = forms.CharField(
        label=_("Examples, obstacles, needs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ComplaintForm(DsfrForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=ComplaintKind.choices)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    session = forms.ModelChoiceField(
        label=_("Session"), queryset=Session.objects.select_related("programme"), required=False
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}))
