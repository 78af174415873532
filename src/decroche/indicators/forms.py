"""Forms of the indicators app: dashboard filters, draft definitions, publication."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from decroche.core.calendar import last_complete_month
from decroche.core.forms import DateInput, DsfrForm

from .choices import Category, Unit
from .dashboards import LEVELS, VIEWS, Selection


def _valid_fields(form: forms.Form) -> dict:
    """The fields that passed validation (an invalid one falls back to its default)."""
    if not form.is_bound:
        return {}
    form.is_valid()
    return form.cleaned_data


class DashboardForm(DsfrForm):
    view = forms.ChoiceField(label=_("View"), choices=list(VIEWS.items()), initial="month")
    day = forms.DateField(
        label=_("Day"), required=False, widget=DateInput(), help_text=_("Any day of the period.")
    )
    level = forms.ChoiceField(label=_("Level"), choices=())
    parent = forms.ChoiceField(label=_("Within"), choices=(), required=False)

    def __init__(self, *args, levels: list[str], sites, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [(code, LEVELS[code]) for code in levels]
        self.fields["level"].initial = levels[0] if levels else ""
        parents = [("", _("Whole scope"))]
        parents += [(f"site:{s.code}", s.name) for s in sites]
        parents += [(f"team:{t.code}", f"{t.name} ({t.site.name})") for t in teams]
        self.fields["parent"].choices = parents

    def selection(self) -> Selection:
        """The selection asked for, or the default one (the month view of the last
        complete month, first level; a day or week view without a day: today's)."""
        data = _valid_fields(self)
        view = data.get("view") or "month"
        default_day = last_complete_month() if view == "month" else timezone.localdate()
        level = data.get("level") or self.fields["level"].initial
        parent = data.get("parent") or ""
        kind, _sep, code = parent.partition(":")
        if level in ("overall", "site") or (level == "team" and kind == "team"):
            kind, code = "", ""  # a parent only narrows levels below it
        return Selection(
            view=view,
            day=data.get("day") or default_day,
            level=level,
            parent_kind=kind,
            parent_code=code,
        )


class IndicatorDraftForm(DsfrForm):
    code = forms.SlugField(
        label=_("Identifier"),
        max_length=64,
        help_text=_(
            "Stable across versions, e.g. answer_rate; a new identifier is a new indicator."
        ),
    )
    label = forms.CharField(label=_("Label"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    purpose = forms.CharField(label=_("Purpose"), max_length=300, required=False)
    formula_text = forms.CharField(
        label=_("Formula in words"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    formula = forms.CharField(
        label=_("Formula"),
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_(
            'In the formula language, e.g. count(calls where outcome = "answered") / '
            "count(calls); may name measures of the library."
        ),
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices)
    target = forms.CharField(
        label=_("Target"),
        max_length=32,
        required=False,
        help_text=_("e.g. >= 0.90 or < 120; empty for a follow-up indicator."),
    )
    target_note = forms.CharField(label=_("Target note"), max_length=200, required=False)
    valid_from = forms.DateField(
        label=_("Intended start"),
        widget=DateInput(),
        help_text=_("Proposed date; the publisher confirms it."),
    )
    change_note = forms.CharField(label=_("Reason for the change"), max_length=300, required=False)


class PublishForm(DsfrForm):
    valid_from = forms.DateField(label=_("In force from"), widget=DateInput())


class PreviewForm(DsfrForm):
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    period = forms.ChoiceField(
        label=_("Buckets"),
        choices=[("day", _("Day")), ("week", _("Week")), ("month", _("Month"))],
        initial="month",
        required=False,
    )

    def span(self) -> tuple[dt.date, dt.date, str]:
        """The range asked for; by default the last three months up to today."""
        data = _valid_fields(self)
        end = data.get("date_to") or timezone.localdate()
        start = data.get("date_from") or (end.replace(day=1) - dt.timedelta(days=62)).replace(day=1)
        if start > end:
            start, end = end, start
        if (end - start).days > 400:
            start = end - dt.timedelta(days=400)
        return start, end, data.get("period") or "month"
