"""Forms of the forecast and order-proposal pages (SPEC §1, §2, §6). `forms.py` is the pure
staffing module for contact forms, hence this name."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from decroche.core.forms import DateInput, DsfrForm
from decroche.organisation.workdays import add_working_days

from .models import ClientForecast, ForecastEvent

MAX_FORECAST_DAYS = 92  # one quarter: the forecast is recomputed on each page view
DEFAULT_WORKING_DAYS = 10


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m")


def default_forecast_range(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The next ten working days after ``today``."""
    first = add_working_days(today or dt.date.today(), 1)
    return first, add_working_days(first, DEFAULT_WORKING_DAYS - 1)


class ForecastRangeForm(DsfrForm):
    start = forms.DateField(label=_("First day"), widget=DateInput())
    end = forms.DateField(label=_("Last day"), widget=DateInput())

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError(_("The last day cannot come before the first day."))
            if (end - start).days >= MAX_FORECAST_DAYS:
                raise forms.ValidationError(
                    _("At most %(days)d days at a time.") % {"days": MAX_FORECAST_DAYS}
                )
        return data


class ForecastEventForm(DsfrForm, forms.ModelForm):
    """Validated again by `services.forecast_event_create` (model `clean`)."""

    class Meta:
        model = ForecastEvent
        fields = ["name", "kind", "channel", "start", "end", "uplift", "note"]
        widgets = {
            "start": DateInput(),
            "end": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }


class ClientForecastForm(DsfrForm, forms.ModelForm):
    """A month's volume; an existing month and channel is replaced, not refused."""

    class Meta:
        model = ClientForecast
        fields = ["month", "channel", "volume", "received_on"]
        widgets = {"month": MonthInput(), "received_on": DateInput()}
        help_texts = {"month": ""}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].input_formats = ["%Y-%m", "%Y-%m-%d"]

    def clean_month(self) -> dt.date:
        return self.cleaned_data["month"].replace(day=1)

    def clean(self):
        data = super().clean()
        # The month already given is validated as the row `client_forecast_set` replaces,
        # so the month-and-channel constraint does not refuse it.
        existing = ClientForecast.objects.filter(
            month=data.get("month"), channel=data.get("channel")
        ).first()
        if existing is not None:
            self.instance = existing
        return data


class ProposalForm(DsfrForm):
    committee = forms.DateField(label=_("Committee date"), widget=DateInput())
    shrinkage = forms.IntegerField(
        label=_("Shrinkage (%)"),
        initial=0,
        min_value=0,
        max_value=99,
        help_text=_("Share of paid time off the phones, for the hours to schedule."),
    )
